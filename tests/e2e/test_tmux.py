"""End to end: the real `facilitate demo` in tmux, driven with send-keys like a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
BIN = Path(sys.executable).parent / "facilitate"


def _tmux(session: str, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """A tmux command on the test's own server (socket named after the session): nothing
    else run in tmux meanwhile, a ``tmux kill-server`` included, can end the test's pane."""
    return subprocess.run(["tmux", "-L", session, *args], text=True, **kwargs)


def _capture(session: str) -> str:
    return _tmux(
        session, "capture-pane", "-p", "-t", session, capture_output=True, check=True
    ).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")


def _keys(session: str, *keys: str) -> None:
    for key in keys:
        _tmux(session, "send-keys", "-t", session, key, check=True)
        time.sleep(0.15)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it in CI)")
def test_demo_short_meeting_in_tmux(tmp_path: Path) -> None:
    session = f"facilitate-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "TERM": "screen",
        "TMPDIR": str(tmp_path),
        "TEXTUAL_ANIMATIONS": "none",
    }
    # The environment is passed on the command line itself too, so the pane gets it whatever
    # environment the tmux server was started with.
    cmd = (
        f"env -u COLUMNS -u LINES TERM=screen TMPDIR='{tmp_path}' TEXTUAL_ANIMATIONS=none "
        f"{BIN} demo --keep; echo EXITED-$?; sleep 30"
    )
    _tmux(
        session,
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "80",
        "-y",
        "24",
        cmd,
        check=True,
        env=env,
    )
    try:
        screen = _wait_for(session, "Harbor Valley")
        assert "Next meeting" in screen
        _keys(session, "s")
        screen = _wait_for(session, "Confidentiality")
        _keys(session, "Enter")
        screen = _wait_for(session, "Opening and confi")
        assert "Ends" in screen and "Projected" in screen
        # Roll call: mark the first person present, add nothing, go back.
        _keys(session, "i")
        screen = _wait_for(session, "Introductions: name, role")
        _keys(session, "p")
        screen = _wait_for(session, "Present 1")
        _keys(session, "Escape")
        _wait_for(session, "Projected")
        # Notes, then the next item.
        _keys(session, "o")
        for ch in "Room 214, hybrid":
            _keys(session, ch)
        _keys(session, "Escape", "n")
        screen = _wait_for(session, "Introductions")
        # Decision form.
        _keys(session, "d")
        _wait_for(session, "Record a decision")
        _tmux(session, "send-keys", "-t", session, "-l", "Adopt the annex", check=True)
        _keys(session, "C-s")
        screen = _wait_for(session, "1 decision,")
        # Close and end the meeting.
        _keys(session, "e")
        _wait_for(session, "End meeting")
        _keys(session, "E")
        screen = _wait_for(session, "Meeting ended")
        _keys(session, "Escape")
        _wait_for(session, "Last meeting")
        _keys(session, "q")
        screen = _wait_for(session, "EXITED-0")
        kept = [line for line in screen.splitlines() if "Kept the demo workspace at" in line]
        assert kept, screen
    finally:
        _tmux(session, "kill-server", capture_output=True)
    # The meeting was really stored: notes, decision, ended status.
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.storage.workspace import Workspace

    (root,) = list(tmp_path.glob("facilitate-demo-*/workspace"))  # demo honours TMPDIR
    ws = Workspace.open(root)
    tx = ws.snapshot()
    ended = [m for m in tx.meetings() if m.status is MeetingStatus.ENDED]
    latest = ended[-1]
    bundle = tx.bundle(latest.id)
    assert bundle.items[0].notes == "Room 214, hybrid"
    assert [d.text for d in bundle.decisions] == ["Adopt the annex"]
    assert any(a.status.value == "present" for a in bundle.attendance)
