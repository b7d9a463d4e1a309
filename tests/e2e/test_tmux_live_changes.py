"""End to end (issue 16): the real program in tmux, driven with send-keys. An item added in the
middle of the meeting moves the projected end; a decision corrected from the meeting screen is
in `facilitate log` with its old and new text."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_tmux import TMUX, _capture, _keys, _tmux, _wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it in CI)"),
]

BIN = Path(sys.executable).parent / "facilitate"


@pytest.fixture
def meeting(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`facilitate` on a sample workspace in an 80x24 tmux pane, the next meeting started."""
    ws = tmp_path / "ws"
    config = tmp_path / "config"
    subprocess.run(
        [str(BIN), "--data", str(ws), "init", "--sample"], check=True, capture_output=True
    )
    session = f"facilitate-e2e-{uuid.uuid4().hex[:8]}"
    cmd = (
        f"env -u COLUMNS -u LINES TERM=screen TEXTUAL_ANIMATIONS=none "
        f"FACILITATE_CONFIG_DIR='{config}' {BIN} --data '{ws}'; echo EXITED-$?; sleep 30"
    )
    _tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", cmd, check=True)
    try:
        _wait_for(session, "Next meeting")
        _keys(session, "s")
        _wait_for(session, "Not the scheduled day")  # (y starts it today)
        _keys(session, "y")
        _wait_for(session, "Confidentiality")
        _keys(session, "Enter")
        _wait_for(session, "Projected")
        time.sleep(1)  # (the confidentiality dialog is gone, not just drawn over)
        yield session, ws
    finally:
        _tmux(session, "kill-server", capture_output=True)


def _projected(screen: str) -> int:
    found = re.search(r"Projected (\d\d):(\d\d)", screen)
    assert found, screen
    return int(found.group(1)) * 60 + int(found.group(2))


def test_an_item_added_mid_meeting_moves_the_projected_end(meeting) -> None:
    session, _ws = meeting
    before = _projected(_capture(session))
    _keys(session, "+")
    _wait_for(session, "Add an agenda item")
    _tmux(session, "send-keys", "-t", session, "-l", "Urgent: shelter capacity", check=True)
    _keys(session, "Tab", "End", "BSpace", "BSpace", "BSpace")
    _tmux(session, "send-keys", "-t", session, "-l", "45", check=True)
    _keys(session, "C-s")
    screen = _wait_for(session, "Added Urgent: shelter capacity")
    moved = (_projected(screen) - before) % (24 * 60)
    assert 44 <= moved <= 46, screen  # (a minute may pass between the two readings)


def test_a_corrected_decision_is_in_facilitate_log(meeting) -> None:
    session, ws = meeting
    _keys(session, "d")
    _wait_for(session, "Record a decision")
    _tmux(session, "send-keys", "-t", session, "-l", "Adopt the annex", check=True)
    _keys(session, "C-s")
    _wait_for(session, "1 decision,")
    _keys(session, "c")
    _wait_for(session, "Correct the record")
    _keys(session, "e")
    _wait_for(session, "Correct a decision")
    _keys(session, "End")
    _tmux(session, "send-keys", "-t", session, "-l", " as amended", check=True)
    _keys(session, "C-s")
    _wait_for(session, "Adopt the annex as amended")
    _keys(session, "Escape")
    _wait_for(session, "Projected")
    log = subprocess.run(
        [str(BIN), "--data", str(ws), "log", "--tail", "5"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "update decision" in log, log
    assert "text: 'Adopt the annex' -> 'Adopt the annex as amended'" in log, log
