"""End to end (issue 16), the real `facilitate demo` in tmux: a burst of keys into the vote
form lands in the right fields; marking someone left early changes the roll call's quorum line."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_tmux import BIN, TMUX, _capture, _keys, _tmux, _wait_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it in CI)"),
]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[str]:
    """A tmux session at 80x24 running `facilitate demo --keep`, with the meeting started."""
    session = f"facilitate-e2e-{uuid.uuid4().hex[:8]}"
    cmd = (
        f"env -u COLUMNS -u LINES TERM=screen TMPDIR='{tmp_path}' TEXTUAL_ANIMATIONS=none "
        f"{BIN} demo --keep; echo EXITED-$?; sleep 30"
    )
    env = {**os.environ, "TERM": "screen", "TMPDIR": str(tmp_path)}
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
        _wait_for(session, "Harbor Valley")
        _keys(session, "s")
        _wait_for(session, "Confidentiality")
        _keys(session, "Enter")
        _wait_for(session, "Projected")
        yield session
    finally:
        _tmux(session, "kill-server", capture_output=True)


def _stored(tmp_path: Path):
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.storage.workspace import Workspace

    (root,) = list(tmp_path.glob("facilitate-demo-*/workspace"))
    tx = Workspace.open(root).snapshot()
    live = next(m for m in tx.meetings() if m.status is MeetingStatus.LIVE)
    return tx.bundle(live.id)


def test_a_burst_of_keys_into_the_vote_form(demo: str, tmp_path: Path) -> None:
    session = demo
    _keys(session, "d")
    _wait_for(session, "Record a decision")
    _tmux(session, "send-keys", "-t", session, "-l", "Adopt the annex", check=True)
    _keys(session, "Tab", "Enter")  # the method drop-down: open it,
    _wait_for(session, "Vote")
    _keys(session, "Down", "Enter", "Tab")  # pick "Vote", on to For
    _wait_for(session, "Against")
    # One send-keys call: tmux writes the whole burst to the terminal at once.
    _tmux(session, "send-keys", "-t", session, "15", "Tab", "4", "Tab", "2", check=True)
    _wait_for(session, "Abstain")
    _keys(session, "C-s")
    _wait_for(session, "1 decision,")
    (decision,) = _stored(tmp_path).decisions
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (15, 4, 2)


def test_left_early_changes_the_quorum_line(demo: str, tmp_path: Path) -> None:
    """Mark people present, in roll-call order (by organization), until the quorum is met:
    the last one marked brought the organization that made it. They leave: not met."""
    session = demo
    _keys(session, "i")
    _wait_for(session, "Introductions: name, role")
    for _ in range(30):
        _keys(session, "p")  # (the cursor moves on to the next person)
        screen = _capture(session)
        if "Quorum met" in screen:
            break
    else:
        raise AssertionError(f"quorum never met:\n{screen}")
    before = _summary(screen)
    _keys(session, "Up", "y")  # back to the last one marked: left early
    screen = _wait_for(session, "Left 1")
    after = _summary(screen)
    assert "Quorum NOT met" in after, after
    orgs = int(before.split("Organizations ")[1].split()[0])
    assert f"Organizations {orgs - 1} " in after
    (record,) = [a for a in _stored(tmp_path).attendance if a.status.value == "left_early"]
    assert not record.in_room


def _summary(screen: str) -> str:
    """The roll call's summary (two lines at 80 columns), as one line."""
    lines = screen.splitlines()
    start = next(n for n, ln in enumerate(lines) if ln.strip().startswith("Present "))
    return " ".join(ln.strip() for ln in lines[start : start + 2])
