"""A dropped SSH connection (SIGHUP) loses nothing: notes typed a moment before are saved, the
program exits cleanly (exit status 0, in a few seconds even though its terminal is gone), and
a restart resumes the meeting on the same item with the same notes.

Two ways: a headless app in a subprocess that is sent SIGHUP, and the real program on a
pseudo-terminal whose other end is closed, exactly what sshd does when the connection drops."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import TextArea

from facilitate.domain.meeting import MeetingStatus
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.meeting import MeetingScreen

from ..storage._util import child_env
from .conftest import FakeClock, make_sample, upcoming

TYPED = "Typed one moment before the connection dropped"

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
        app = FacilitateApp(ws, clock=Clock(pendulum.parse(sys.argv[2])))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("s"); await pilot.pause(0.3)
            await pilot.press("n"); await pilot.pause(0.2)
            await pilot.press("o", *sys.argv[3])  # no pause: the autosave has not run
            print("READY", flush=True)
            while app.is_running:
                await asyncio.sleep(0.02)
        print("EXITED", app.return_code, flush=True)

    asyncio.run(main())
    """
)


def _started(tmp_path: Path):
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    items = live.load().items
    live.goto(items[0].id)
    return ws, meeting, clock, items


def _assert_resumes(ws: Workspace, meeting_id: str, item_id: str, clock: FakeClock) -> None:
    bundle = Workspace.open(ws.root).snapshot().bundle(meeting_id)
    assert bundle.meeting.status is MeetingStatus.LIVE
    assert bundle.meeting.current_item_id == item_id
    assert getattr(bundle.item(item_id), "notes", None) == TYPED
    assert getattr(bundle.item(item_id), "running", None)

    async def restart() -> None:
        app = FacilitateApp(Workspace.open(ws.root), clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("s")
            await pilot.pause(0.3)
            assert isinstance(app.screen, MeetingScreen)
            assert getattr(app.screen.current, "id", None) == item_id
            assert app.screen.query_one("#notes", TextArea).text == TYPED

    asyncio.run(restart())


def test_sighup_saves_and_exits_cleanly(tmp_path: Path) -> None:
    ws, meeting, clock, items = _started(tmp_path)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(ws.root), clock().isoformat(), TYPED],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        proc.send_signal(signal.SIGHUP)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "EXITED 0" in out
    assert "Traceback" not in err
    _assert_resumes(ws, meeting.id, items[1].id, clock)


def _drain(fd: int, sink: list[bytes], stop: threading.Event) -> None:
    """Keep reading the terminal's output (a full pty would block the program)."""
    while not stop.is_set():
        try:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                data = os.read(fd, 65536)
                if not data:
                    return
                sink.append(data)
        except OSError:
            return


def _screen(sink: list[bytes]) -> str:
    return b"".join(sink).decode("utf-8", errors="replace")


def _wait_for(sink: list[bytes], text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in _screen(sink):
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        time.sleep(0.1)


@pytest.mark.parametrize("how", ["connection dropped", "kill -HUP"])
def test_real_terminal_hangup(tmp_path: Path, how: str) -> None:
    ws, meeting, clock, items = _started(tmp_path)
    # The real program uses the real clock: make the meeting's times current.
    env = {**child_env(), "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real facilitate on the pty, as over SSH
        os.execve(
            sys.executable,
            [sys.executable, "-m", "facilitate", "--data", str(ws.root)],
            env,
        )
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    sink: list[bytes] = []
    stop = threading.Event()
    reader = threading.Thread(target=_drain, args=(fd, sink, stop), daemon=True)
    reader.start()
    status = None
    try:
        _wait_for(sink, "Harbor")
        os.write(fd, b"s")
        _wait_for(sink, "Projected")
        time.sleep(0.5)
        os.write(fd, b"n")
        time.sleep(1.0)
        os.write(fd, b"o")
        time.sleep(0.5)
        os.write(fd, TYPED.encode())
        time.sleep(0.15)  # well inside the 0.5 s autosave delay
        started = time.monotonic()
        if how == "connection dropped":
            stop.set()
            reader.join(2)
            os.close(fd)
            fd = -1
        else:
            os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            status = None
        took = time.monotonic() - started
    finally:
        stop.set()
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if fd >= 0:
            os.close(fd)
    assert status is not None, "facilitate did not exit after SIGHUP"
    assert os.waitstatus_to_exitcode(status) == 0, _screen(sink)[-2000:]
    assert took < 10
    assert "Traceback" not in _screen(sink)
    _assert_resumes(ws, meeting.id, items[1].id, clock)
