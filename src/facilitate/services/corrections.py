"""Correcting the record: decisions, action items, feedback and notes of a meeting can be
edited or deleted until its minutes are approved, from the meeting screen or the history.

Every correction is one locked transaction, refused when the record changed since the screen
loaded it (its ``rev``), and logged with the old and new values of each changed field (a
confidential record's fields are named, not their values)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from ..domain.common import optional_text
from ..domain.corrections import (
    DELETABLE,
    EDITABLE,
    KIND_NAMES,
    changes_between,
    check_vote_counts,
    removal,
    require_correctable,
)
from ..domain.meeting import AgendaItem, Decision, Meeting
from ..storage.errors import StaleRecordError, StorageError
from ..storage.workspace import Transaction, Workspace

R = TypeVar("R")


@dataclass
class RecordEditor:
    ws: Workspace
    meeting_id: str

    def meeting(self) -> Meeting:
        return self.ws.snapshot().get(Meeting, self.meeting_id)

    def check(self) -> None:
        """Raise RecordClosedError now, before a form is filled in for nothing."""
        require_correctable(self.meeting())

    def _stored(self, tx: Transaction, record: Any) -> Any:
        cls = type(record)
        if cls not in EDITABLE:
            raise StorageError(f"A {cls.__name__} is not part of the record that can be corrected.")
        if getattr(record, "meeting_id", None) != self.meeting_id:
            raise StorageError("That record belongs to another meeting; it was not changed.")
        require_correctable(tx.get(Meeting, self.meeting_id), f"its {KIND_NAMES[cls]}")
        stored = tx.get(cls, record.id, self.meeting_id)
        if stored.rev != record.rev:
            raise StaleRecordError(cls.__name__, record.id, record, stored)
        return stored

    def save(self, record: R) -> R:
        """Save a corrected copy of a record loaded from this meeting. Only the correctable
        fields (``domain.record.EDITABLE``) are taken from it; nothing changed, nothing saved."""
        validate = getattr(record, "validate", None)
        if validate:
            validate()
        with self.ws.transaction() as tx:
            stored = self._stored(tx, record)
            if isinstance(record, Decision):
                check_vote_counts(record, stored.attending)  # (the room when it was taken)
            changes = changes_between(stored, record)
            if not changes:
                return stored
            for name, (_old, new) in changes.items():
                setattr(stored, name, new)
            return tx.update(stored, changes=changes)

    def delete(self, record: Any) -> None:
        if type(record) not in DELETABLE:
            raise StorageError(f"A {type(record).__name__} cannot be deleted from the record.")
        with self.ws.transaction() as tx:
            stored = self._stored(tx, record)
            tx.delete(stored, changes=removal(stored))

    def save_notes(self, item: AgendaItem, text: str) -> AgendaItem:
        """Correct an item's notes. Compared with the notes the screen loaded (not the item's
        rev: during a live meeting its timer changes it every step)."""
        notes = optional_text(text, "Notes")
        with self.ws.transaction() as tx:
            require_correctable(tx.get(Meeting, self.meeting_id), "its notes")
            stored = tx.get(AgendaItem, item.id, self.meeting_id)
            if stored.notes != item.notes:
                raise StaleRecordError("Agenda item", item.id, item, stored)
            if stored.notes == notes:
                return stored
            changes = {"notes": (stored.notes, notes)}
            stored.notes = notes
            return tx.update(stored, changes=changes)
