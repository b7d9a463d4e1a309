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
        assert due.count("OVERDUE") == min(len(overdue), 8)
