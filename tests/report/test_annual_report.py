"""The annual report: the year's figures from the sample task force, golden Markdown, HTML charts
as accessible inline SVG, Word with headings, tables and pictures, and confidential content counted
but never described unless asked.

Regenerate the golden file after an intended change with:
UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pendulum
import pytest

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.annual import AnnualReport
from facilitate.domain.meeting import Attendance, AttendanceStatus, Decision
from facilitate.report.service import build_report, render_report
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import sample_workspace
from tests.exports.helpers import check_golden, docx_text, html_text, parse_html

NOW = pendulum.datetime(2026, 12, 3, 15, 0, tz="UTC")
CASE_TEXT = "HV-2611"  # a case number: only in the confidential case review's records


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return sample_workspace(tmp_path_factory.mktemp("report") / "ws")


def _report(ws: Workspace, include: bool = False, year: int = 2026) -> AnnualReport:
    return build_report(ws.snapshot(), year, include_confidential=include, now=NOW)


def test_the_years_figures(sample_ws: Workspace) -> None:
    report = _report(sample_ws)
    assert report.held == 2  # October and November; December is still planned
    assert [m.present for m in report.meetings] == [23, 24]
    assert report.planned_minutes == 240
    # Guests' employers are not organizations represented.
    names = {o.name for o in report.organizations}
    assert all(o.meetings <= 2 for o in report.organizations)
    assert "Port Merrow Gazette" not in names
    # Every sector with a member is listed, and the gaps are the matrix's.
    assert len(report.sectors_covered) + len(report.sectors_gaps) == 22
    assert [t.title for t in report.trainings] == [
        "Recognizing labor trafficking indicators",
        "Confidentiality and information sharing between agencies",
    ]
    assert report.decisions_total == 8 and report.decisions_withheld == 2
    assert sum(r.opened for r in report.actions) == 13
    assert all(r.closed_on_time <= r.closed <= r.opened for r in report.actions)
    assert all(r.overdue <= r.open for r in report.actions)
    assert report.average_rating is not None and 1 <= report.average_rating <= 5


def test_a_year_without_meetings_says_so(sample_ws: Workspace) -> None:
    text = render_report(_report(sample_ws, year=2019), "md").decode()
    assert "No meeting was held in 2019." in text
    assert "No training was marked delivered this year." in text


def test_markdown_golden(sample_ws: Workspace) -> None:
    check_golden("report-sample-2026.md", render_report(_report(sample_ws), "md").decode())


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_confidential_items_are_counted_not_described(sample_ws: Workspace, fmt: str) -> None:
    redacted = render_report(_report(sample_ws), fmt)
    text = {"md": bytes.decode, "html": lambda b: html_text(b.decode()), "docx": docx_text}[fmt](
        redacted
    )
    assert CASE_TEXT not in text
    assert "2 decisions under confidential items (counted, not described)" in text
    full = render_report(_report(sample_ws, include=True), fmt)
    text = {"md": bytes.decode, "html": lambda b: html_text(b.decode()), "docx": docx_text}[fmt](
        full
    )
    assert CASE_TEXT in text
    assert "MEMBERS ONLY" in text


def test_html_charts_are_inline_svg_with_title_and_description(sample_ws: Workspace) -> None:
    page = render_report(_report(sample_ws), "html").decode()
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(svgs) == 5  # attendance, length, sectors, actions, ratings
    for svg in svgs:
        opening = re.match(r"<svg\b[^>]*>", svg)
        assert opening is not None and 'role="img"' in opening.group(0)
        ids = re.search(r'aria-labelledby="([^"]+)"', opening.group(0))
        assert ids is not None
        title_id, desc_id = ids.group(1).split()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', svg)
        assert "<script" not in svg and not re.search(r'href="(?!#)', svg)  # only #refs
    tags = {tag for tag, _ in parse_html(page).tags}
    assert "script" not in tags
    assert "Content-Security-Policy" in page
    # The values are there as text too (for anyone who cannot see the picture).
    assert page.count("<details><summary>Values</summary>") == 5


def test_bars_start_at_zero_and_carry_their_values(sample_ws: Workspace) -> None:
    """23 and 24 people must not be drawn as a collapse: the axis starts at 0 and each bar is
    labelled."""
    page = render_report(_report(sample_ws), "html").decode()
    attendance = re.search(r'<svg\b[^>]*aria-labelledby="attendance-title.*?</svg>', page, re.S)
    assert attendance is not None
    labels = re.findall(r">\s*(\d+)\s*</text>", attendance.group(0))
    assert "0" in labels and "23" in labels and "24" in labels


def test_word_has_headings_tables_and_pictures(sample_ws: Workspace) -> None:
    import docx

    data = render_report(_report(sample_ws), "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [
        p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")
    ]
    for heading in (
        "Meetings held",
        "Attendance by organization",
        "Attendance by sector",
        "Sector coverage",
        "Trainings delivered",
        "Decisions",
        "Action items by subcommittee",
        "Feedback",
    ):
        assert heading in headings
    assert len(document.inline_shapes) == 5
    for shape in document.inline_shapes:
        frame = shape._inline.docPr
        assert frame.get("title") and frame.get("descr")
    assert len(document.tables) >= 6


def test_an_action_closed_late_and_one_overdue_are_told_apart(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path / "ws")
    tx_meetings = [m for m in ws.snapshot().meetings() if m.status.value == "ended"]
    first = tx_meetings[0]
    with ws.transaction() as tx:
        late = ActionItem(
            meeting_id=first.id,
            text="Circulate the referral flowchart",
            owner_id=tx.roster().members[0].id,
            due=pendulum.date(2026, 10, 20),
        )
        late.status = ActionStatus.DONE
        late.closed_at = pendulum.datetime(2026, 10, 30, 12, tz="UTC")
        tx.add(late)
        tx.add(
            ActionItem(
                meeting_id=first.id,
                text="Draft the annex",
                owner_id=tx.roster().members[0].id,
                due=pendulum.date(2026, 11, 1),
            )
        )
    report = _report(ws)
    before = _report(sample_workspace(tmp_path / "plain"))
    total = lambda r, f: sum(getattr(row, f) for row in r.actions)  # noqa: E731
    assert total(report, "opened") == total(before, "opened") + 2
    assert total(report, "closed") == total(before, "closed") + 1
    assert total(report, "closed_on_time") == total(before, "closed_on_time")
    assert total(report, "overdue") == total(before, "overdue") + 1


def test_people_who_did_not_attend_are_not_counted(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path / "ws")
    first = next(m for m in ws.snapshot().meetings() if m.status.value == "ended")
    before = _report(ws).meetings[0].present
    with ws.transaction() as tx:
        tx.add(
            Attendance(
                meeting_id=first.id,
                member_id=tx.roster().members[0].id,
                name="Absent Person",
                organization_id=tx.roster().members[0].organization_id,
                status=AttendanceStatus.ABSENT,
            )
        )
        tx.add(Decision(meeting_id=first.id, text="A general decision"))
    report = _report(ws)
    assert report.meetings[0].present == before
    assert any(d.text == "A general decision" for d in report.decisions)


def _cli(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitate", "--data", str(ws), "report", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_writes_private_files_and_refuses_bad_input(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    root = sample_ws.root
    out = tmp_path / "report.html"
    done = _cli(root, "--year", "2026", "-f", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert (out.stat().st_mode & 0o777) == 0o600
    again = _cli(root, "--year", "2026", "-f", "html", "-o", str(out))
    assert again.returncode != 0 and "--force" in again.stderr
    word = _cli(root, "--year", "2026", "-f", "docx")
    assert word.returncode == 2 and "-o " in word.stderr
    future = _cli(root, "--year", "3000")
    assert future.returncode == 2
    assert "out of range" in future.stderr and "Traceback" not in future.stderr
    piped = _cli(root, "--year", "2026")
    assert piped.returncode == 0 and piped.stdout.startswith("# Harbor Valley")
    assert "Reading meetings" not in piped.stderr  # no progress bar without a terminal


def test_an_action_due_next_meeting_closed_before_one_was_set_is_on_time(
    sample_ws: Workspace,
) -> None:
    """Due "next meeting" with none scheduled yet: it has no report-back day, so closing it
    cannot have been late (it was drawn as "closed late")."""
    from facilitate.domain.annual import annual_report
    from facilitate.domain.training import TrainingSnippet

    tx = sample_ws.snapshot()
    ended = [m for m in tx.meetings() if m.status.value == "ended"]
    last = ended[-1]  # the planned December meeting left out: nothing comes after it
    action = ActionItem(
        meeting_id=last.id,
        text="Send the updated contact sheet",
        owner_id=tx.roster().members[0].id,
        due_next_meeting=True,
    )
    action.status = ActionStatus.DONE
    action.closed_at = pendulum.datetime(2026, 11, 20, 12, tz="UTC")
    bundles = [tx.bundle(m.id) for m in ended]
    report = annual_report(
        2026,
        bundles,
        roster=tx.roster(),
        snippets=tx.all(TrainingSnippet),
        all_meetings=ended,
        all_actions=[action],
        today=pendulum.date(2026, 12, 3),
    )
    (row,) = report.actions
    assert (row.opened, row.closed, row.closed_on_time, row.overdue) == (1, 1, 1, 0)


@pytest.mark.parametrize("fmt,unused", [("html", "_png"), ("docx", "_svg")])
def test_each_format_draws_only_the_pictures_it_shows(
    sample_ws: Workspace, monkeypatch: pytest.MonkeyPatch, fmt: str, unused: str
) -> None:
    """Drawing a chart is most of a report's time: HTML never needs the PNG, nor Word the SVG."""
    from facilitate.report import charts

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{fmt} drew a {unused[1:]} it does not show")

    monkeypatch.setattr(charts, unused, refuse)
    assert render_report(_report(sample_ws), fmt)


def test_the_progress_bar_shows_while_the_charts_are_drawn(
    sample_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading two meetings is quick; drawing the charts is what takes over a second. The bar
    must appear then too (it was only ever started between two meetings read)."""
    import argparse
    import threading

    import rich.progress

    from facilitate.report import cli as report_cli
    from facilitate.report import service

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = threading.Event()
    descriptions: list[str] = []
    original_start = rich.progress.Progress.start

    def start(self: rich.progress.Progress) -> None:
        original_start(self)
        shown.set()

    def add_task(self: rich.progress.Progress, description: str, **kwargs: object) -> int:
        descriptions.append(description)
        return 0

    monkeypatch.setattr(rich.progress.Progress, "start", start)
    monkeypatch.setattr(rich.progress.Progress, "add_task", add_task)
    monkeypatch.setattr(rich.progress.Progress, "update", lambda *a, **k: None)
    monkeypatch.setattr(sys, "stderr", Terminal())
    real_render = service.render_report

    def slow_render(*args: Any, **kwargs: Any) -> bytes:
        # The charts are being drawn: wait (at most 20 s) for the bar to come up.
        shown.wait(timeout=20)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(service, "render_report", slow_render)
    args = argparse.Namespace(
        data=str(sample_ws.root),
        year=2026,
        format="html",
        include_confidential=False,
        output=str(tmp_path / "r.html"),
        force=False,
    )
    report_cli.cmd_report(args)
    assert shown.is_set()
    assert descriptions and descriptions[-1] in ("Reading meetings", "Drawing charts")


def test_the_report_keeps_the_meeting_index_for_the_next_one(tmp_path: Path) -> None:
    """The first report on a workspace only used from the command line lists every meeting by
    parsing its file; it leaves the meeting index behind (private, like the data), so the next
    report reads the index instead (BENCHMARKS.md row 8)."""
    ws = sample_workspace(tmp_path / "ws")
    index = ws.root / ".index.json"
    index.unlink(missing_ok=True)
    first = _cli(ws.root, "--year", "2026")
    assert first.returncode == 0, first.stderr
    assert index.is_file()
    assert (index.stat().st_mode & 0o077) == 0
    stored = index.read_text(encoding="utf-8")
    again = _cli(ws.root, "--year", "2026")
    assert again.stdout == first.stdout
    assert index.read_text(encoding="utf-8") == stored  # nothing changed: not rewritten
