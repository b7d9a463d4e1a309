"""Freezing a meeting's record when it ends, and finding the record its minutes are built from.

- ``freeze_ended`` (inside the transaction that ends a meeting): stores the record.
- ``ensure_frozen`` (before minutes are read): a meeting that ended before records were kept
  gets one, built from the roster as it stands and marked reconstructed, after its file is
  backed up to ``backups/pre-freeze-<stamp>/``. This is the one-off upgrade of older meetings;
  it is not a schema migration step because a step sees one file and the record needs the
  roster from another, and because read-only views migrate in memory only, so a record
  rebuilt there would drift with every roster change until something was saved.
- ``record_for`` (while gathering minutes): the stored record of an ended meeting; for one not
  ended yet (or one read where nothing may be written) the record as things stand now.
"""

from __future__ import annotations

from pendulum import DateTime

from ..domain.meeting import Attendance, Meeting, MeetingStatus
from ..domain.record import RECORD_ID, MeetingRecord, freeze
from ..storage.atomic import read_bytes_nofollow
from ..storage.backups import take_pre_migration
from ..storage.errors import StorageError
from ..storage.workspace import Transaction, Workspace


def stored_record(tx: Transaction, meeting_id: str) -> MeetingRecord | None:
    return tx.find(MeetingRecord, RECORD_ID, meeting_id)


def freeze_ended(tx: Transaction, meeting: Meeting, now: DateTime) -> MeetingRecord:
    """Store (or, for a meeting ended again after a resume, replace) the meeting's record."""
    record = freeze(meeting.id, tx.roster(), tx.all(Attendance, meeting.id), now)
    old = stored_record(tx, meeting.id)
    if old is None:
        return tx.add(record)
    record.rev = old.rev
    return tx.update(record)


def ensure_frozen(ws: Workspace, meeting_id: str, now: DateTime) -> MeetingRecord | None:
    """Give an ended meeting without a record its reconstructed record (backed up first).
    Nothing is written for a meeting that is not ended or already has one, or read-only."""
    if ws.read_only:
        return None
    tx = ws.snapshot()
    meeting = tx.find(Meeting, meeting_id)
    if meeting is None or meeting.status is not MeetingStatus.ENDED:
        return None
    if stored_record(tx, meeting_id) is not None:
        return None
    with ws.transaction() as wtx:
        meeting = wtx.get(Meeting, meeting_id)
        if meeting.status is not MeetingStatus.ENDED or stored_record(wtx, meeting_id):
            return None
        path = ws.meeting_path(meeting_id)
        original = read_bytes_nofollow(path)
        if original is None:
            raise StorageError(f"{path} disappeared before its backup; nothing was changed.")
        take_pre_migration(ws, path, original, label="pre-freeze")
        record = freeze(
            meeting_id,
            wtx.roster(),
            wtx.all(Attendance, meeting_id),
            now,
            reconstructed=True,
        )
        return wtx.add(record)


def record_for(tx: Transaction, meeting: Meeting, now: DateTime) -> MeetingRecord:
    """The record the minutes are built from (see the module docstring)."""
    if meeting.status is MeetingStatus.ENDED:
        stored = stored_record(tx, meeting.id)
        if stored is not None:
            return stored
        return freeze(
            meeting.id, tx.roster(), tx.all(Attendance, meeting.id), now, reconstructed=True
        )
    return freeze(meeting.id, tx.roster(), tx.all(Attendance, meeting.id), now)
