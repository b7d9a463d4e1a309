"""Symbolic links in a workspace are refused, and nothing is ever written through one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from facilitate.domain.meeting import AgendaItem, Meeting
from facilitate.domain.roster import Organization
from facilitate.storage.atomic import atomic_write_bytes
from facilitate.storage.errors import WorkspacePermissionError
from facilitate.storage.workspace import Workspace

from ._util import sha256, tree_hashes


def _replace_with_link(path: Path, elsewhere: Path) -> Path:
    """Move ``path`` to ``elsewhere`` and leave a symlink to it in its place."""
    shutil.move(path, elsewhere)
    path.symlink_to(elsewhere)
    return elsewhere


def test_symlinked_collaborative_file_is_refused(populated, tmp_path) -> None:
    target = _replace_with_link(populated.collab, tmp_path / "elsewhere.json")
    digest = sha256(target)
    with pytest.raises(WorkspacePermissionError, match="symbolic link"):
        Workspace.open(populated.root)
    with pytest.raises(WorkspacePermissionError):
        populated.ws.snapshot().all(Organization)
    with pytest.raises(WorkspacePermissionError), populated.ws.transaction() as tx:
        tx.add(Organization(name="Through the link"))
    assert sha256(target) == digest
    assert populated.collab.is_symlink()


def test_dangling_collaborative_symlink_is_refused_not_missing(populated, tmp_path) -> None:
    populated.collab.unlink()
    populated.collab.symlink_to(tmp_path / "not-yet.json")
    with pytest.raises(WorkspacePermissionError):
        Workspace.open(populated.root)
    with pytest.raises(WorkspacePermissionError), populated.ws.transaction() as tx:
        tx.add(Organization(name="Through the link"))
    assert not (tmp_path / "not-yet.json").exists()


def test_symlinked_meeting_file_is_refused(populated, tmp_path) -> None:
    target = _replace_with_link(populated.meeting_file, tmp_path / "meeting.json")
    digest = sha256(target)
    ws = Workspace.open(populated.root)
    snap = ws.snapshot()
    for read in (
        lambda: snap.get(Meeting, populated.meeting_id),
        lambda: snap.bundle(populated.meeting_id),
        lambda: snap.meetings(),
    ):
        with pytest.raises(WorkspacePermissionError, match="symbolic link"):
            read()
    with pytest.raises(WorkspacePermissionError), ws.transaction() as tx:
        tx.add(AgendaItem(meeting_id=populated.meeting_id, title="Through the link"))
    assert sha256(target) == digest


def test_meeting_file_swapped_for_a_link_during_a_transaction(populated, tmp_path) -> None:
    """The check is repeated at write time, not only at read time."""
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    with pytest.raises(WorkspacePermissionError), populated.ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "secret notes"
        tx.update(item)
        populated.meeting_file.unlink()
        populated.meeting_file.symlink_to(victim)
    assert victim.read_text() == "{}"
    assert populated.meeting_file.is_symlink()


def test_symlinked_lock_is_refused(populated, tmp_path) -> None:
    lock = populated.root / ".lock"
    lock.unlink()
    target = tmp_path / "somebody-elses-file"
    lock.symlink_to(target)
    before = tree_hashes(populated.root)
    with pytest.raises(WorkspacePermissionError, match="symbolic link"):
        Workspace.open(populated.root)
    with pytest.raises(WorkspacePermissionError), populated.ws.transaction() as tx:
        tx.add(Organization(name="Never"))
    assert not target.exists()  # the lock was not created through the link
    assert tree_hashes(populated.root) == before

    target.write_bytes(b"precious")
    with pytest.raises(WorkspacePermissionError):
        Workspace.open(populated.root)
    assert target.read_bytes() == b"precious"


def test_symlinked_audit_log_is_refused_before_any_data_is_written(populated, tmp_path) -> None:
    target = _replace_with_link(populated.ws.audit_path, tmp_path / "audit.log")
    digest = sha256(target)
    before = tree_hashes(populated.root)
    with pytest.raises(WorkspacePermissionError), populated.ws.transaction() as tx:
        tx.add(Organization(name="Never"))
    assert sha256(target) == digest
    assert tree_hashes(populated.root) == before


@pytest.mark.parametrize("folder", ["meetings", "backups"])
def test_symlinked_subfolder_is_refused(populated, tmp_path, folder) -> None:
    real = _replace_with_link(populated.root / folder, tmp_path / folder)
    before = tree_hashes(real)
    with pytest.raises(WorkspacePermissionError, match="symbolic link"):
        Workspace.open(populated.root, backup=True)
    assert tree_hashes(real) == before


def test_atomic_write_refuses_a_symlink_target(tmp_path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"original")
    link = tmp_path / "data.json"
    link.symlink_to(victim)
    with pytest.raises(WorkspacePermissionError):
        atomic_write_bytes(link, b"{}")
    assert victim.read_bytes() == b"original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json", "victim"]
