"""A save that waits for another process's lock says who holds it, gives up after a stated
timeout, and never freezes the app.

The holder writes a note into the lock file (user, pid, command words, never the values typed
after them); a wait longer than about a second prints "waiting for alice (pid ..., facilitate
agenda submit)..."; after $FACILITATE_LOCK_TIMEOUT seconds the command gives up, nothing
saved, exit 1. Before: a silent wait with no end (5.8 s observed; the app froze meanwhile).
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.storage.atomic import LockBusyError, WorkspaceLock, describe_holder
from facilitate.storage.workspace import Workspace

from ._util import child_env, tree_hashes

HOLDER = """
    import sys, time
    from pathlib import Path
    from facilitate.storage.atomic import WorkspaceLock

    lock = WorkspaceLock(Path(sys.argv[1]))
    sys.argv = ["facilitate", "--data", "/srv/tf", "agenda", "submit", "next", "Case HV-1"]
    with lock.hold():
        print("HOLDING", flush=True)
        time.sleep({seconds})
    print("RELEASED", flush=True)
"""


@contextlib.contextmanager
def held_by_another_process(root: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the workspace lock for ``seconds`` (as 'agenda submit')."""
    script = root.parent / "holder.py"
    script.write_text(textwrap.dedent(HOLDER.format(seconds=seconds)))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(root / ".lock")],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "HOLDING"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _cli(root: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**child_env(), "FACILITATE_LOCK_TIMEOUT": str(timeout)}
    return subprocess.run(
        [sys.executable, "-m", "facilitate", "--data", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def workspace(tmp_path: Path, capsys) -> Path:
    root = tmp_path / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    capsys.readouterr()
    return root


def test_the_holder_leaves_a_note_naming_itself_and_clears_it(workspace: Path) -> None:
    lock = WorkspaceLock(workspace / ".lock")
    lock.command = "facilitate agenda submit"
    with lock.hold():
        note = json.loads((workspace / ".lock").read_bytes())
        assert note["user"] == getpass.getuser() and note["pid"] == os.getpid()
        assert note["command"] == "facilitate agenda submit"
    assert (workspace / ".lock").read_bytes() == b""


def test_the_note_names_the_command_never_what_was_typed(workspace: Path) -> None:
    with held_by_another_process(workspace, 30):
        holder = WorkspaceLock(workspace / ".lock").holder()
    assert holder.startswith(f"{getpass.getuser()} (pid ")
    assert "facilitate agenda submit" in holder
    assert "HV-1" not in holder and "next" not in holder and "/srv" not in holder


def test_a_hostile_note_is_shown_safely() -> None:
    raw = json.dumps({"user": "\x1b]0;pwned\x07eve\u202e", "pid": 7, "command": "x\x9b2J"})
    assert describe_holder(raw.encode()) == "eve (pid 7, x)"
    assert describe_holder(b"\x00garbage") == "another process"


def test_a_long_wait_names_the_holder_then_gives_up(workspace: Path) -> None:
    before = tree_hashes(workspace / "meetings")
    with held_by_another_process(workspace, 60):
        started = time.monotonic()
        result = _cli(workspace, "agenda", "submit", "next", "Beds", "--minutes", "5", timeout=3)
        waited = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"facilitate: waiting for {getpass.getuser()} (pid ")
    assert "facilitate agenda submit" in lines[0] and "giving up after 3 s" in lines[0]
    assert "Gave up after waiting 3 s" in lines[1] and "nothing was saved" in lines[1]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert waited < 50  # it did give up (the holder would have held on for 60 s)
    assert tree_hashes(workspace / "meetings") == before


def test_a_short_wait_goes_through_after_saying_who_it_waits_for(workspace: Path) -> None:
    with held_by_another_process(workspace, 2.5):
        result = _cli(workspace, "agenda", "submit", "next", "Beds", "--minutes", "5", timeout=30)
    assert result.returncode == 0, result.stderr
    assert "waiting for" in result.stderr and "facilitate agenda submit" in result.stderr
    assert "Proposed prp-" in result.stdout


def test_a_non_blocking_lock_says_who_holds_it_at_once(workspace: Path) -> None:
    lock = WorkspaceLock(workspace / ".lock")
    lock.blocking = False
    with held_by_another_process(workspace, 30):
        started = time.monotonic()
        with pytest.raises(LockBusyError) as info, lock.hold():
            pass
        assert time.monotonic() - started < 5  # (not the 30 s the holder keeps it)
    assert "facilitate agenda submit" in str(info.value) and "Nothing was changed" in str(
        info.value
    )


@contextlib.contextmanager
def held_here(root: Path, command: str = "facilitate roster import") -> Iterator[None]:
    """The lock held through a separate open file (flock conflicts with this process's own
    lock too), with a holder's note."""
    fd = os.open(root / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        note = {"user": "alice", "pid": 4242, "command": command}
        os.pwrite(fd, json.dumps(note).encode(), 0)
        yield
    finally:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


async def test_the_app_stays_responsive_and_saves_once_the_lock_is_free(
    workspace: Path,
) -> None:
    from facilitate.domain.meeting import AttendanceStatus
    from facilitate.ui.app import FacilitateApp
    from facilitate.ui.screens.help import HelpScreen
    from facilitate.ui.screens.roll_call import RollCallScreen

    from ..ui.conftest import FakeClock, start_meeting, upcoming

    ws = Workspace.open(workspace)
    clock = FakeClock(upcoming(ws).start.subtract(minutes=5))
    app = FacilitateApp(ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RollCallScreen)
        first, second = screen.records[0].id, screen.records[1].id
        with held_here(workspace):
            await pilot.press("p")  # saves the first mark: the lock is taken
            await pilot.press("p")  # a second one queues behind it
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any(
                m.startswith("Waiting for alice (pid 4242, facilitate roster import)")
                for m in messages
            ), messages
            # The event loop runs: a key still opens the help, and closes it.
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause(0.6)  # retries meanwhile find the lock still taken
            status = {a.id: a.status for a in ws.snapshot().bundle(upcoming_id(ws)).attendance}
            assert status[first] is not AttendanceStatus.PRESENT
        await pilot.pause(0.6)  # the next retry saves both, in order
        status = {a.id: a.status for a in ws.snapshot().bundle(upcoming_id(ws)).attendance}
        assert status[first] is AttendanceStatus.PRESENT
        assert status[second] is AttendanceStatus.PRESENT
        assert any("free again" in n.message for n in app._notifications)


def upcoming_id(ws: Workspace) -> str:
    from facilitate.domain.meeting import MeetingStatus

    return next(m.id for m in ws.snapshot().meetings() if m.status is MeetingStatus.LIVE)


async def test_the_app_gives_up_after_the_lock_timeout(workspace: Path, monkeypatch) -> None:
    from facilitate.ui.app import FacilitateApp

    from ..ui.conftest import FakeClock, start_meeting, upcoming

    monkeypatch.setenv("FACILITATE_LOCK_TIMEOUT", "0.5")
    ws = Workspace.open(workspace)
    app = FacilitateApp(ws, clock=FakeClock(upcoming(ws).start.subtract(minutes=5)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        await pilot.press("i")
        await pilot.pause()
        with held_here(workspace):
            await pilot.press("p")
            await pilot.pause(1.5)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("1 change not saved. Gave up after waiting") for m in messages), (
            messages
        )
        assert not app.saves.waiting


async def test_a_step_to_the_next_item_waits_and_lands(workspace: Path) -> None:
    from facilitate.ui.app import FacilitateApp
    from facilitate.ui.screens.meeting import MeetingScreen

    from ..ui.conftest import FakeClock, start_meeting, upcoming

    ws = Workspace.open(workspace)
    app = FacilitateApp(ws, clock=FakeClock(upcoming(ws).start.subtract(minutes=5)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        first = screen.current
        assert first is not None
        with held_here(workspace, "facilitate agenda accept"):
            await pilot.press("n")
            await pilot.pause(0.4)
            # The step is drawn at once (from the meeting in memory); its save waits for the
            # lock, so the file still has the first item.
            assert screen.current is not None and screen.current.position == first.position + 1
            assert app.saves.waiting
            on_disk = ws.snapshot().bundle(upcoming_id(ws)).meeting
            assert on_disk.current_item_id == first.id
        await pilot.pause(0.6)
        assert not app.saves.waiting
        assert screen.current is not None and screen.current.position == first.position + 1
        live = ws.snapshot().bundle(upcoming_id(ws)).meeting
        assert live.current_item_id == screen.current.id
