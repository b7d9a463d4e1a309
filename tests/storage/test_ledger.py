"""The audit link in-process: a save that writes two files and fails on the second, a save
whose done line cannot be written, and an interrupted save finished by a process that had the
workspace open all along (the TUI), not only by the next open."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization
from facilitate.services.check import check_workspace
from facilitate.storage import atomic, audit, ledger
from facilitate.storage.errors import LogIncompleteError, PartialSaveError
from facilitate.storage.workspace import Workspace

from ._util import child_env


def _entries(ws: Workspace) -> list[dict]:
    return [json.loads(line) for line in ws.audit_path.read_text().splitlines()]


def test_a_save_of_two_files_failing_on_the_second_says_what_was_saved(
    populated, monkeypatch
) -> None:
    ws = populated.ws
    real = ws.write_file
    calls: list[str] = []

    def second_fails(path, data):
        calls.append(path.name)
        if len(calls) == 2:
            raise atomic.DiskWriteError(path, OSError(28, "No space left on device"))
        return real(path, data)

    monkeypatch.setattr(ws, "write_file", second_fails)
    org = Organization(name="Harbour Police")
    with pytest.raises(PartialSaveError) as info, ws.transaction() as tx:
        tx.add(org)
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "typed during the meeting"
        tx.update(item)
    monkeypatch.undo()

    assert calls == ["collaborative.json", "mtg-main.json"]
    text = str(info.value)
    assert "collaborative.json was written, meetings/mtg-main.json was not" in text
    assert "No space left on device" in text and "Nothing was changed" not in text
    done = _entries(ws)[-1]
    assert done["op"] == "done"
    assert list(done["files"]) == ["collaborative.json"]
    assert done["not_written"] == ["meetings/mtg-main.json"]
    assert [e["op"] for e in _entries(ws)[-3:]] == ["intent", "add", "done"]  # the org only
    assert [o.name for o in ws.snapshot().all(Organization)].count("Harbour Police") == 1
    assert check_workspace(populated.root) == []  # data and log agree


def test_a_done_line_that_cannot_be_written_is_finished_on_the_next_open(
    populated, monkeypatch
) -> None:
    ws = populated.ws
    real = audit.append

    def done_fails(path, entries, *args, **kwargs):
        if entries[-1].get("op") == "done":
            raise audit.DiskWriteError(path, OSError(28, "No space left on device"))
        return real(path, entries, *args, **kwargs)

    monkeypatch.setattr(audit, "append", done_fails)
    expected = r"WAS saved.*Do not enter it again"
    with pytest.raises(LogIncompleteError, match=expected), ws.transaction() as tx:
        tx.add(Organization(name="Harbour Police"))
    monkeypatch.undo()

    assert _entries(ws)[-1]["op"] == "intent"
    assert [o.name for o in ws.snapshot().all(Organization)].count("Harbour Police") == 1
    Workspace.open(populated.root)  # finishes it
    last = _entries(ws)[-2:]
    assert [e["op"] for e in last] == ["add", "done"] and last[1]["recovered"] is True
    assert check_workspace(populated.root) == []


def test_a_process_with_the_workspace_open_finishes_another_ones_killed_save(
    populated,
) -> None:
    """The TUI keeps its workspace open for hours: its next save finishes the save another
    process was killed in (under the lock), before its own."""
    ws = populated.ws  # opened before the kill
    script = (
        "import sys\n"
        "from facilitate.domain.roster import Organization\n"
        "from facilitate.storage.workspace import Workspace\n"
        "ws = Workspace.open(sys.argv[1])\n"
        "with ws.transaction() as tx:\n"
        "    tx.add(Organization(name='Killed Partner'))\n"
    )
    env = {**child_env(), "FACILITATE_FAULT": "after-writes"}
    killed = subprocess.run(
        [sys.executable, "-c", script, str(populated.root)], env=env, capture_output=True
    )
    assert killed.returncode == -9
    assert _entries(ws)[-1]["op"] == "intent"

    with ws.transaction() as tx:
        tx.add(Organization(name="Next Partner"))

    ops = [(e["op"], e.get("summary")) for e in _entries(ws)]
    assert ("add", "Killed Partner") in ops and ("add", "Next Partner") in ops
    assert ops.index(("add", "Killed Partner")) < ops.index(("add", "Next Partner"))
    assert check_workspace(populated.root) == []
    assert os.environ.get("FACILITATE_FAULT") is None


def test_check_beside_a_live_save_reports_no_false_tampering(populated, monkeypatch) -> None:
    """A save landing between check's reading of the log and its hashing of the files."""
    ws = populated.ws
    real = ledger.file_sha
    state = {"saved": False, "inside": False}

    def save_once_first(path):
        if not state["saved"] and not state["inside"]:
            state["inside"] = True
            with ws.transaction() as tx:
                item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
                item.notes = "typed while check ran"
                tx.update(item)
            state["saved"], state["inside"] = True, False
        return real(path)

    monkeypatch.setattr(ledger, "file_sha", save_once_first)
    assert check_workspace(populated.root) == []
    assert state["saved"]
