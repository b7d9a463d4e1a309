"""Confidentiality on a shared server: private modes whatever the umask, refusal of a workspace
others can read (with the fix in the message), private exports that never overwrite silently."""

from __future__ import annotations

import grp
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization
from facilitate.services.output import write_export
from facilitate.storage import migrations
from facilitate.storage.errors import WorkspacePermissionError
from facilitate.storage.workspace import Workspace

from ._util import mode_of, tree_hashes
from .conftest import populate


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _all_paths(root: Path) -> tuple[list[Path], list[Path]]:
    dirs = [root, *sorted(p for p in root.rglob("*") if p.is_dir())]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return dirs, files


def test_everything_is_private_under_umask_022(ws_path, umask_022, monkeypatch) -> None:
    assert os.umask(0o022) == 0o022  # really running with a permissive umask
    populated = populate(ws_path)
    ws = Workspace.open(ws_path, backup=True)
    with ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "discussed"
        tx.update(item)
    # A migration backup folder too.
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: lambda data: data})
    with ws.transaction() as tx:
        tx.all(Organization)

    dirs, files = _all_paths(ws_path)
    names = {p.name for p in files}
    assert {"collaborative.json", "mtg-main.json", ".lock", "audit.log"} <= names
    assert any(p.name.startswith("pre-migration-") for p in dirs)
    assert len(dirs) >= 5  # root, meetings, backups, a backup, a pre-migration backup
    assert {str(p): oct(mode_of(p)) for p in dirs} == {str(p): "0o700" for p in dirs}
    assert {str(p): oct(mode_of(p)) for p in files} == {str(p): "0o600" for p in files}


def test_lock_and_audit_log_created_private_under_umask_022(populated, umask_022) -> None:
    (populated.root / ".lock").unlink()
    populated.ws.audit_path.unlink()
    populated.ws.audit_anchor_path.unlink()  # (a log removed alone is refused: see ledger)
    with populated.ws.transaction() as tx:
        tx.add(Organization(name="Harbour Police"))
    assert mode_of(populated.root / ".lock") == 0o600
    assert mode_of(populated.ws.audit_path) == 0o600


def test_missing_subfolders_are_recreated_private(populated, umask_022) -> None:
    (populated.root / "backups").rmdir()
    Workspace.open(populated.root, backup=True)
    assert mode_of(populated.root / "backups") == 0o700
    assert all(mode_of(p) == 0o700 for p in (populated.root / "backups").iterdir())


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o705, 0o710, 0o701])
def test_workspace_others_can_enter_is_refused_with_the_fix(populated, mode) -> None:
    root = populated.root
    before = tree_hashes(root)
    os.chmod(root, mode)
    try:
        with pytest.raises(WorkspacePermissionError) as info:
            Workspace.open(root, backup=True)
        text = str(info.value)
        assert f"chmod -R go-rwx '{root}'" in text
        assert f"{mode:04o}" in text
        assert "confidential" in text
        assert tree_hashes(root) == before  # nothing written, not even a backup
        assert mode_of(root) == mode  # and the folder is not silently "fixed" either
    finally:
        os.chmod(root, 0o700)
    Workspace.open(root)  # the suggested fix works


def test_group_shared_workspace_uses_group_modes(ws_path, umask_022) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    ws = Workspace.create(ws_path, shared_group=group)
    with ws.transaction() as tx:
        tx.add(Organization(name="City Shelter"))
    ws = Workspace.open(ws_path, backup=True)
    dirs, files = _all_paths(ws_path)
    assert {str(p): oct(mode_of(p)) for p in dirs} == {str(p): "0o2770" for p in dirs}
    assert {str(p): oct(mode_of(p)) for p in files} == {str(p): "0o660" for p in files}
    os.chmod(ws_path, 0o2775)
    with pytest.raises(WorkspacePermissionError, match=r"chmod -R o-rwx"):
        Workspace.open(ws_path)


# --- exports -------------------------------------------------------------------------------


def test_export_is_private_under_umask_022(tmp_path, umask_022) -> None:
    target = tmp_path / "minutes.md"
    assert write_export(target, b"# Minutes\n") == target
    assert target.read_bytes() == b"# Minutes\n"
    assert mode_of(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["minutes.md"]


def test_export_refuses_to_overwrite_without_force(tmp_path, umask_022) -> None:
    target = tmp_path / "minutes.md"
    target.write_bytes(b"precious")
    os.chmod(target, 0o644)
    with pytest.raises(FacilitateError, match=r"already exists.*--force"):
        write_export(target, b"new")
    assert target.read_bytes() == b"precious"

    write_export(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o600  # replaced by a private file, not written into the old one


def test_export_refuses_folders_and_missing_folders(tmp_path) -> None:
    with pytest.raises(FacilitateError, match="is a folder"):
        write_export(tmp_path, b"x")
    with pytest.raises(FacilitateError, match="does not exist"):
        write_export(tmp_path / "missing" / "out.md", b"x")
    assert list(tmp_path.iterdir()) == []


def test_export_never_writes_through_a_symlink(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"do not touch")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    with pytest.raises(FacilitateError, match="already exists"):
        write_export(link, b"x")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(FacilitateError, match="already exists"):
        write_export(dangling, b"x")
    assert not (tmp_path / "nowhere.txt").exists()

    write_export(link, b"export", force=True)
    assert victim.read_bytes() == b"do not touch"
    assert not link.is_symlink()
    assert link.read_bytes() == b"export"
