"""Home screen: what it shows before a meeting, often on the projector."""

from __future__ import annotations

from textual.widgets import Static

from facilitate.tracker.actions import load_tracker
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.home import WITHHELD


def _due_text(app: FacilitateApp) -> str:
    return str(app.screen.query_one("#due", Static).render())


async def test_report_backs_withhold_actions_from_confidential_items(sample_ws, clock):
    """The sample's case-review action (Case HV-2611) is due at the next meeting: home lists
    it without its text, as the locked tracker and the CLI do; other actions keep theirs."""
    rows = load_tracker(sample_ws, clock()).rows
    secret = [r.action.text for r in rows if r.confidential and r.action.status.value == "open"]
    public = [r.action.text for r in rows if not r.confidential and r.action.status.value == "open"]
    assert secret and public  # the sample has both kinds open

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        due = _due_text(app)
        assert WITHHELD in due
        assert "HV-2611" not in due
        for text in secret:
            assert text[:30] not in due
        assert any(text[:30] in due for text in public)


async def test_without_a_next_meeting_home_lists_what_is_overdue(sample_ws, clock):
    """After the last planned meeting has ended, "due at the next meeting" means nothing:
    home lists the open actions whose report-back date has passed instead of "None."."""
    from facilitate.domain.meeting import MeetingStatus

    with sample_ws.transaction() as tx:
        for m in tx.meetings():
            if m.status is not MeetingStatus.ENDED:
                m.status = MeetingStatus.ENDED
                m.started_at, m.ended_at = m.start, m.end
                tx.update(m)
    clock.advance(weeks=8)
    today = clock().in_timezone(sample_ws.snapshot().profile().timezone).date()
    overdue = [a for a in sample_ws.snapshot().open_actions() if a.is_overdue(today)]
    assert overdue

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        due = _due_text(app)
        assert due.startswith(f"Report-backs overdue ({len(overdue)})")
        assert "None." not in due
        assert due.count("OVERDUE") == min(len(overdue), 2)  # (the rest: the tracker)
        if len(overdue) > 2:
            assert f"... and {len(overdue) - 2} more (a: the action tracker)" in due


async def test_starting_on_another_day_asks_and_moves_the_meeting_to_today(sample_ws, clock):
    """A user trial started a meeting planned for five weeks later: its clock read 'Ends 02:54
    Projected 03:09 on track' against the scheduled day. Now home asks first; Esc leaves the
    meeting as planned, y moves it to start now with its planned length."""
    from facilitate.domain.meeting import Meeting, MeetingStatus
    from facilitate.ui.screens.dialogs import StartElsewhenDialog
    from facilitate.ui.screens.home import HomeScreen
    from facilitate.ui.screens.meeting import MeetingScreen

    from .conftest import upcoming

    planned = upcoming(sample_ws)
    clock.advance(days=-3, seconds=17)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartElsewhenDialog)
        assert "not today" in str(app.screen.query(Static)[1].render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert sample_ws.snapshot().get(Meeting, planned.id) == planned  # untouched

        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        if not isinstance(app.screen, MeetingScreen):  # the confidentiality statement first
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        moved = sample_ws.snapshot().get(Meeting, planned.id)
        assert moved.status is MeetingStatus.LIVE
        assert moved.start == clock().start_of("minute")
        assert (moved.end - moved.start).total_seconds() == (
            planned.end - planned.start
        ).total_seconds()
        assert moved.started_at == clock()


async def test_starting_on_the_scheduled_day_asks_nothing(sample_ws, clock):
    from facilitate.domain.meeting import Meeting
    from facilitate.ui.screens.meeting import MeetingScreen

    from .conftest import start_meeting, upcoming

    planned = upcoming(sample_ws)
    clock.advance(hours=3)  # late, but the same day: the meeting keeps its schedule
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        assert isinstance(app.screen, MeetingScreen)
        stored = sample_ws.snapshot().get(Meeting, planned.id)
        assert (stored.start, stored.end) == (planned.start, planned.end)
