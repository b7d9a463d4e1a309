"""The close screen's next-meeting dialog: a date and a time, both from the standing slot.

A meeting held at another time (moved to 01:05) never hands that time to the next one.
"""

from __future__ import annotations

import pendulum
from textual.widgets import Input

from facilitate.domain.meeting import Meeting, MeetingStatus
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.close import CloseScreen
from facilitate.ui.screens.dialogs import NextMeetingForm

from .conftest import FakeClock, start_meeting, upcoming


async def test_moved_meeting_does_not_move_the_slot(sample_ws):
    meeting = upcoming(sample_ws)
    tz = meeting.timezone
    local = meeting.local(meeting.start)
    moved = pendulum.datetime(local.year, local.month, local.day, 1, 5, tz=tz)
    with sample_ws.transaction() as tx:
        m = tx.get(Meeting, meeting.id)
        m.start, m.end = moved.in_timezone("UTC"), moved.add(hours=2).in_timezone("UTC")
        tx.update(m)
    clock = FakeClock(moved.in_timezone("UTC").add(minutes=1))
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NextMeetingForm)
        day = app.screen.query_one("#next-date", Input).value
        time = app.screen.query_one("#next-time", Input).value
        # Second Thursday of the month after December 2026, at the standing 10:00.
        assert (day, time) == ("2027-01-14", "10:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
    ended = sample_ws.snapshot().get(Meeting, meeting.id)
    assert ended.status is MeetingStatus.ENDED
    planned = [m for m in sample_ws.snapshot().meetings() if m.start > ended.start]
    assert len(planned) == 1
    start = planned[0].local(planned[0].start)
    assert (start.to_date_string(), start.format("HH:mm")) == ("2027-01-14", "10:00")
    assert planned[0].slot_minutes == 120
