"""Rotating backups taken on open: created on request, at most ten kept, migration
backups never rotated away."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.meeting import Meeting
from facilitate.storage import workspace as workspace_module
from facilitate.storage.workspace import BACKUPS_KEPT, Workspace

from ._util import sha256


def _stamp_dirs(root) -> list:
    return sorted(p for p in (root / "backups").iterdir() if p.is_dir() and p.name[0].isdigit())


def test_open_without_backup_takes_none(populated) -> None:
    Workspace.open(populated.root)
    assert list((populated.root / "backups").iterdir()) == []


def test_open_with_backup_copies_the_data(populated) -> None:
    Workspace.open(populated.root, backup=True)
    (folder,) = _stamp_dirs(populated.root)
    assert sorted(p.name for p in folder.iterdir()) == [
        "collaborative.json",
        "manifest.json",  # when it was taken and what it holds (rotation goes by it)
        "mtg-main.json",
    ]
    assert sha256(folder / "collaborative.json") == sha256(populated.collab)
    assert sha256(folder / "mtg-main.json") == sha256(populated.meeting_file)


def test_backup_holds_the_three_most_recent_meetings(populated) -> None:
    start = pendulum.datetime(2026, 12, 1, 9, tz="UTC")
    for n in range(5):
        with populated.ws.transaction() as tx:
            tx.add(Meeting(id=f"mtg-{n}", title=f"M{n}", start=start, end=start.add(hours=1)))
    Workspace.open(populated.root, backup=True)
    (folder,) = _stamp_dirs(populated.root)
    assert sorted(p.name for p in folder.iterdir()) == [
        "collaborative.json",
        "manifest.json",
        "mtg-2.json",
        "mtg-3.json",
        "mtg-4.json",
    ]


def test_at_most_ten_backups_are_kept(populated, monkeypatch) -> None:
    pre_migration = populated.root / "backups" / "pre-migration-20260101-000000-000000"
    pre_migration.mkdir(mode=0o700)
    (pre_migration / "collaborative.json").write_bytes(populated.collab.read_bytes())
    made = []
    for n in range(BACKUPS_KEPT + 3):
        instant = pendulum.datetime(2026, 11, 22, 9, 0, n, tz="UTC")
        monkeypatch.setattr(workspace_module.pendulum, "now", lambda tz=None, i=instant: i)
        Workspace.open(populated.root, backup=True)
        made.append(instant.format("YYYYMMDD-HHmmss-SSSSSS"))
        kept = _stamp_dirs(populated.root)
        assert len(kept) == min(n + 1, BACKUPS_KEPT)
        assert kept[-1].name == made[-1]  # the newest one always survives

    assert [p.name for p in _stamp_dirs(populated.root)] == made[-BACKUPS_KEPT:]
    assert (pre_migration / "collaborative.json").exists()


@pytest.mark.parametrize("extra", [0, 12])
def test_migration_backups_do_not_push_out_fresh_ones(populated, extra) -> None:
    for n in range(extra):
        (populated.root / "backups" / f"pre-migration-2026010{n % 10}-00000{n}").mkdir()
    Workspace.open(populated.root, backup=True)
    assert len(_stamp_dirs(populated.root)) == 1


# --- the start-up backup deferred by the app (taken after its first frame) ------------------


def test_a_deferred_backup_is_taken_before_the_first_save(populated) -> None:
    """Typed-ahead keys may save before the app takes the backup: the backup still holds the
    data as it was before that save."""
    before = sha256(populated.meeting_file)
    ws = Workspace.open(populated.root)
    ws.defer_backup()
    assert _stamp_dirs(populated.root) == []  # not taken by opening
    with ws.transaction() as tx:
        meeting = tx.get(Meeting, "mtg-main")
        meeting.title = "Renamed during the session"
        tx.update(meeting)
    (folder,) = _stamp_dirs(populated.root)
    assert sha256(folder / "mtg-main.json") == before
    assert sha256(populated.meeting_file) != before
    assert ws.take_due_backup() is None  # taken once only
    with ws.transaction() as tx:
        tx.update(tx.get(Meeting, "mtg-main"))
    assert len(_stamp_dirs(populated.root)) == 1


def test_take_due_backup_takes_it_once(populated) -> None:
    ws = Workspace.open(populated.root)
    assert ws.take_due_backup() is None  # nothing deferred: nothing taken
    assert _stamp_dirs(populated.root) == []
    ws.defer_backup()
    folder = ws.take_due_backup()
    assert folder is not None and _stamp_dirs(populated.root) == [folder]
    assert sha256(folder / "collaborative.json") == sha256(populated.collab)
    assert ws.take_due_backup() is None
    assert len(_stamp_dirs(populated.root)) == 1


def test_a_failed_deferred_backup_is_reported_once_and_saves_go_on(populated, monkeypatch) -> None:
    from facilitate.storage.errors import DiskWriteError

    ws = Workspace.open(populated.root)
    ws.defer_backup()

    def full(self):
        raise DiskWriteError(self.backups_dir, OSError(28, "No space left on device"))

    monkeypatch.setattr(Workspace, "backup", full)
    with pytest.raises(DiskWriteError), ws.transaction() as tx:
        tx.update(tx.get(Meeting, "mtg-main"))
    # The failure was reported; the next save is not blocked by the backup again.
    with ws.transaction() as tx:
        meeting = tx.get(Meeting, "mtg-main")
        meeting.title = "Saved after the failed backup"
        tx.update(meeting)
    assert ws.snapshot().get(Meeting, "mtg-main").title == "Saved after the failed backup"
