"""facilitate on a Windows laptop, private mode (issue 19), simulated: see ``windows_sim``.

Each run asserts that no POSIX-only module was even tried (imported only where used), that
facilitate took its Windows branch, and that every save locked through ``msvcrt.locking``.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import textwrap
from pathlib import Path

import pytest

from facilitate import __version__
from facilitate.domain.meeting import MeetingStatus
from facilitate.services.check import check_workspace
from facilitate.storage.locking import WINDOWS_LOCK_OFFSET
from facilitate.storage.workspace import Workspace

from .windows_sim import SimRun, run_windows, widen_modes

LK_UNLCK, LK_NBLCK = 0, 2

MEETING_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from facilitate.domain.meeting import (
        AttendanceStatus, Decision, DecisionMethod, MeetingStatus,
    )
    from facilitate.services.live import LiveMeeting
    from facilitate.storage.workspace import Workspace

    ws = Workspace.open(Path(sys.argv[1]))
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    at = meeting.start.add(minutes=1)
    live = LiveMeeting(ws, meeting.id, lambda: at)
    live.start()
    live.acknowledge_confidentiality()
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    items = [i.id for i in live.load().items]
    live.goto(items[0])
    live.save_notes(items[0], "Shelter beds: 4 free this week; referral line staffed 24/7.")
    live.step(+1)
    live.add_decision(
        Decision(
            meeting_id=meeting.id,
            text="Adopt Dvořáková's hospital referral protocol (李娜's annex)",
            method=DecisionMethod.CONSENSUS,
        )
    )
    live.end()
    print(meeting.id)
    """
)


def _ran_as_windows(run: SimRun) -> None:
    assert run.blocked_imports == [], f"POSIX-only modules imported: {run.blocked_imports}"
    assert run.platform_seen == "windows"
    assert "Traceback" not in run.err, run.err


def _locked_the_windows_way(run: SimRun) -> None:
    """Every save locked and unlocked one byte at WINDOWS_LOCK_OFFSET, in pairs."""
    assert run.locking, "no msvcrt.locking call: the lock did not take the Windows path"
    assert all(n == 1 and pos == WINDOWS_LOCK_OFFSET for _, n, pos in run.locking)
    modes = [mode for mode, _, _ in run.locking]
    assert modes[::2] == [LK_NBLCK] * len(modes[::2])
    assert modes[1::2] == [LK_UNLCK] * len(modes[1::2])
    assert len(modes) % 2 == 0, "a lock was never released"


def test_version_runs_without_posix_modules(tmp_path: Path) -> None:
    run = run_windows("cli", "--version", cwd=tmp_path)
    assert run.code == 0, run.err
    assert __version__ in run.out
    _ran_as_windows(run)


def test_init_a_meeting_exports_and_check_on_windows(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run = run_windows("cli", "--data", str(ws), "init", "--sample", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "Created workspace" in run.out and "sample task force" in run.out
    _ran_as_windows(run)
    _locked_the_windows_way(run)
    # What Windows reports for any folder and file: facilitate must not call that "open to
    # other users" there (privacy on Windows is the profile folder's access list).
    widen_modes(ws)

    script = tmp_path / "meeting.py"
    script.write_text(MEETING_SCRIPT)
    run = run_windows("script", str(script), str(ws), cwd=tmp_path)
    assert run.code == 0, run.err
    meeting_id = run.out.strip()
    _ran_as_windows(run)
    _locked_the_windows_way(run)
    assert len(run.locking) >= 2 * 6  # start, marks, notes, step, decision, end: each a save

    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"minutes.{fmt}"
        run = run_windows(
            "cli", "--data", str(ws), "minutes", meeting_id, "--format", fmt, "-o", str(out),
            cwd=tmp_path,
        )  # fmt: skip
        assert run.code == 0, run.err
        _ran_as_windows(run)
        assert out.stat().st_size > 0
    md = (tmp_path / "minutes.md").read_text(encoding="utf-8")
    assert "Adopt Dvořáková's hospital referral protocol (李娜's annex)" in md
    assert "\r\n" not in md  # (os.open without O_BINARY would write CRLF on Windows)
    assert "hospital referral protocol" in (tmp_path / "minutes.html").read_text("utf-8")
    assert (tmp_path / "minutes.docx").read_bytes()[:2] == b"PK"
    # Redirected, Windows' stdout is in the ANSI code page (cp1252), which has neither ř nor
    # 李: the minutes still come out whole, in UTF-8.
    run = run_windows(
        "cli", "--data", str(ws), "minutes", meeting_id, "--format", "md",
        cwd=tmp_path, extra_env={"PYTHONIOENCODING": "cp1252"},
    )  # fmt: skip
    assert run.code == 0, run.err
    assert run.out == md

    run = run_windows("cli", "--data", str(ws), "check", cwd=tmp_path)
    assert run.code == 0, run.out + run.err
    assert "Workspace OK." in run.out
    assert "mode" not in run.out + run.err
    _ran_as_windows(run)

    # What the simulated Windows program wrote is a sound workspace for the POSIX program too:
    # the audit trail covers every file, the meeting ended with its decision.
    for folder, _dirs, files in os.walk(ws):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    assert check_workspace(ws) == []
    bundle = Workspace.open(ws, read_only=True).snapshot().bundle(meeting_id)
    assert bundle.meeting.status is MeetingStatus.ENDED
    assert [d.text for d in bundle.decisions] == [
        "Adopt Dvořáková's hospital referral protocol (李娜's annex)"
    ]
    log = [json.loads(line) for line in (ws / "audit.log").read_text("utf-8").splitlines()]
    assert {"winuser"} == {e["user"] for e in log if "user" in e}  # $USERNAME, as on Windows


def test_shared_group_is_refused_on_windows_in_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run = run_windows("cli", "--data", str(ws), "init", "--shared-group", "taskforce", cwd=tmp_path)
    assert run.code != 0
    _ran_as_windows(run)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "--shared-group" in lines[0] and "only on Linux and macOS" in lines[0]
    assert "leave out --shared-group" in lines[0]
    assert not (ws / "collaborative.json").exists()


def test_a_shared_workspace_copied_to_windows_is_refused_in_one_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run = run_windows("cli", "--data", str(ws), "init", cwd=tmp_path)
    assert run.code == 0, run.err
    collab = ws / "collaborative.json"
    data = json.loads(collab.read_text("utf-8"))
    data["_meta"]["1"]["shared_group"] = "taskforce"  # as made with --shared-group on Linux
    collab.write_text(json.dumps(data), "utf-8")
    run = run_windows("cli", "--data", str(ws), "meetings", cwd=tmp_path)
    assert run.code != 0
    _ran_as_windows(run)
    assert len(run.err.strip().splitlines()) == 1, run.err
    assert "only on Linux and macOS" in run.err


def test_a_save_waits_for_a_lock_held_elsewhere_then_gives_up(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_windows("cli", "--data", str(ws), "init", cwd=tmp_path).code == 0
    # Another process holds the byte the Windows lock takes (the fake msvcrt locks that byte).
    fd = os.open(ws / ".lock", os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        run = run_windows(
            "cli", "--data", str(ws), "meetings", "new", "--title", "Quarterly review",
            cwd=tmp_path, extra_env={"FACILITATE_LOCK_TIMEOUT": "1.5"},
        )  # fmt: skip
    finally:
        os.close(fd)
    _ran_as_windows(run)
    assert run.code != 0
    assert "waiting for another process, who holds the workspace lock" in run.err
    assert "Gave up after waiting 2 s for the workspace lock" in run.err
    assert all(mode == LK_NBLCK for mode, _, _ in run.locking)
    assert len(run.locking) > 3  # tried again and again, never blocking


@pytest.mark.parametrize("name", ["fcntl", "grp", "pwd", "termios"])
def test_the_simulation_really_blocks_posix_modules(tmp_path: Path, name: str) -> None:
    """The bootstrap itself: a program importing a POSIX-only module fails as on Windows."""
    script = tmp_path / "imports.py"
    script.write_text(f"import {name}\n")
    run = run_windows("script", str(script), cwd=tmp_path)
    assert run.code != 0
    assert f"ModuleNotFoundError: No module named '{name}'" in run.err
    assert run.blocked_imports == [name]


APP_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path

    from facilitate.storage.workspace import Workspace
    from facilitate.ui import app as app_module

    print("exit signals", *sorted(int(s) for s in app_module.EXIT_SIGNALS))

    async def main() -> None:
        app = app_module.FacilitateApp(Workspace.open(Path(sys.argv[1])))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            print("screen", type(app.screen).__name__)

    asyncio.run(main())
    """
)


def test_the_app_opens_and_exits_on_sigterm_alone(tmp_path: Path) -> None:
    """SIGHUP handling is POSIX-only: on Windows the app handles SIGTERM (it crashed at
    import before, reading signal.SIGHUP)."""
    ws = tmp_path / "ws"
    assert run_windows("cli", "--data", str(ws), "init", "--sample", cwd=tmp_path).code == 0
    script = tmp_path / "app.py"
    script.write_text(APP_SCRIPT)
    run = run_windows("script", str(script), str(ws), cwd=tmp_path)
    assert run.code == 0, run.err
    _ran_as_windows(run)
    assert f"exit signals {int(signal.SIGTERM)}\n" in run.out
    assert "screen HomeScreen" in run.out
