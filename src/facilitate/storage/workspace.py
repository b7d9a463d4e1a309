"""The workspace: a directory of TinyDB files, with locked, atomic transactions.

workspace/
  collaborative.json          profile, organizations, members, subcommittees, training
  meetings/<meeting-id>.json  one file per meeting
  backups/                    rotating copies (on open and before migrations)
  audit.log                   append-only, hash-chained change log
  audit.anchor                seq and hash of the log's last line (detects a cut-off end)
  .lock                       sidecar flock

Opened for reading only (``Workspace.open(root, read_only=True)``, used by ``follow``, ``log`` and
``check``) nothing is ever written, locked, created or cleaned up.

This module opens and creates workspaces, takes backups and runs transactions; the rest lives
beside it: ``paths`` (names and modes), ``cache`` (parsing and the read caches), ``reading``
(records, the read side of a transaction) and ``transaction`` (writes and their audit entries).
``Workspace`` stays the one face the services use, and the names below are importable from here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum

from . import backups, ledger, migrations
from .atomic import (
    dump_json,
    read_bytes_nofollow,
    read_json,
    refuse_linked_shared_root,
    refuse_special,
    refuse_symlink,
    remove_orphan_temps,
)
from .backups import BACKUPS_KEPT as BACKUPS_KEPT  # (re-exported)
from .cache import CACHED_FILES, DOC_ID, CachedFiles
from .errors import AccessDeniedError, StorageError, WorkspaceMissingError
from .paths import META, SAFE_ID, _setgid_group
from .portable import group_id, set_group, set_mode
from .reading import COLLAB_TABLES, MEETING_TABLES, MeetingBundle
from .transaction import Transaction, mark_audited

__all__ = [
    "BACKUPS_KEPT",
    "CACHED_FILES",
    "COLLAB_TABLES",
    "DOC_ID",
    "MEETING_TABLES",
    "META",
    "SAFE_ID",
    "MeetingBundle",
    "Transaction",
    "Workspace",
]


class Workspace(CachedFiles):
    def __init__(
        self, root: Path, *, shared_group: str | None = None, read_only: bool = False
    ) -> None:
        super().__init__(root, shared_group=shared_group, read_only=read_only)

    # --- create / open ---------------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, *, shared_group: str | None = None) -> Workspace:
        root = Path(root)
        if (root / "collaborative.json").exists():
            raise StorageError(
                f"{root} already holds a workspace; open it, or choose another --data folder."
            )
        backups.refuse_orphaned_meetings(root)
        gid = None
        if shared_group:
            try:
                gid = group_id(shared_group)  # (PosixOnlyError on Windows)
            except KeyError as exc:
                raise StorageError(
                    f"Unknown group {shared_group!r}: create it first (groupadd {shared_group})."
                ) from exc
        ws = cls(root, shared_group=shared_group)
        for d in (root, ws.meetings_dir, ws.backups_dir):
            d.mkdir(parents=True, exist_ok=True)
            refuse_symlink(d)
            if gid is not None:
                set_group(d, gid)
            set_mode(d, ws.dir_mode)
        data: dict[str, Any] = {META: {"1": ws._meta("collaborative")}}
        mark_audited(data)
        change = {"op": "create", "kind": "workspace", "id": "collaborative.json", "summary": ""}
        with ws.lock.hold():
            ledger.commit(
                ws,
                ledger.Save(
                    writes=[(ws.collaborative_path, dump_json(data))],
                    changes=[{**change, "file": "collaborative.json", "meeting": None}],
                    at=pendulum.now("UTC").isoformat(),
                ),
            )
        return ws

    @classmethod
    def open(cls, root: Path, *, backup: bool = False, read_only: bool = False) -> Workspace:
        """Open a workspace. ``read_only``: take no lock, clean nothing, create nothing (for
        ``follow``, ``log`` and ``check``, which may run while another instance writes)."""
        root = Path(root)
        try:
            return cls._open(root, backup=backup, read_only=read_only)
        except PermissionError as exc:
            raise AccessDeniedError(exc.filename or root, _setgid_group(root)) from exc

    @classmethod
    def _open(cls, root: Path, *, backup: bool, read_only: bool) -> Workspace:
        collab = root / "collaborative.json"
        # Checked before exists(): a dangling link must be refused, not taken for "no workspace".
        for path in (collab, root / "meetings", root / "backups"):
            refuse_symlink(path)
        for path in (collab, root / ".lock", root / "audit.log", root / "audit.anchor"):
            refuse_special(path)
        if not collab.exists():
            backups.refuse_orphaned_meetings(root)
            raise WorkspaceMissingError(
                f"No workspace at {root}: create one with 'facilitate init' "
                f"(or 'facilitate init --sample' for the sample task force)."
            )
        data = read_json(collab)
        if data is None:  # removed between the two calls
            raise WorkspaceMissingError(f"No workspace at {root}: collaborative.json is missing.")
        cls._check_schema(collab, data)
        ws = cls(root, shared_group=data[META]["1"].get("shared_group"), read_only=read_only)
        if ws.shared_group:
            refuse_linked_shared_root(root)
        ws.check_permissions()
        if read_only:
            if backup:
                raise StorageError("A read-only workspace takes no backups.")
            return ws
        with ws.lock.hold():
            remove_orphan_temps(root)
            remove_orphan_temps(ws.meetings_dir)
            if ws.backups_dir.is_dir():
                for folder in ws.backups_dir.iterdir():
                    if folder.is_dir() and not folder.is_symlink():
                        remove_orphan_temps(folder)
            ws._ensure_dir(ws.meetings_dir)
            ws._ensure_dir(ws.backups_dir)
            ledger.recover(ws, pendulum.now("UTC").isoformat())  # a save killed half-way
            if backup:
                ws.backup()
        return ws

    def defer_backup(self) -> None:
        """Take the start-up backup later (the app takes it after its first frame), but in any
        case before this instance's first save."""
        self._backup_due = True

    def take_due_backup(self) -> Path | None:
        """The deferred backup, under the lock, if not taken yet. Raises what ``backup`` raises
        (tried once: a failed backup is reported, it does not block the saves after it)."""
        if not self._backup_due:
            return None
        with self.lock.hold():
            return self._backup_if_due()

    def _backup_if_due(self) -> Path | None:
        if not self._backup_due:
            return None
        self._backup_due = False
        return self.backup()

    def backup(self) -> Path | None:
        """Copy collaborative.json and the most recently changed meetings into backups/
        (see storage/backups.py: rotated by the time recorded inside each backup)."""
        return backups.take_backup(self)

    # --- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Read-modify-write under the exclusive workspace lock; written once, at the end.

        If the block raises, nothing is written.
        """
        if self.read_only:
            raise StorageError(
                "This workspace was opened read-only (follow mode); nothing can be saved here."
            )
        with self.lock.hold():
            self._backup_if_due()  # the state before this instance's first save
            tx = Transaction(self, writable=True)
            try:
                yield tx
                tx.commit()
            except BaseException:
                tx.rollback()
                raise

    def snapshot(self) -> Transaction:
        """A read-only view without the lock (files are replaced atomically, so always whole)."""
        return Transaction(self, writable=False)

    def upgrade_file(self, path: Path, data: dict[str, Any]) -> dict[str, Any]:
        """Migrate an older file after backing it up. Call under the lock."""
        version = data[META]["1"]["schema_version"]
        if version >= migrations.SCHEMA_VERSION:
            return data
        upgraded = self.migrated(path, data)
        original = read_bytes_nofollow(path)
        if original is None:
            raise StorageError(f"{path} disappeared during the upgrade; nothing was changed.")
        backups.take_pre_migration(self, path, original)
        mark_audited(upgraded)
        name = ledger.rel_name(self.root, path)
        change = {"op": "migrate", "kind": "file", "id": name, "file": name}
        summary = f"schema {version} to {migrations.SCHEMA_VERSION}"
        ledger.commit(
            self,
            ledger.Save(
                writes=[(path, dump_json(upgraded))],
                changes=[{**change, "meeting": None, "summary": summary}],
                at=pendulum.now("UTC").isoformat(),
            ),
        )
        return upgraded
