"""`facilitate speakers forget`: erasing one person's speaking turns (issue 20, personal data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.minutes.export import render_minutes
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace

MEETING = "mtg-2026-11"  # the sample meeting that used the speakers' queue


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    return root


def test_forget_deletes_every_turn_of_that_person_and_logs_it(sample: Path, capsys) -> None:
    ws = Workspace.open(sample)
    turns = [t for t in ws.snapshot().bundle(MEETING).turns if t.name == "Keisha Monroe"]
    assert len(turns) == 3 and any(t.confidential for t in turns)
    before = render_minutes(ws, MEETING, "md", True).decode()
    assert "Rising Voices Survivor Collective 6:00" in before
    capsys.readouterr()

    # Case and spacing do not matter.
    assert main(["--data", str(sample), "speakers", "forget", MEETING, "  keisha   MONROE "]) == 0
    out = capsys.readouterr().out
    assert "Deleted 3 speaking turns of Keisha Monroe" in out

    ws = Workspace.open(sample)
    left = ws.snapshot().bundle(MEETING).turns
    assert not [t for t in left if t.name == "Keisha Monroe"]
    assert len(left) == 13 - 3
    after = render_minutes(ws, MEETING, "md", True).decode()
    assert "Rising Voices Survivor Collective" not in after.split("## Airtime by sector")[1]
    entries = {e["id"]: e for e in audit.read(ws.audit_path) if e.get("op") == "delete"}
    for turn in turns:
        assert turn.id in entries
        expected = "(confidential)" if turn.confidential else "Keisha Monroe"
        assert entries[turn.id]["summary"] == expected
    assert audit.verify(ws.audit_path) == []


def test_forget_an_unknown_name_changes_nothing(sample: Path, capsys) -> None:
    path = sample / "meetings" / f"{MEETING}.json"
    before = path.read_bytes()
    code = main(["--data", str(sample), "speakers", "forget", MEETING, "Nobody Here"])
    err = capsys.readouterr().err
    assert code == 2  # a user's input that names nobody: as other refused values
    assert "No speaking turn of 'Nobody Here'" in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_forget_needs_a_meeting_and_a_name(sample: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(sample), "speakers", "forget", MEETING])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "NAME" in err and len(err.strip().splitlines()) == 1
