"""History: a running item's elapsed time, trend bars from zero with values, notes reopened at
the end."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static, TextArea

from facilitate.domain.meeting import AgendaItem
from facilitate.domain.trend_bars import bars, trend_line
from facilitate.services.live import LiveMeeting
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.history import MeetingDetailScreen, _widget_id
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import FakeClock, start_meeting, upcoming


def test_steady_attendance_reads_steady() -> None:
    assert set(bars([23, 24, 23])) <= set("▇█")  # from zero: all near the top
    assert trend_line([23, 24, 23]).endswith("  23 24 23")
    assert bars([12, 24]) == "▅█"  # half is half
    assert bars([0, 12, 24]) == "▁▅█"
    assert bars([-10, 0, 10]) == "▁▅█"  # a signed series keeps its zero in the middle
    assert trend_line([5, -3], signed=True) == "█▁  +5 -3"


async def test_running_item_shows_its_elapsed_time(sample_ws):
    meeting = upcoming(sample_ws)
    clock = FakeClock(meeting.start.add(minutes=1))
    live = LiveMeeting(sample_ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    first = live.load().items[0]
    live.goto(first.id)
    clock.advance(minutes=3)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#meeting-table", DataTable)
        keys = [
            table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value
            for r in range(table.row_count)
        ]
        table.move_cursor(row=keys.index(meeting.id))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingDetailScreen)
        shown = str(app.screen.query_one(f"#{_widget_id(first.id)}", Static).render())
        assert "3:00 so far" in shown, shown


async def test_history_trends_show_values_from_zero(sample_ws):
    clock = FakeClock(upcoming(sample_ws).start.subtract(minutes=5))
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "3")
        await pilot.pause()
        line = str(app.screen.query_one("#trend-attendance", Static).render())
        summaries = [s for s in app.screen.data.trends.attendance.values]  # type: ignore[attr-defined]
        assert " ".join(str(round(v)) for v in summaries) in line
        assert "▁" not in line.split()[0] or min(summaries) == 0


async def test_notes_reopen_with_the_cursor_at_the_end(sample_ws):
    meeting = upcoming(sample_ws)
    with sample_ws.transaction() as tx:
        second = sorted(tx.all(AgendaItem, meeting.id), key=lambda i: i.position)[1]
        second.notes = "Welcomed two new members.\nRound of names"
        tx.update(second)
    clock = FakeClock(meeting.start.subtract(minutes=5))
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("n")  # to the item that has notes
        await pilot.pause()
        notes = app.screen.query_one("#notes", TextArea)
        assert notes.text.startswith("Welcomed")
        assert notes.cursor_location == notes.document.end
