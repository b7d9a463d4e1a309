"""Edges of opening a workspace (issue 18, defect 9): a linked shared root, and meeting files
without their collaborative.json."""

from __future__ import annotations

import grp
import os
import re
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.roster import Organization
from facilitate.storage.errors import StorageError, WorkspacePermissionError
from facilitate.storage.workspace import Workspace

from ._util import tree_hashes

GROUP = grp.getgrgid(os.getgid()).gr_name


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_linked_shared_workspace_is_refused(tmp_path: Path, capsys) -> None:
    """One member re-points the path everybody uses at another workspace: the others' saves
    would land there. Opened by its real path it works."""
    real = tmp_path / "taskforce"
    ws = Workspace.create(real, shared_group=GROUP)
    with ws.transaction() as tx:
        tx.add(Organization(name="City Shelter"))
    link = tmp_path / "current"
    link.symlink_to(real)
    before = tree_hashes(real)
    with pytest.raises(WorkspacePermissionError, match=r"symbolic link.*redirect"):
        Workspace.open(link)
    with pytest.raises(WorkspacePermissionError, match=re.escape(str(real))):
        Workspace.open(link, read_only=True)
    code, _, err = run(capsys, "--data", str(link), "roster", "export", "--format", "json")
    assert code == 1 and "symbolic link" in err and "Traceback" not in err
    assert tree_hashes(real) == before
    Workspace.open(real)  # the real path is fine


def test_a_linked_private_workspace_still_opens(tmp_path: Path) -> None:
    real = tmp_path / "mine"
    Workspace.create(real)
    link = tmp_path / "link"
    link.symlink_to(real)
    Workspace.open(link)  # one user's own link redirects nobody else


@pytest.fixture
def orphaned(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    Workspace.open(root, backup=True)
    (root / "collaborative.json").unlink()
    return root


def test_meetings_without_collaborative_json_are_a_damaged_workspace(orphaned, capsys) -> None:
    before = tree_hashes(orphaned)
    for command in (["meetings"], ["check"], ["actions"], ["agenda", "show", "next"]):
        code, out, err = run(capsys, "--data", str(orphaned), *command)
        assert code == 1, command
        text = out + err
        assert "damaged" in text and "facilitate init" not in text
        assert "backups" in text and "restore" in text
    with pytest.raises(StorageError, match="damaged"):
        Workspace.open(orphaned)
    assert tree_hashes(orphaned) == before


def test_init_refuses_to_create_a_workspace_over_orphaned_meetings(orphaned, capsys) -> None:
    before = tree_hashes(orphaned)
    code, _, err = run(capsys, "--data", str(orphaned), "init", "--sample")
    assert code == 1 and "damaged" in err
    code, _, err = run(capsys, "--data", str(orphaned), "init", "--name", "Fresh start")
    assert code == 1
    assert not (orphaned / "collaborative.json").exists()
    assert tree_hashes(orphaned) == before


def test_the_backups_of_a_damaged_workspace_can_still_be_listed_and_restored(
    orphaned, tmp_path, capsys
) -> None:
    code, out, _ = run(capsys, "--data", str(orphaned), "backups")
    assert code == 0
    name = out.split()[3]
    code, out, err = run(capsys, "--data", str(orphaned), "restore", name, str(tmp_path / "r"))
    assert code == 0, out + err
    assert (tmp_path / "r" / "collaborative.json").is_file()
    code, out, _ = run(capsys, "--data", str(tmp_path / "r"), "check")
    assert code == 0, out


def test_an_empty_folder_is_still_a_new_workspace(tmp_path: Path, capsys) -> None:
    (tmp_path / "ws" / "meetings").mkdir(parents=True)
    code, _, _ = run(capsys, "--data", str(tmp_path / "ws"), "init")
    assert code == 0
