"""Two live instances on one meeting: a note-taker's process writes notes (to another item),
actions and decisions while this app runs under Pilot with text being typed into its notes.

The app notices within a few seconds (stat polling), shows the new records, and the text in
its focused TextArea is exactly what was typed. When nothing changes it does not reload."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import TextArea

from facilitate.services.check import check_workspace
from facilitate.services.live import LiveMeeting
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.meeting import MeetingScreen

from ..storage._util import child_env, write_script
from .conftest import FakeClock, make_sample, upcoming

WRITER = """
    import sys, time
    from pathlib import Path
    from facilitate.domain.actions import ActionItem
    from facilitate.domain.meeting import AttendanceStatus, Decision
    from facilitate.services.live import LiveMeeting
    from facilitate.storage.workspace import Workspace

    root, meeting_id, item_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    sys.stdin.readline()  # wait for "go"
    ws = Workspace.open(root)
    live = LiveMeeting(ws, meeting_id)
    owner = ws.snapshot().roster().active_members()[0]
    base = live.load().item(item_id).notes
    live.save_notes(item_id, base + "Writer's notes on the next item", base=base)
    time.sleep(0.3)
    live.add_action(ActionItem(meeting_id=meeting_id, text="Writer action: call the shelter",
                               owner_id=owner.id, due_next_meeting=True))
    live.add_decision(Decision(meeting_id=meeting_id, text="Writer decision: meet monthly"))
    absent = live.load().attendance[0]
    live.mark(absent.id, AttendanceStatus.PRESENT)
    print("DONE", flush=True)
"""

TYPED_FIRST = "Facilitator typing: Room 214, "
TYPED_DURING = "hybrid; Jo is late"


async def _wait_until(pilot, condition, timeout: float) -> None:
    """Pause until ``condition()``; the timeout only keeps a broken build from hanging."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def test_other_process_writes_show_up_and_typing_is_intact(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    items = live.load().items
    live.goto(items[0].id)
    other_item = items[1]

    script = write_script(tmp_path, "writer.py", WRITER)
    writer = subprocess.Popen(
        [sys.executable, str(script), str(ws.root), meeting.id, other_item.id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    app = FacilitateApp(ws, clock=clock)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("s")
            await pilot.pause(0.3)
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            reloads: list[float] = []
            original_reload = screen.reload

            def counting_reload() -> None:
                reloads.append(time.monotonic())
                original_reload()

            screen.reload = counting_reload  # type: ignore[method-assign]
            # Count stat checks: each poll is one, each reload one more. "Within a second or
            # so" is asserted as "within two polls", which a loaded machine cannot break.
            stat_checks = [0]
            workspace = screen.live.ws
            original_stamp = workspace.stamp

            def counting_stamp(meeting_id: str):
                stat_checks[0] += 1
                return original_stamp(meeting_id)

            workspace.stamp = counting_stamp  # type: ignore[method-assign, assignment]
            await pilot.press("o")
            notes = screen.query_one("#notes", TextArea)
            await pilot.press(*TYPED_FIRST)

            # The other process writes while this one keeps typing.
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
            for ch in TYPED_DURING:
                await pilot.press(ch)
                await pilot.pause(0.03)
            assert writer.stdout is not None
            line = await asyncio.to_thread(writer.stdout.readline)
            assert line.strip() == "DONE"
            checks_at_done = stat_checks[0]

            def shown() -> bool:
                captured = str(screen.query_one("#captured").render())
                stored = screen.bundle.item(other_item.id)
                return (
                    "Writer action: call the shelter" in captured
                    and "Writer decision: meet monthly" in captured
                    and stored is not None
                    and stored.notes.endswith("Writer's notes on the next item")
                )

            await _wait_until(pilot, shown, timeout=20.0)
            # Seen by the first poll after the writer finished (plus that reload's own stamp),
            # or at worst the one after: never a stale screen waiting for a full refresh.
            assert stat_checks[0] - checks_at_done <= 4
            assert any(a.status.value == "present" for a in screen.bundle.attendance)

            # What was typed is intact, still focused, with the cursor at its end.
            assert notes.has_focus
            assert notes.text == TYPED_FIRST + TYPED_DURING
            assert notes.cursor_location == (0, len(TYPED_FIRST + TYPED_DURING))
            await pilot.press(*" - more")
            expected = TYPED_FIRST + TYPED_DURING + " - more"
            await _wait_until(  # the autosave
                pilot,
                lambda: (
                    getattr(ws.snapshot().bundle(meeting.id).item(items[0].id), "notes", None)
                    == expected
                ),
                timeout=20.0,
            )
            stored = ws.snapshot().bundle(meeting.id)
            typed, written = stored.item(items[0].id), stored.item(other_item.id)
            assert typed is not None and written is not None
            assert typed.notes == TYPED_FIRST + TYPED_DURING + " - more"
            assert written.notes.endswith("Writer's notes on the next item")

            # Idle: stat polls only, no reload.
            await pilot.pause(1.2)
            settled = len(reloads)
            checks_before_idle = stat_checks[0]
            await pilot.pause(2.5)
            assert len(reloads) == settled
            assert stat_checks[0] > checks_before_idle  # it did keep polling
    finally:
        writer.kill()
        writer.wait(timeout=10)
    assert check_workspace(ws.root) == []
