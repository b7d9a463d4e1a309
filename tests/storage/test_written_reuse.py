"""A save starts from the data this instance last wrote, when the file is still that file.

The meeting file a save writes is parsed again by the next save a few seconds later; now the
written data is kept with the file's (mtime, size, inode) and used if the file is unchanged.
What must hold: another instance's write is always seen, data changed but not written is never
used again, and everything on disk is what it would be without the reuse."""

from __future__ import annotations

import errno
import os

import pytest

from facilitate.domain.meeting import AgendaItem, Decision
from facilitate.domain.roster import Organization
from facilitate.storage.errors import DiskWriteError, StorageError
from facilitate.storage.workspace import Workspace


def _note(ws: Workspace, populated, text: str) -> None:
    with ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = text
        tx.update(item)


def _notes_on_disk(populated) -> str:
    fresh = Workspace.open(populated.root)
    return fresh.snapshot().get(AgendaItem, populated.item_id, populated.meeting_id).notes


def test_the_next_save_does_not_parse_the_file_it_wrote(populated, parses) -> None:
    ws = populated.ws
    _note(ws, populated, "first")
    parses.clear()
    _note(ws, populated, "second")
    with ws.transaction() as tx:
        tx.add(Decision(meeting_id=populated.meeting_id, text="Adopt the annex"))
    assert populated.meeting_file not in parses
    assert _notes_on_disk(populated) == "second"
    fresh = Workspace.open(populated.root).snapshot()
    assert [d.text for d in fresh.all(Decision, populated.meeting_id)] == ["Adopt the annex"]


def test_another_instances_save_is_seen(populated, parses) -> None:
    ours, theirs = populated.ws, Workspace.open(populated.root)
    _note(ours, populated, "ours, first")
    with theirs.transaction() as tx:
        tx.add(Decision(meeting_id=populated.meeting_id, text="Theirs"))
    parses.clear()
    with ours.transaction() as tx:  # must start from their file, not from what we wrote
        tx.add(Decision(meeting_id=populated.meeting_id, text="Ours"))
    assert populated.meeting_file in parses
    fresh = Workspace.open(populated.root).snapshot()
    texts = sorted(d.text for d in fresh.all(Decision, populated.meeting_id))
    assert texts == ["Ours", "Theirs"]
    assert _notes_on_disk(populated) == "ours, first"


def test_a_change_that_was_not_saved_is_never_used(populated) -> None:
    ws = populated.ws
    _note(ws, populated, "saved")
    with pytest.raises(RuntimeError), ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "typed, then the save was abandoned"
        tx.update(item)  # changes the data in memory ...
        raise RuntimeError("... and the transaction fails before writing")
    with ws.transaction() as tx:
        assert tx.get(AgendaItem, populated.item_id, populated.meeting_id).notes == "saved"
        tx.add(Decision(meeting_id=populated.meeting_id, text="Later"))
    assert _notes_on_disk(populated) == "saved"


def test_a_failed_write_is_not_used_either(populated, monkeypatch) -> None:
    ws = populated.ws
    _note(ws, populated, "saved")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(DiskWriteError):
        _note(ws, populated, "not saved: the disk is full")
    monkeypatch.undo()
    with ws.transaction() as tx:
        assert tx.get(AgendaItem, populated.item_id, populated.meeting_id).notes == "saved"
        tx.add(Organization(name="Harbour Police"))  # (another file: the meeting kept as is)
    assert _notes_on_disk(populated) == "saved"


def test_a_transaction_cannot_save_once_it_has_ended(populated) -> None:
    ws = populated.ws
    with ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
    item.notes = "too late"
    with pytest.raises(StorageError, match="has ended"):
        tx.update(item)
    with pytest.raises(StorageError, match="has ended"):
        tx.add(Organization(name="Too late"))
    assert _notes_on_disk(populated) == ""
