"""The report screen (history, r): the annual report's figures on screen, Sparklines from zero,
the year switched with [ and ], exports to files named in a notice, and confidential items
counted but never described (even in a session where the notes were unlocked)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table as RichTable
from textual.widgets import Sparkline, Static

from facilitate.report.service import build_report
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.commands import HISTORY, TABLES
from facilitate.ui.safe_text import plain
from facilitate.ui.screens.report import ReportScreen
from facilitate.ui.screens.unlock import set_confidential_unlocked

from .conftest import FakeClock, upcoming

CASE_TEXT = "HV-2611"  # only in the confidential case review's notes and decisions


def _app(ws: Workspace) -> FacilitateApp:
    return FacilitateApp(ws, clock=FakeClock(upcoming(ws).start))


def _screen_text(screen: ReportScreen) -> str:
    """Every Static's text; tables rendered as a terminal would (wide, so no cell wraps)."""
    console = Console(width=400, file=io.StringIO(), color_system=None)
    out = []
    for widget in screen.query(Static):
        shown = widget.content
        if isinstance(shown, RichTable):
            with console.capture() as capture:
                console.print(shown)
            out.append(capture.get())
        else:
            out.append(str(shown))
    return "\n".join(out)


async def _open_report(pilot: Any) -> ReportScreen:
    await pilot.press("h")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    return screen


def test_the_history_lists_the_report_key() -> None:
    assert any(c.key == "r" and c.action == "report" and c.show for c in HISTORY)
    assert "Annual report" in TABLES
    keys = [k for table in (HISTORY,) for c in table for k in c.key.split(",")]
    assert len(keys) == len(set(keys))


async def test_the_screen_shows_the_reports_figures(sample_ws: Workspace) -> None:
    app = _app(sample_ws)
    expected = build_report(sample_ws.snapshot(), 2026, now=app.clock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_report(pilot)
        assert screen.year == 2026  # the year of the latest meeting held
        text = _screen_text(screen)
        assert f"{expected.held} meetings held" in text
        minutes = f"{expected.actual_minutes} minutes in all against {expected.planned_minutes}"
        assert minutes in text
        # Sparklines from zero, one value per meeting (23 and 24 people).
        attendance = screen.query_one("#spark-attendance", Sparkline)
        assert attendance.data == [0.0, *[float(m.present) for m in expected.meetings]]
        assert attendance.data == [0.0, 23.0, 24.0]
        length = screen.query_one("#spark-length", Sparkline)
        assert length.data == [0.0, *[float(m.actual_minutes or 0) for m in expected.meetings]]
        assert "from zero: 23 24" in text
        # The sections of the report, with their numbers.
        for heading in (
            "Attendance by organization",
            "Attendance by sector",
            "Sector coverage",
            "Trainings delivered",
            "Decisions",
            "Action items by subcommittee",
            "Feedback",
        ):
            assert heading in text
        assert "Recognizing labor trafficking indicators" in text
        assert "Data and Protocols" in text
        assert "13 of 22 in the membership matrix" in text
        assert "Average rating 3.9 of 5, from 7 ratings." in text


async def test_confidential_items_are_counted_never_described(sample_ws: Workspace) -> None:
    app = _app(sample_ws)
    async with app.run_test(size=(120, 36)) as pilot:
        set_confidential_unlocked(app, True)  # the session's unlock does not reach the report
        screen = await _open_report(pilot)
        text = _screen_text(screen)
        assert "2 decisions under confidential items (counted, not described)" in text
        assert CASE_TEXT not in text
        assert "MEMBERS ONLY" not in text
        assert screen.report is not None and not screen.report.include_confidential


async def test_brackets_switch_the_year_within_range(sample_ws: Workspace) -> None:
    app = _app(sample_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_report(pilot)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.year == 2025
        text = _screen_text(screen)
        assert "No meeting was held in 2025." in text
        assert not screen.query(Sparkline)  # nothing to draw
        assert "Report 2025" in (screen.sub_title or "")
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.year == 2027  # next year: planned meetings only
        app.clear_notifications()
        await pilot.press("right_square_bracket")  # beyond next year: refused, said why
        await pilot.pause()
        assert screen.year == 2027
        messages = [n.message for n in app._notifications]
        assert any("out of range" in m for m in messages), messages
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.query_one("#spark-attendance", Sparkline).data == [0.0, 23.0, 24.0]


@pytest.mark.parametrize("key,suffix", [("m", "md"), ("h", "html"), ("w", "docx")])
async def test_export_writes_a_new_file_and_names_it(
    sample_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, suffix: str
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    monkeypatch.chdir(exports)  # like the close screen: exports go to the current folder
    app = _app(sample_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_report(pilot)
        for _ in range(2):  # a second export never replaces the first
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        files = sorted(p.name for p in exports.iterdir())
        stem = "harbor-valley-regional-anti-trafficking-report-2026"
        assert files == [f"{stem}-2.{suffix}", f"{stem}.{suffix}"]
        messages = [n.message for n in app._notifications]
        assert any(str(exports / f"{stem}.{suffix}") in m for m in messages), messages
        assert any("counted, not described" in m for m in messages)
    data = (exports / f"{stem}.{suffix}").read_bytes()
    if suffix == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        text = "\n".join(p.text for p in document.paragraphs)
        assert len(document.inline_shapes) == 5
    else:
        text = data.decode()
    assert "2 decisions under confidential items (counted, not described)" in text
    assert CASE_TEXT not in text
    assert (exports / f"{stem}.{suffix}").stat().st_mode & 0o777 == 0o600


async def test_hostile_names_are_shown_literally(
    sample_ws: Workspace, hostile_strings: list[str]
) -> None:
    from facilitate.domain.roster import Organization, Sector

    names = [f"{n} {s}" for n, s in enumerate(hostile_strings[:8])]
    with sample_ws.transaction() as tx:
        for name in names:
            tx.add(Organization(name=name, sector=Sector.MEDIA))
    app = _app(sample_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_report(pilot)
        text = _screen_text(screen)
        assert "\x1b" not in text
    stored = [o.name for o in sample_ws.snapshot().roster().organizations if o.name in names]
    markup = [n for n in stored if "[" in n and "\n" not in n]
    assert markup  # the fixture has markup-like names: they are shown as typed
    for name in markup:
        assert plain(name) in text, name


async def test_the_palette_opens_the_report_and_switches_its_year(sample_ws: Workspace) -> None:
    app = _app(sample_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"annual report")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Prev year")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert screen.year == 2025
        assert app.screen is screen
