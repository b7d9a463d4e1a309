"""Schema migrations: an older file is backed up first, then upgraded to the version the
program knows; a newer one is refused; a missing step is a clear error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from facilitate.domain.meeting import AgendaItem, Meeting
from facilitate.domain.roster import Organization
from facilitate.storage import migrations
from facilitate.storage.errors import SchemaTooNewError, StorageError
from facilitate.storage.workspace import Workspace

from ._util import sha256, temp_files


def _version(path) -> int:
    return json.loads(path.read_text())["_meta"]["1"]["schema_version"]


def _backups(root) -> list:
    """The data files of the pre-migration backups (each also holds its manifest.json)."""
    found = (root / "backups").glob("pre-migration-*/*.json")
    return sorted(p for p in found if p.name != "manifest.json")


@pytest.fixture
def v2(monkeypatch) -> list[str]:
    """Pretend the program now writes schema 2; the 1 -> 2 step marks organization names and
    notes on agenda items. Returns the list of kinds of files the step ran on."""
    calls: list[str] = []

    def step(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data["_meta"]["1"]["kind"])
        for doc in data.get("organizations", {}).values():
            doc["name"] = doc["name"] + " (v2)"
        for doc in data.get("agenda", {}).values():
            doc["notes"] = "migrated"
        return data

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: step})
    return calls


def test_files_start_at_the_current_version(populated) -> None:
    assert _version(populated.collab) == migrations.SCHEMA_VERSION
    assert _version(populated.meeting_file) == migrations.SCHEMA_VERSION


def test_older_collaborative_file_is_backed_up_then_upgraded(populated, v2) -> None:
    old_bytes = populated.collab.read_bytes()
    old_digest = sha256(populated.collab)

    ws = Workspace.open(populated.root)
    # A read-only view sees upgraded data but writes nothing.
    assert [o.name for o in ws.snapshot().all(Organization)] == ["City Shelter (v2)"]
    assert sha256(populated.collab) == old_digest
    assert _backups(populated.root) == []

    with ws.transaction() as tx:
        org = tx.get(Organization, populated.org_id)
        assert org.name == "City Shelter (v2)"
        org.active = False
        tx.update(org)

    backups = _backups(populated.root)
    assert [b.name for b in backups] == ["collaborative.json"]
    assert backups[0].read_bytes() == old_bytes  # the old file, exactly
    assert _version(backups[0]) == 1
    assert _version(populated.collab) == 2
    stored = json.loads(populated.collab.read_text())
    assert [d["name"] for d in stored["organizations"].values()] == ["City Shelter (v2)"]
    assert [d["active"] for d in stored["organizations"].values()] == [False]
    assert v2.count("collaborative") == 2  # once for the snapshot, once for the upgrade
    assert temp_files(populated.root) == []

    # Already upgraded: no second backup, no further migration run.
    with ws.transaction() as tx:
        tx.add(Organization(name="Harbour Police"))
    assert len(_backups(populated.root)) == 1
    assert v2.count("collaborative") == 2
    assert "City Shelter (v2) (v2)" not in populated.collab.read_text()


def test_older_meeting_file_is_backed_up_then_upgraded(populated, v2) -> None:
    old_bytes = populated.meeting_file.read_bytes()
    ws = Workspace.open(populated.root)
    with ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        assert item.notes == "migrated"

    backups = _backups(populated.root)
    assert [b.name for b in backups] == ["mtg-main.json"]
    assert backups[0].read_bytes() == old_bytes
    assert _version(populated.meeting_file) == 2
    # Only the file that was opened was migrated; the other is upgraded when first written.
    assert _version(populated.collab) == 1
    assert v2 == ["meeting"]


def test_new_files_are_written_at_the_new_version(populated, v2) -> None:
    ws = Workspace.open(populated.root)
    start = ws.snapshot().get(Meeting, populated.meeting_id).start
    with ws.transaction() as tx:
        tx.add(Meeting(id="mtg-next", title="December", start=start, end=start.add(hours=1)))
    assert _version(ws.meeting_path("mtg-next")) == 2
    # Only the in-memory read of the old meeting ran the step: the new file needed none,
    # and the old meeting file was not touched by a read.
    assert v2 == ["meeting"]
    assert _version(populated.meeting_file) == 1


def test_missing_migration_step_is_a_clear_error(populated, monkeypatch) -> None:
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: lambda data: data})
    digest = sha256(populated.collab)
    ws = Workspace.open(populated.root)
    expected = r"cannot upgrade .*schema 2 to 3.*not changed"
    with pytest.raises(StorageError, match=expected), ws.transaction() as tx:
        tx.all(Organization)
    assert sha256(populated.collab) == digest
    assert _backups(populated.root) == []
    assert temp_files(populated.root) == []


def test_file_from_a_newer_program_is_refused(populated, v2, monkeypatch) -> None:
    ws = Workspace.open(populated.root)
    with ws.transaction() as tx:
        tx.all(Organization)
    assert _version(populated.collab) == 2
    digest = sha256(populated.collab)

    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)  # back to the older program
    with pytest.raises(SchemaTooNewError, match=r"schema 2; this program knows up to 1"):
        Workspace.open(populated.root)
    with pytest.raises(SchemaTooNewError):
        ws.snapshot().all(Organization)
    assert sha256(populated.collab) == digest


def test_migrate_reads_the_version_at_call_time(monkeypatch) -> None:
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        {1: lambda d: {**d, "a": 1}, 2: lambda d: {**d, "b": 2}},
    )
    assert migrations.migrate({}, 1) == {"a": 1, "b": 2}
    assert migrations.migrate({}, 2) == {"b": 2}
    assert migrations.migrate({}, 3) == {}
    with pytest.raises(KeyError, match="no migration from schema 0 to 1"):
        migrations.migrate({}, 0)
