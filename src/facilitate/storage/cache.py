"""Reading data files: parse, check the schema, and keep what was read or written.

Two caches, both keyed by the file's (mtime_ns, size, inode) so a file replaced by anyone else
is read again: the snapshots' read cache (``load_file``) and what this instance last wrote
(``take_written``), which a transaction may change in place and so is never shared with
snapshots.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Any

from . import index as meeting_index
from . import migrations
from .atomic import read_json
from .errors import AccessDeniedError, CorruptFileError, SchemaTooNewError, StorageError
from .paths import META, WorkspacePaths

CACHED_FILES = 16  # parsed files kept by the snapshot read cache (least recently used go)
DOC_ID = re.compile(r"^[0-9]+$")


class CachedFiles(WorkspacePaths):
    """The workspace's files as parsed data, with the read cache and the written cache."""

    def __init__(
        self, root: Path, *, shared_group: str | None = None, read_only: bool = False
    ) -> None:
        super().__init__(root, shared_group=shared_group, read_only=read_only)
        # take_written); separate from the snapshots' read cache, whose data is never changed.
        self._written: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        # The meeting index (.index.json), loaded on first use; written back only when
        # ``write_index`` is set (by the TUI and the report) and the workspace is not read-only.
        self._index: dict[str, meeting_index.Entry] | None = None
        self.write_index = False
        self._backup_due = False  # see defer_backup

    def stamp(self, meeting_id: str | None = None) -> tuple[Any, ...]:
        """A cheap change detector (stat only) for polling by other instances."""
        paths = [self.collaborative_path]
        if meeting_id:
            paths.append(self.meeting_path(meeting_id))
        else:
            paths.append(self.meetings_dir)
        out: list[tuple[int, int, int] | str | None] = []
        for p in paths:
            try:
                st = os.stat(p, follow_symlinks=False)
                out.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except FileNotFoundError:
                out.append(None)
            except OSError as exc:  # reported by the reload this change triggers
                out.append(f"error {exc.errno}")
        return tuple(out)

    # --- file loading ----------------------------------------------------------------------

    def load_file(
        self, path: Path, *, kind: str, fresh: bool, keep: bool = True
    ) -> dict[str, Any] | None:
        """Parse and check a data file. ``fresh`` bypasses the stat-keyed read cache; with
        ``keep=False`` a cached copy is used but a newly parsed one is not added to it."""
        try:
            return self._load_file(path, fresh=fresh, keep=keep)
        except PermissionError as exc:
            raise AccessDeniedError(path, self.shared_group) from exc

    def _load_file(self, path: Path, *, fresh: bool, keep: bool = True) -> dict[str, Any] | None:
        if not fresh:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                return None
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
            cached = self._cache.pop(path, None)
            if cached and cached[0] == key:
                self._cache[path] = cached  # most recently used last
                return cached[1]
        data = read_json(path)
        if data is None:
            return None
        self._check_schema(path, data)
        if not fresh and keep:
            self._cache[path] = (key, data)
            # Bounded: screens that read every meeting once (home, history, tracker) must not
            # keep ten years of parsed files alive for the rest of the session.
            while len(self._cache) > CACHED_FILES:
                del self._cache[next(iter(self._cache))]
        return data

    def take_written(self, path: Path) -> tuple[tuple[int, int, int], dict[str, Any]] | None:
        """(key, data) of ``path`` as this instance last wrote it, if the file is still that
        file (same mtime, size and inode): a save then need not parse the meeting file it
        wrote a moment ago. The entry is handed out once: the transaction changes the data in
        place and gives it back only with the key of what it wrote (``keep_written``), so
        data that was changed but not written is never handed out again."""
        kept = self._written.pop(path, None)
        if kept is None or self.lock.depth != 1:  # (under the lock, not nested)
            return None
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        return kept if (st.st_mtime_ns, st.st_size, st.st_ino) == kept[0] else None

    def keep_written(self, path: Path, key: tuple[int, int, int], data: dict[str, Any]) -> None:
        self._written.pop(path, None)
        self._written[path] = (key, data)
        while len(self._written) > CACHED_FILES:
            del self._written[next(iter(self._written))]

    @staticmethod
    def _check_schema(path: Path, data: dict[str, Any]) -> None:
        meta = data.get(META)
        if not isinstance(meta, dict) or not isinstance(meta.get("1"), dict):
            raise CorruptFileError(path, "no _meta table with a schema_version")
        version = meta["1"].get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise CorruptFileError(path, "schema_version is missing or not a number")
        known = migrations.SCHEMA_VERSION
        if version > known:
            raise SchemaTooNewError(path, version, known)
        for name, table in data.items():
            if not isinstance(table, dict):
                raise CorruptFileError(path, f"table {name!r} is not an object")
            for doc_id, doc in table.items():
                # TinyDB would fail on these with a bare ValueError deep inside a read.
                if not DOC_ID.match(doc_id):
                    raise CorruptFileError(path, f"table {name!r} has a bad record key {doc_id!r}")
                if not isinstance(doc, dict):
                    raise CorruptFileError(
                        path, f"record {doc_id} in table {name!r} is not an object"
                    )

    def migrated(self, path: Path, data: dict[str, Any]) -> dict[str, Any]:
        """An upgraded copy of an older file's data (nothing is written)."""
        version = data[META]["1"]["schema_version"]
        known = migrations.SCHEMA_VERSION
        if version >= known:
            return data
        try:
            upgraded = migrations.migrate(copy.deepcopy(data), version, known)
        except KeyError as exc:
            raise StorageError(
                f"{path}: cannot upgrade ({exc}); the file was not changed."
            ) from exc
        upgraded[META]["1"]["schema_version"] = known
        self._check_schema(path, upgraded)
        return upgraded
