"""The real program in tmux with each TERM the issue names (xterm-256color, screen,
tmux-256color, linux) and with NO_COLOR: it draws, takes keys (no mouse), shrinks to
"window too small" below 80x24 and comes back intact, and quits with status 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from facilitate.cli import main

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

BIN = Path(sys.executable).parent / "facilitate"


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    return _wait_for_any(session, (text,), timeout)


def _wait_for_any(session: str, texts: tuple[str, ...], timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if any(text in screen for text in texts):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"none of {texts!r} appeared within {timeout}s. Screen:\n{screen}")


def _wait_gone(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = text
    while text in screen:
        assert time.monotonic() < deadline, f"{text!r} did not go away. Screen:\n{screen}"
        time.sleep(0.2)
        screen = _tmux("capture-pane", "-p", "-t", session)
    return screen


def _keys(session: str, *keys: str) -> None:
    for key in keys:
        _tmux("send-keys", "-t", session, key)
        time.sleep(0.2)  # Esc followed at once by a key would read as Alt+key


@pytest.mark.parametrize(
    "term,no_color",
    [
        ("xterm-256color", False),
        ("screen", False),
        ("tmux-256color", False),
        ("linux", False),
        ("xterm-256color", True),
    ],
)
def test_usable_in_tmux(tmp_path: Path, capsys, term: str, no_color: bool) -> None:
    data = tmp_path / "ws"
    assert main(["--data", str(data), "init", "--sample"]) == 0
    capsys.readouterr()
    session = f"facilitate-term-{uuid.uuid4().hex[:8]}"
    env_vars = f"TERM={term} TEXTUAL_ANIMATIONS=none" + (" NO_COLOR=1" if no_color else "")
    # COLUMNS/LINES (which a tmux server may carry) would pin the size the app sees.
    cmd = f"env -u COLUMNS -u LINES {env_vars} {BIN} --data {data}; echo EXITED-$?; sleep 30"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", cmd)
    try:
        screen = _wait_for(session, "Next meeting")
        assert "\x1b" not in screen and "[?" not in screen and "^[" not in screen
        _keys(session, "s")
        # The sample's meeting keeps its date (10 Dec 2026): on any other day the program asks
        # first, and y moves the meeting to today.
        if "Not the scheduled day" in _wait_for_any(
            session, ("Confidentiality", "Not the scheduled day")
        ):
            _keys(session, "y")
            _wait_for(session, "Confidentiality")
        _keys(session, "Enter")
        _wait_gone(session, "Confidentiality:")  # the dialog, not the item's title
        time.sleep(1.0)  # a person reads the screen before typing
        _keys(session, "o")
        time.sleep(0.8)
        _tmux("send-keys", "-t", session, "-l", "Room 214")
        _wait_for(session, "Room 214")
        _keys(session, "Escape", "n")
        screen = _wait_for(session, "Introductions  (")
        assert "[?" not in screen and "^[" not in screen

        _tmux("resize-window", "-t", session, "-x", "60", "-y", "20")
        screen = _wait_for(session, "Window too small")
        assert "60x20" in screen
        _tmux("resize-window", "-t", session, "-x", "80", "-y", "24")
        screen = _wait_for(session, "Projected")
        assert "Introductions" in screen

        _keys(session, "C-q")
        _wait_for(session, "EXITED-0")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, env=env)
    from facilitate.storage.workspace import Workspace

    ws = Workspace.open(data)
    live = [m for m in ws.snapshot().meetings() if m.status.value == "live"]
    assert ws.snapshot().bundle(live[0].id).items[0].notes == "Room 214"
