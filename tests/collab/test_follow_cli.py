"""`facilitate follow [MEETING]`: resolves the meeting, opens the workspace read-only."""

from __future__ import annotations

import pytest

from facilitate.cli import main
from facilitate.storage.workspace import Workspace

from ..storage._util import tree_hashes


@pytest.fixture
def started(monkeypatch, fake_terminal) -> list[tuple[Workspace, str]]:
    calls: list[tuple[Workspace, str]] = []

    def fake_run(ws: Workspace, meeting_id: str) -> int:
        calls.append((ws, meeting_id))
        return 0

    monkeypatch.setattr("facilitate.ui.follow_app.run_follow", fake_run)
    return calls


def test_follow_opens_the_live_meeting_read_only(live_sample, started) -> None:
    root = live_sample.ws.root
    before = tree_hashes(root)
    assert main(["--data", str(root), "follow"]) == 0
    ((ws, meeting_id),) = started
    assert meeting_id == live_sample.meeting_id
    assert ws.read_only
    assert tree_hashes(root) == before


def test_follow_a_given_meeting(live_sample, started) -> None:
    other = live_sample.ws.snapshot().meetings()[0].id
    assert main(["--data", str(live_sample.ws.root), "follow", other]) == 0
    assert started[0][1] == other


def test_follow_errors_are_one_line(tmp_path, live_sample, started, capsys) -> None:
    assert main(["--data", str(live_sample.ws.root), "follow", "mtg-nope"]) == 2
    err = capsys.readouterr().err
    assert "No meeting with id 'mtg-nope'" in err and err.count("\n") == 1
    assert main(["--data", str(tmp_path / "none"), "follow"]) == 1
    assert "facilitate init" in capsys.readouterr().err
    assert started == []


def test_help_lists_follow_and_log(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "follow" in out and "log" in out
