"""Writing records: a transaction's changes, written once at commit with their audit entries."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum

from ..domain.meeting import AgendaItem, Meeting
from . import audit, ledger
from .atomic import dump_json
from .codec import to_doc
from .damage import require_decodable
from .errors import StaleRecordError, StorageError, UnknownIdError
from .paths import META
from .reading import COLLAB_TABLES, MEETING_TABLES, R, Reader, _kind

if TYPE_CHECKING:
    from .workspace import Workspace


def mark_audited(data: dict[str, Any]) -> None:
    """Mark a data file as written under the hashed audit trail: once marked, a file that no
    log entry covers was not written before the trail (check calls it "not yet covered") but
    had its entries removed."""
    meta = data.get(META, {}).get("1")
    if isinstance(meta, dict):
        meta["audited"] = True


class Transaction(Reader):
    """Reads and (when writable) writes records. Get one from ``Workspace.transaction()``."""

    def __init__(self, ws: Workspace, *, writable: bool) -> None:
        super().__init__(ws, writable=writable)
        self._changes: list[dict[str, Any]] = []
        # (record, rev before, file): revs are put back for files that were not written, so
        # after a failed save the same objects can simply be saved again.
        self._revs: list[tuple[Any, int, Path]] = []
        self._written: set[Path] = set()
        self._closed = False  # committed or rolled back
        self._now = pendulum.now("UTC")

    # --- writes ----------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if not self.writable:
            raise StorageError("This view is read-only (follow mode); nothing can be saved here.")
        if self._closed:  # (its data may now be what the next transaction starts from)
            raise StorageError("This transaction has ended; start another to save more.")

    def add(self, record: R) -> R:
        """Validate and insert a new record (rev 1). A duplicate id is refused."""
        self._require_writable()
        cls = type(record)
        validate = getattr(record, "validate", None)
        if validate:
            validate()
        meeting_id = self._meeting_of(record) if cls in MEETING_TABLES else None
        table = self._table_for(cls, meeting_id, create=cls is Meeting)
        rid = record.id  # type: ignore[attr-defined]
        if self._doc(cls, meeting_id, rid) is not None:
            raise StorageError(f"{_kind(cls)} {rid} already exists; not added twice.")
        self._revs.append((record, record.rev, self._path_for(cls, meeting_id)))  # type: ignore[attr-defined]
        record.rev = 1  # type: ignore[attr-defined]
        table.insert(to_doc(record))
        self._log("add", record)
        return record

    def replace_all(self, old: Sequence[Any], new: Sequence[R]) -> list[R]:
        """Delete ``old`` and add ``new`` (records of one type and one meeting) in one pass:
        the same checks as ``delete`` and ``add`` record by record, but one lookup table and
        one TinyDB write, so replacing a 2,000-item agenda costs linear, not quadratic, time.
        """
        self._require_writable()
        records = [*old, *new]
        if not records:
            return []
        cls = type(records[0])
        meeting_id = self._meeting_of(records[0]) if cls in MEETING_TABLES else None
        if any(type(r) is not cls or self._meeting_of(r) != meeting_id for r in records):
            raise TypeError("replace_all takes records of one type and one meeting")
        for record in new:
            validate = getattr(record, "validate", None)
            if validate:
                validate()
        table = self._table_for(cls, meeting_id, create=cls is Meeting)
        path, data = self._table_data(cls, meeting_id)
        by_id = {doc.get("id"): (int(doc_id), doc) for doc_id, doc in data.items()}
        gone: list[int] = []
        for record in old:
            found = by_id.pop(record.id, None)
            if found is None:
                raise UnknownIdError(_kind(cls), record.id)
            if found[1].get("rev", 0) != record.rev:
                theirs = self._decode(cls, dict(found[1]), path)
                raise StaleRecordError(_kind(cls), record.id, record, theirs)
            gone.append(found[0])
        for record in new:
            rid = record.id  # type: ignore[attr-defined]
            if rid in by_id:
                raise StorageError(f"{_kind(cls)} {rid} already exists; not added twice.")
            by_id[rid] = (0, {})
        if gone:
            table.remove(doc_ids=gone)
        for record in old:
            self._log("delete", record)
        for record in new:
            self._revs.append((record, record.rev, path))  # type: ignore[attr-defined]
            record.rev = 1  # type: ignore[attr-defined]
        table.insert_multiple([to_doc(record) for record in new])
        for record in new:
            self._log("add", record)
        return list(new)

    def update(self, record: R, *, changes: dict[str, tuple[Any, Any]] | None = None) -> R:
        """Save changes to a record loaded earlier. Refused if someone saved it since.

        ``changes``: {field: (old, new)}, logged with the entry (a correction of the record)."""
        self._require_writable()
        cls = type(record)
        validate = getattr(record, "validate", None)
        if validate:
            validate()
        meeting_id = self._meeting_of(record) if cls in MEETING_TABLES else None
        table = self._table_for(cls, meeting_id)
        rid = record.id  # type: ignore[attr-defined]
        doc = self._doc(cls, meeting_id, rid)
        if doc is None:
            raise UnknownIdError(_kind(cls), rid)
        stored_rev = doc.get("rev", 0)
        where = self._path_for(cls, meeting_id)
        if stored_rev != record.rev:  # type: ignore[attr-defined]
            raise StaleRecordError(_kind(cls), rid, record, self._decode(cls, dict(doc), where))
        self._revs.append((record, stored_rev, where))
        record.rev = stored_rev + 1  # type: ignore[attr-defined]
        table.update(to_doc(record), doc_ids=[doc.doc_id])
        self._log("update", record, changes)
        return record

    def delete(self, record: Any, *, changes: dict[str, tuple[Any, Any]] | None = None) -> None:
        """Remove a record. ``changes``: {field: (old, None)}, logged with the entry."""
        self._require_writable()
        cls = type(record)
        meeting_id = self._meeting_of(record) if cls in MEETING_TABLES else None
        table = self._table_for(cls, meeting_id)
        doc = self._doc(cls, meeting_id, record.id)
        if doc is None:
            raise UnknownIdError(_kind(cls), record.id)
        if doc.get("rev", 0) != record.rev:
            theirs = self._decode(cls, dict(doc), self._path_for(cls, meeting_id))
            raise StaleRecordError(_kind(cls), record.id, record, theirs)
        table.remove(doc_ids=[doc.doc_id])
        self._log("delete", record, changes)

    def _log(self, op: str, record: Any, changes: dict[str, tuple[Any, Any]] | None = None) -> None:
        summary = (
            getattr(record, "title", None)
            or getattr(record, "name", None)
            or getattr(record, "text", None)
            or ""
        )
        confidential = bool(getattr(record, "confidential", False)) or self._under_confidential(
            record
        )
        entry: dict[str, Any] = {
            "op": op,
            "kind": type(record).__name__,
            "id": record.id,
            "rev": record.rev,
            "meeting": self._meeting_of(record),
            # Never copy confidential text into the log.
            "summary": "(confidential)" if confidential else str(summary)[:80],
        }
        if changes:
            entry["changes"] = audit.changed_values(changes, withhold=confidential)
        self._changes.append(entry)

    def _under_confidential(self, record: Any) -> bool:
        """A decision or action raised under a confidential agenda item is confidential too."""
        item_id = getattr(record, "agenda_item_id", None)
        meeting_id = self._meeting_of(record)
        if not item_id or not meeting_id:
            return False
        try:
            doc = self._doc(AgendaItem, meeting_id, item_id)
        except StorageError:
            return True  # cannot tell: err on the side of not copying the text
        return doc is None or bool(doc.get("confidential", False))

    def commit(self) -> None:
        """Write the changed files with their audit entries (``ledger.commit``): both are
        saved or, as far as anyone can see, neither."""
        if not self.writable:
            return
        dirty = [f for f in self._files.values() if f.storage.dirty]
        for f in dirty:
            if f.kept is None:  # (a kept file was checked when written)
                tables = COLLAB_TABLES if f.path == self.ws.collaborative_path else MEETING_TABLES
                require_decodable(f.path, f.storage.data, tables)
        if dirty or self._changes:
            by_path = {f.path: f for f in dirty}

            def written(path: Path, key: tuple[int, int, int]) -> None:
                self._written.add(path)
                self.ws.keep_written(path, key, by_path[path].storage.data)

            for f in dirty:
                mark_audited(f.storage.data)
            ledger.commit(
                self.ws,
                ledger.Save(
                    writes=[(f.path, dump_json(f.storage.data)) for f in dirty],
                    changes=self._changes,
                    at=self._now.isoformat(),
                    on_written=written,
                ),
            )
        for f in self._files.values():
            if not f.storage.dirty and f.kept is not None:  # read, not changed: as on disk
                self.ws.keep_written(f.path, f.kept, f.storage.data)
        self._changes = []
        self._revs = []
        self._closed = True

    def rollback(self) -> None:
        """Nothing (more) is saved: give records back the revs they had for unwritten files."""
        for record, rev, path in reversed(self._revs):
            if path not in self._written:
                record.rev = rev
        self._revs = []
        self._changes = []
        self._closed = True
