"""The facilitator ends the meeting on their screen: the note-taker's screen says so within a
couple of seconds, refuses timer steps with a clear message, and still saves notes."""

from __future__ import annotations

from pathlib import Path

from facilitate.services.live import LiveMeeting
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import FakeClock, make_sample, upcoming


async def test_meeting_ended_on_another_screen(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start.add(minutes=1))
    facilitator = LiveMeeting(ws, meeting.id, clock)
    facilitator.start()
    facilitator.acknowledge_confidentiality()
    first = facilitator.load().items[0]
    facilitator.goto(first.id)
    app = FacilitateApp(ws, clock=clock)
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        original = app.notify

        def record(message: str, *args, **kwargs) -> None:
            said.append(str(message))
            original(message, *args, **kwargs)

        app.notify = record  # type: ignore[method-assign]
        screen.notify = record  # type: ignore[method-assign]
        await pilot.press("o", *"typed before ")
        facilitator.end()
        for _ in range(200):  # the next poll notices (later on a loaded machine)
            await pilot.pause(0.1)
            if any("ended (on another screen)" in s for s in said):
                break
        assert any("ended (on another screen)" in s for s in said), said
        await pilot.press(*"and after the end", "escape")
        await pilot.pause(0.3)
        await pilot.press("n")
        await pilot.pause(0.2)
        assert any("has ended" in s for s in said), said
    bundle = ws.snapshot().bundle(meeting.id)
    assert bundle.meeting.current_item_id is None
    assert not any(i.running for i in bundle.items)
    assert getattr(bundle.item(first.id), "notes", None) == "typed before and after the end"
