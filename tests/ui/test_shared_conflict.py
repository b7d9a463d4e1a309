"""Two instances edit the same item's notes: the second save is refused, a modal shows both
versions, and the user chooses (keep mine / take theirs / keep both / decide later). Nothing
is lost, and nothing is saved until the choice is made."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from facilitate.services.live import LiveMeeting
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.conflict import ConflictScreen
from facilitate.ui.screens.meeting import MeetingScreen

from ..storage._util import child_env, write_script
from .conftest import FakeClock, make_sample, upcoming

MINE = "Mine: Room 214, hybrid"
THEIRS = "Theirs: Jo is late, phones on silent"

OTHER_INSTANCE = """
    import asyncio, sys, pendulum
    from facilitate.storage.workspace import Workspace
    from facilitate.ui.app import FacilitateApp

    class Clock:
        def __init__(self, t): self.t = t
        def __call__(self): return self.t

    async def main():
        ws = Workspace.open(sys.argv[1])
        app = FacilitateApp(ws, clock=Clock(pendulum.parse(sys.argv[2])))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("s"); await pilot.pause(0.5)
            await pilot.press("o")
            await pilot.press(*sys.argv[3])
            for _ in range(150):  # its autosave (up to 15 s on a loaded machine)
                await pilot.pause(0.1)
                items = ws.snapshot().bundle(sys.argv[4]).items
                if any(item.notes == sys.argv[3] for item in items):
                    print("SAVED", flush=True)
                    break
            else:
                print("NOT SAVED", flush=True)
            await asyncio.to_thread(sys.stdin.readline)  # until the other side resolved
            notes = app.screen.query_one("#notes")
            for _ in range(150):  # its poll picks the resolved text up
                await pilot.pause(0.1)
                if notes.text != sys.argv[3]:
                    break
            print("TEXT " + repr(notes.text), flush=True)

    asyncio.run(main())
"""


def _live_meeting(tmp_path: Path):
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    item = live.load().items[0]
    live.goto(item.id)
    return ws, meeting, clock, live, item


async def _wait_for(pilot, condition, what: str, timeout: float = 15.0) -> None:
    """Pause until ``condition()`` holds; generous, because a loaded machine (CI on two cores)
    can delay the autosave timer and the stat poll well past their nominal second."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.1)


def _modal_open(app: FacilitateApp) -> bool:
    """The conflict modal is on screen and composed (not merely pushed)."""
    return isinstance(app.screen, ConflictScreen) and bool(app.screen.query("#conflict-mine"))


def _meeting_back(app: FacilitateApp) -> bool:
    return isinstance(app.screen, MeetingScreen) and bool(app.screen.query("#notes"))


async def _type_until(pilot, text: str, done) -> str:
    """Type ``text`` a key at a time (never pausing long enough for the autosave) until
    ``done()``; returns what was typed."""
    typed = ""
    for ch in text * 20:
        if await done():
            return typed
        await pilot.press(ch)
        typed += ch
        await pilot.pause(0.05)
    raise AssertionError("the other instance never saved")


async def test_second_instance_sees_both_versions_and_keeps_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Our side saves when leaving the box (Esc), after the other instance saved: on a loaded
    # machine a pause between two keystrokes could otherwise fire our autosave first, and
    # then it is the other instance that sees the conflict.
    monkeypatch.setattr("facilitate.ui.screens.meeting.NOTES_SAVE_DELAY", 60)
    ws, meeting, clock, _live, item = _live_meeting(tmp_path)
    script = write_script(tmp_path, "other.py", OTHER_INSTANCE)
    other = subprocess.Popen(
        [sys.executable, str(script), str(ws.root), clock().isoformat(), THEIRS, meeting.id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert other.stdout is not None
    saved = asyncio.get_running_loop().run_in_executor(None, other.stdout.readline)
    app = FacilitateApp(ws, clock=clock)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("s")
            await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
            await pilot.press("o")

            async def other_saved() -> bool:
                return saved.done()

            typed = await _type_until(pilot, MINE, other_saved)
            assert (await saved).strip() == "SAVED"
            assert ws.snapshot().bundle(meeting.id).item(item.id).notes == THEIRS
            # Our save is refused and the modal opens.
            await pilot.press("escape")
            await _wait_for(pilot, lambda: _modal_open(app), "the modal")
            modal = app.screen
            assert isinstance(modal, ConflictScreen)
            assert modal.query_one("#conflict-mine", TextArea).text == typed
            assert modal.query_one("#conflict-theirs", TextArea).text == THEIRS
            # Nothing was overwritten while the choice is pending.
            assert ws.snapshot().bundle(meeting.id).item(item.id).notes == THEIRS
            await pilot.press("b")
            await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
            stored = ws.snapshot().bundle(meeting.id).item(item.id).notes
            assert stored == f"{THEIRS}\n{typed}"
            assert app.screen.query_one("#notes", TextArea).text == stored

            assert other.stdin is not None
            other.stdin.write("resolved\n")
            other.stdin.flush()
            line = await asyncio.get_running_loop().run_in_executor(None, other.stdout.readline)
            assert line.startswith("TEXT ")
            assert eval(line[5:]) == stored  # the other instance refreshed to the result
    finally:
        other.kill()
        other.wait(timeout=10)


@pytest.mark.parametrize("choice", ["mine", "theirs", "both", "later"])
async def test_conflict_choices(tmp_path: Path, choice: str) -> None:
    ws, meeting, clock, _live, item = _live_meeting(tmp_path)
    base = item.notes
    other = LiveMeeting(ws, meeting.id, clock)  # another instance, saving while we type
    app = FacilitateApp(ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await pilot.press("o")
        state = {"saved": False}

        async def save_theirs_once() -> bool:
            if len(screen.query_one("#notes", TextArea).text) >= 8 and not state["saved"]:
                other.save_notes(item.id, base + THEIRS, base=base)
                state["saved"] = True
                return False
            return state["saved"] and len(screen.query_one("#notes", TextArea).text) >= 16

        typed = await _type_until(pilot, MINE, save_theirs_once)
        await _wait_for(pilot, lambda: _modal_open(app), "the modal")
        modal = app.screen
        assert isinstance(modal, ConflictScreen)
        assert modal.query_one("#conflict-mine", TextArea).text == base + typed
        assert modal.query_one("#conflict-theirs", TextArea).text == base + THEIRS
        key = {"mine": "m", "theirs": "t", "both": "b", "later": "escape"}[choice]
        await pilot.press(key)
        await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
        stored = ws.snapshot().bundle(meeting.id).item(item.id).notes
        shown = screen.query_one("#notes", TextArea).text
        expected = {
            "mine": base + typed,
            "theirs": base + THEIRS,
            "both": f"{base}{THEIRS}\n{typed}",
            "later": base + THEIRS,  # nothing saved yet ...
        }[choice]
        assert stored == expected
        if choice == "later":
            assert shown == base + typed  # ... and mine is still on screen, unsaved
            await pilot.press("!")  # typing on: the next save asks again
            await _wait_for(pilot, lambda: _modal_open(app), "the modal")
            assert app.screen.query_one("#conflict-mine", TextArea).text == base + typed + "!"
            await pilot.press("m")
            await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
            stored = ws.snapshot().bundle(meeting.id).item(item.id).notes
            assert stored == base + typed + "!"
        else:
            assert shown == stored


async def test_conflict_modal_is_usable_at_80x24_and_by_mouse(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("facilitate.ui.screens.meeting.NOTES_SAVE_DELAY", 60)  # saved on Esc
    ws, meeting, clock, _live, item = _live_meeting(tmp_path)
    other = LiveMeeting(ws, meeting.id, clock)
    app = FacilitateApp(ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
        await pilot.press("o", *"mine")
        other.save_notes(item.id, "theirs", base=item.notes)
        await pilot.press("escape")
        await _wait_for(pilot, lambda: _modal_open(app), "the modal")
        modal = app.screen
        assert isinstance(modal, ConflictScreen)
        for widget_id in ("#conflict-mine", "#conflict-theirs", "#conflict-keep-both"):
            region = modal.query_one(widget_id).region
            assert region.right <= 80 and region.bottom <= 24 and region.height > 0
        await pilot.click("#conflict-take-theirs")
        await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
        assert ws.snapshot().bundle(meeting.id).item(item.id).notes == "theirs"
        assert app.screen.query_one("#notes", TextArea).text == "theirs"


async def test_unsaved_notes_are_saved_when_the_app_closes(tmp_path: Path, monkeypatch) -> None:
    """Unmount comes after the notes box was removed: the last typed text is still saved."""
    monkeypatch.setattr("facilitate.ui.screens.meeting.NOTES_SAVE_DELAY", 60)
    ws, meeting, clock, _live, item = _live_meeting(tmp_path)
    app = FacilitateApp(ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await _wait_for(pilot, lambda: _meeting_back(app), "the meeting")
        await pilot.press("o", *"kept")
        await _wait_for(
            pilot, lambda: app.screen.query_one("#notes", TextArea).text.endswith("kept"), "text"
        )
        assert ws.snapshot().bundle(meeting.id).item(item.id).notes == item.notes  # not yet
    assert ws.snapshot().bundle(meeting.id).item(item.id).notes == item.notes + "kept"
