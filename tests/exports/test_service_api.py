"""The service API the TUI calls, lazy imports, and minutes of meetings not (yet) ended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem, Meeting, MeetingStatus, TimeSpan
from facilitate.minutes.export import default_filename, render_minutes, suggested_filename
from tests.agenda.builders import small_workspace


def test_heavy_libraries_are_imported_lazily() -> None:
    code = (
        "import sys, facilitate.cli, facilitate.minutes.export, facilitate.agenda.render, "
        "facilitate.agenda.import_markdown, facilitate.minutes.ics, facilitate.minutes.docx;"
        "facilitate.cli.build_parser();"
        "print(sorted(m for m in ('docx', 'icalendar', 'markdown_it', 'lxml', 'textual') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_start_up_does_not_load_the_between_meetings_modules() -> None:
    """`facilitate` registers every subcommand at start-up; the tracker, history, search and
    CSV modules load when a command or screen uses them (start-up time and memory)."""
    code = (
        "import sys, facilitate.cli, facilitate.tracker;"
        "facilitate.cli.build_parser().parse_args([]);"
        "print(sorted(m for m in sys.modules if m.startswith('facilitate.tracker.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['facilitate.tracker.cli']"
    # ... and the package still offers its names, imported on first use.
    code = (
        "import facilitate.tracker as t;"
        "print(t.load_tracker.__module__, t.load_search_index.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["facilitate.tracker.actions", "facilitate.tracker.search"]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        import facilitate.tracker

        _ = facilitate.tracker.nothing


def test_file_names(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    meeting = small.ws.snapshot().get(Meeting, small.past)
    assert suggested_filename(meeting, "md") == "minutes-2026-01-13-january-meeting.md"
    assert (
        suggested_filename(meeting, "docx", include_confidential=True)
        == "minutes-2026-01-13-january-meeting-CONFIDENTIAL.docx"
    )
    assert (
        default_filename(small.ws, small.past, "html") == "minutes-2026-01-13-january-meeting.html"
    )
    meeting.title = "Réunion <script> ../../etc/passwd"
    assert suggested_filename(meeting, "md") == "minutes-2026-01-13-reunion-script-etc-passwd.md"


def test_unknown_format_and_meeting(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="Unknown format 'pdf'"):
        render_minutes(small.ws, small.past, "pdf")
    with pytest.raises(FacilitateError, match="mtg-nope"):
        render_minutes(small.ws, "mtg-nope", "md")


def test_minutes_of_a_planned_meeting(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    text = render_minutes(small.ws, small.upcoming, "md").decode()
    assert "This meeting has not been held yet." in text
    assert "No attendance was recorded." in text
    assert "**Total:** planned 75 min of a 120-min slot" in text


def test_minutes_of_a_live_meeting_use_the_injected_clock(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        meeting = tx.get(Meeting, small.upcoming)
        meeting.status = MeetingStatus.LIVE
        meeting.started_at = meeting.start
        meeting.current_item_id = "itm-mtg-next-00"
        tx.update(meeting)
        item = tx.get(AgendaItem, "itm-mtg-next-00", small.upcoming)
        item.spans = [TimeSpan(start=meeting.start)]
        tx.update(item)
    now = pendulum.instance(meeting.start).add(minutes=7, seconds=10)
    text = render_minutes(small.ws, small.upcoming, "md", now=now).decode()
    assert "| 1 | Opening | — | 5 | 7 | +2 |" in text
    assert "Opened at 10:00 (still in progress)." in text
