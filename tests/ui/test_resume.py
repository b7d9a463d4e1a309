"""Kill a headless app mid-meeting, restart it, and find the same item, times, attendance, notes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pendulum
from textual.widgets import Digits, TextArea

from facilitate.domain.meeting import AttendanceStatus, MeetingStatus
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import FakeClock, make_sample, upcoming

CHILD = textwrap.dedent(
    """
    import asyncio, sys, pendulum
    from facilitate.storage.workspace import Workspace
    from facilitate.ui.app import FacilitateApp

    class Clock:
        def __init__(self, t): self.t = t
        def __call__(self): return self.t

    async def main():
        ws = Workspace.open(sys.argv[1])
        clock = Clock(pendulum.parse(sys.argv[2]))
        app = FacilitateApp(ws, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("s"); await pilot.pause()
            await pilot.press("enter"); await pilot.pause()
            await pilot.press("i"); await pilot.pause()
            await pilot.press("p", "r"); await pilot.pause()
            await pilot.press("escape"); await pilot.pause()
            clock.t = clock.t.add(minutes=4, seconds=7)
            await pilot.press("n"); await pilot.pause()
            clock.t = clock.t.add(minutes=2, seconds=30)
            await pilot.press("o")
            await pilot.press(*"Typed but never left the box")
            await pilot.pause(1.2)  # more than a second on screen: the autosave runs
            for _ in range(200):  # (on a loaded machine the timer can run late)
                bundle = ws.snapshot().bundle(app.screen.bundle.meeting.id)
                if any(i.notes == "Typed but never left the box" for i in bundle.items):
                    break
                await pilot.pause(0.1)
            print("READY", flush=True)
            await asyncio.sleep(60)

    asyncio.run(main())
    """
)


def test_kill_and_resume(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    t0 = meeting.start.add(minutes=1)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(ws.root), t0.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if "READY" in line or not line:
                break
        assert "READY" in line, "child app did not reach the ready point"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()

    ws = Workspace.open(ws.root)
    bundle = ws.snapshot().bundle(meeting.id)
    first, second = bundle.items[0], bundle.items[1]
    kill_time = t0.add(minutes=6, seconds=37)
    assert bundle.meeting.status is MeetingStatus.LIVE
    assert bundle.meeting.current_item_id == second.id
    assert first.elapsed_seconds(kill_time) == 4 * 60 + 7
    assert second.running and second.elapsed_seconds(kill_time) == 150
    assert second.notes == "Typed but never left the box"
    marked = sorted(
        a.status for a in bundle.attendance if a.status is not AttendanceStatus.EXPECTED
    )
    assert marked == sorted([AttendanceStatus.PRESENT, AttendanceStatus.REMOTE])

    # Restart the app: it resumes on the same item with the same elapsed time, no new prompt.
    clock = FakeClock(kill_time.add(seconds=30))
    app = FacilitateApp(ws, clock=clock)

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("s")
            await pilot.pause(0.3)
            assert isinstance(app.screen, MeetingScreen)
            assert getattr(app.screen.current, "id", None) == second.id
            assert app.screen.query_one("#notes", TextArea).text == "Typed but never left the box"
            state = str(app.screen.query_one("#item-state").render())
            planned = second.planned_minutes * 60
            expected_left = planned - 180
            shown = pendulum.duration(seconds=expected_left)
            assert (
                f"{shown.minutes}:{shown.remaining_seconds:02d}" in _digits(app)
                or expected_left <= 0
            )
            assert "remaining" in state or "over by" in state

    import asyncio

    asyncio.run(drive())


def _digits(app: FacilitateApp) -> str:
    return str(app.screen.query_one("#countdown", Digits).value)
