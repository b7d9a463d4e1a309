"""End to end (issue 20), the real `facilitate demo` in tmux at 80x24: a round around the table
of four organizations, by keys; meanwhile `facilitate follow` in a second window shows the
organization speaking; after the meeting the exported minutes say who spoke."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from .test_tmux import BIN, TMUX, _tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.serial,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it in CI)"),
]

ORGANIZATIONS = 4
APP, FOLLOW = "0", "1"  # the tmux windows: the app, then the follow view


def _keys(session: str, window: str, *keys: str) -> None:
    """send-keys to one window of the test's own tmux server (see test_tmux._tmux)."""
    for key in keys:
        _tmux(session, "send-keys", "-t", f"{session}:{window}", key, check=True)
        time.sleep(0.15)


def _wait_for(session: str, window: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(
            session,
            *("capture-pane", "-p", "-t", f"{session}:{window}"),
            capture_output=True,
            check=True,
        ).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")


def _rows_for_four_organizations(tmp_path: Path) -> int:
    """How many roll-call rows, from the top, hold the members of the first four
    organizations (the roll call lists members by organization, then name)."""
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.services.live import LiveMeeting
    from facilitate.services.sample import load_sample
    from facilitate.storage.workspace import Workspace

    ws = Workspace.create(tmp_path / "probe")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    live = LiveMeeting(ws, meeting.id)
    live.start(move_to_now=True)
    records = sorted(
        live.load().attendance,
        key=lambda a: (a.is_guest, a.organization_name.lower(), a.name.lower()),
    )
    orgs: list[str] = []
    for n, record in enumerate(records):
        if record.organization_id not in orgs:
            if len(orgs) == ORGANIZATIONS:
                return n
            orgs.append(record.organization_id or "")
    return len(records)


def _workspace(tmp_path: Path) -> Path:
    (root,) = list(tmp_path.glob("facilitate-demo-*/workspace"))  # demo honours TMPDIR
    return root


def _live_bundle(root: Path):
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.storage.workspace import Workspace

    tx = Workspace.open(root, read_only=True).snapshot()
    meeting = next(m for m in tx.meetings() if m.status is MeetingStatus.LIVE)
    return tx.bundle(meeting.id)


def test_a_round_of_four_organizations_then_follow_and_minutes(tmp_path: Path) -> None:
    rows = _rows_for_four_organizations(tmp_path)
    session = f"facilitate-e2e-{uuid.uuid4().hex[:8]}"
    env_line = f"env -u COLUMNS -u LINES TERM=screen TMPDIR='{tmp_path}' TEXTUAL_ANIMATIONS=none"
    env = {**os.environ, "TERM": "screen", "TMPDIR": str(tmp_path)}
    _tmux(
        session,
        *("new-session", "-d", "-s", session, "-x", "80", "-y", "24"),
        f"{env_line} {BIN} demo --keep; echo EXITED-$?; sleep 30",
        check=True,
        env=env,
    )
    try:
        _wait_for(session, APP, "Harbor Valley")
        _keys(session, APP, "s")
        _wait_for(session, APP, "Confidentiality")
        _keys(session, APP, "Enter")
        _wait_for(session, APP, "Projected")
        # Roll call: the members of four organizations present.
        _keys(session, APP, "i")
        _wait_for(session, APP, "Introductions: name, role")
        for _ in range(rows):
            _keys(session, APP, "p")
        _wait_for(session, APP, f"Organizations {ORGANIZATIONS} ")
        _keys(session, APP, "Escape")
        _wait_for(session, APP, "Projected")
        # On to information sharing (the sixth item): select it, Enter.
        _keys(session, APP, "Down", "Down", "Down", "Down", "Down", "Enter")
        _wait_for(session, APP, "Information sharing")
        _keys(session, APP, "R")
        screen = _wait_for(session, APP, "Round on Information sharing")
        assert f"Left {ORGANIZATIONS} of {ORGANIZATIONS}" in screen, screen
        for _ in range(ORGANIZATIONS):  # each speaks in turn: the fourth has the floor
            _keys(session, APP, "n")
        screen = _wait_for(session, APP, "Left 1 of 4")
        root = _workspace(tmp_path)
        bundle = _live_bundle(root)
        turns = sorted((t for t in bundle.turns if t.round_id), key=lambda t: t.position)
        assert len(turns) == ORGANIZATIONS
        speaking = turns[-1]
        assert speaking.status.value == "speaking"

        # The follow view, in a second window of the same terminal.
        _tmux(
            session,
            *("new-window", "-d", "-t", f"{session}:{FOLLOW}"),
            f"{env_line} {BIN} --data '{root}' follow; echo FOLLOW-EXITED-$?; sleep 30",
            check=True,
            env=env,
        )
        screen = _wait_for(session, FOLLOW, " left: ")  # "0:04 · 2:56 left: Name (Org...)"
        line = next(ln for ln in screen.splitlines() if " left: " in ln)
        assert speaking.name.split()[0] in line, screen
        for turn in turns:  # notes are never shown, and the ones done are not listed
            if turn.note:
                assert turn.note not in screen
        _keys(session, FOLLOW, "q")
        _wait_for(session, FOLLOW, "FOLLOW-EXITED-0")

        # The fourth is done; close and end the meeting.
        _keys(session, APP, "n")
        _wait_for(session, APP, "Left 0 of 4")
        _keys(session, APP, "Escape")
        _wait_for(session, APP, "Projected")
        _keys(session, APP, "e")
        _wait_for(session, APP, "End meeting")
        _keys(session, APP, "E")
        _wait_for(session, APP, "Meeting ended")
        _keys(session, APP, "Escape")
        _wait_for(session, APP, "Last meeting")
        _keys(session, APP, "q")
        _wait_for(session, APP, "EXITED-0")
    finally:
        _tmux(session, "kill-server", capture_output=True)

    minutes = subprocess.run(
        [str(BIN), "--data", str(root), "minutes", "latest"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "TERM": "dumb"},
    ).stdout
    who = next(ln for ln in minutes.splitlines() if "Who spoke" in ln)
    placed = [who.index(t.organization) for t in turns]
    assert placed == sorted(placed), who  # every organization, in the order they spoke
