"""Backups rotate by the time recorded inside them (issue 18, defect 8), and can be listed and
restored into a new folder from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum
import pytest

from facilitate.cli import main
from facilitate.storage import backups as backups_module
from facilitate.storage.errors import DiskWriteError
from facilitate.storage.workspace import BACKUPS_KEPT, Workspace

from ._util import sha256


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in (root / "backups").iterdir() if p.is_dir())


def _at(monkeypatch, instant: pendulum.DateTime) -> None:
    monkeypatch.setattr(backups_module.pendulum, "now", lambda tz=None, i=instant: i)


def test_folders_named_in_the_future_do_not_rotate_away_the_backup_just_taken(populated) -> None:
    """The issue's reproduction: mkdir backups/2099010{0..9}-000000-000000, then open."""
    for n in range(10):
        (populated.root / "backups" / f"2099010{n}-000000-000000").mkdir()
    taken = Workspace.open(populated.root, backup=True).backups_dir
    (folder,) = _folders(populated.root)  # the empty planted folders are gone
    assert folder.parent == taken
    assert sha256(folder / "mtg-main.json") == sha256(populated.meeting_file)


def test_non_empty_folders_named_in_the_future_do_not_either(populated) -> None:
    for n in range(10):
        planted = populated.root / "backups" / f"2099010{n}-000000-000000"
        planted.mkdir()
        (planted / "collaborative.json").write_text("{}")
    ws = Workspace.open(populated.root)
    with ws.lock.hold():
        taken = ws.backup()
    assert taken is not None and taken.is_dir()
    assert sha256(taken / "collaborative.json") == sha256(populated.collab)
    assert len(_folders(populated.root)) == BACKUPS_KEPT


def test_rotation_goes_by_the_time_inside_not_the_folder_name(populated, monkeypatch) -> None:
    start = pendulum.datetime(2026, 11, 22, 9, tz="UTC")
    taken = []
    for n in range(BACKUPS_KEPT):
        _at(monkeypatch, start.add(minutes=n))
        before = set(_folders(populated.root))
        Workspace.open(populated.root, backup=True)
        (newest,) = set(_folders(populated.root)) - before
        # Names that sort the other way round from the times they were taken.
        renamed = newest.with_name(f"2000010{BACKUPS_KEPT - 1 - n}-000000-000000")
        newest.rename(renamed)
        taken.append(renamed)
    _at(monkeypatch, start.add(minutes=BACKUPS_KEPT))
    Workspace.open(populated.root, backup=True)
    left = _folders(populated.root)
    assert len(left) == BACKUPS_KEPT
    assert taken[0] not in left  # the oldest by its manifest (whose name sorts last) went
    assert all(p in left for p in taken[1:])


def test_a_failed_backup_leaves_no_folder_and_empty_ones_do_not_count(
    populated, monkeypatch
) -> None:
    ws = Workspace.open(populated.root)
    real = backups_module.atomic_write_bytes

    def full_at_the_manifest(path, data, *args, **kwargs):
        if path.name == backups_module.MANIFEST:
            raise DiskWriteError(path, OSError(28, "No space left on device"))
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(backups_module, "atomic_write_bytes", full_at_the_manifest)
    with pytest.raises(DiskWriteError), ws.lock.hold():
        ws.backup()
    assert _folders(populated.root) == []
    monkeypatch.setattr(backups_module, "atomic_write_bytes", real)
    # Empty folders from failed backups of older versions are removed, not counted.
    for n in range(5):
        (populated.root / "backups" / f"2026010{n}-000000-000000").mkdir()
    for _ in range(BACKUPS_KEPT):
        with ws.lock.hold():
            ws.backup()
    left = _folders(populated.root)
    assert len(left) == BACKUPS_KEPT
    assert all((p / backups_module.MANIFEST).is_file() for p in left)


def test_each_backup_records_its_time_and_files(populated, monkeypatch) -> None:
    instant = pendulum.datetime(2026, 11, 22, 9, 30, tz="UTC")
    _at(monkeypatch, instant)
    Workspace.open(populated.root, backup=True)
    (folder,) = _folders(populated.root)
    manifest = json.loads((folder / backups_module.MANIFEST).read_text())
    assert pendulum.parse(manifest["taken_at"]) == instant
    assert manifest["kind"] == "rotating"
    assert manifest["files"]["mtg-main.json"]["sha256"] == sha256(populated.meeting_file)
    assert os.stat(folder / backups_module.MANIFEST).st_mode & 0o777 == 0o600


# --- facilitate backups / facilitate restore -------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_backups_lists_and_restore_makes_a_new_workspace_that_passes_check(
    tmp_path, capsys
) -> None:
    data = tmp_path / "ws"
    assert main(["--data", str(data), "init", "--sample"]) == 0
    Workspace.open(data, backup=True)
    (folder,) = _folders(data)
    code, out, _ = run(capsys, "--data", str(data), "backups")
    assert code == 0
    assert folder.name in out and "4 files" in out and "UTC" in out

    before = {p: p.read_bytes() for p in data.rglob("*.json")}
    target = tmp_path / "restored"
    code, out, err = run(capsys, "--data", str(data), "restore", folder.name, str(target))
    assert code == 0, out + err
    assert "Restored copy checked: OK." in out
    assert sorted(p.name for p in (target / "meetings").iterdir()) == sorted(
        p.name for p in folder.iterdir() if p.name.startswith("mtg-")
    )
    assert sha256(target / "collaborative.json") == sha256(folder / "collaborative.json")
    assert os.stat(target).st_mode & 0o777 == 0o700
    code, out, _ = run(capsys, "--data", str(target), "check")
    assert code == 0 and "Workspace OK" in out
    assert {p: p.read_bytes() for p in data.rglob("*.json")} == before  # source untouched

    # Never over anything: an existing folder (even empty) is refused and left as it was.
    code, _, err = run(capsys, "--data", str(data), "restore", folder.name, str(target))
    assert code == 1 and "already exists" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "--data", str(data), "restore", folder.name, str(empty))
    assert code == 1 and "never overwrites" in err and list(empty.iterdir()) == []

    # The default target sits next to the workspace.
    code, out, _ = run(capsys, "--data", str(data), "restore", folder.name)
    assert code == 0
    assert (tmp_path / f"ws-restored-{folder.name}" / "collaborative.json").is_file()


def test_restore_refuses_a_backup_changed_since_it_was_taken(tmp_path, capsys) -> None:
    data = tmp_path / "ws"
    assert main(["--data", str(data), "init", "--sample"]) == 0
    Workspace.open(data, backup=True)
    (folder,) = _folders(data)
    victim = next(folder.glob("mtg-*.json"))
    victim.write_bytes(victim.read_bytes().replace(b"Monthly", b"Weekly"))
    code, _, err = run(capsys, "--data", str(data), "restore", folder.name, str(tmp_path / "r"))
    assert code == 1 and "does not match" in err and victim.name in err
    assert not (tmp_path / "r").exists()
    code, _, err = run(capsys, "--data", str(data), "restore", "../../etc", str(tmp_path / "r"))
    assert code == 1 and "not a backup name" in err
