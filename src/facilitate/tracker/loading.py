"""Read the whole workspace once: the roster and every meeting's records.

The tracker, search and history screens call this once when they open (and on an explicit
refresh), then filter in memory, so typing in a search box never re-reads meeting files. A
damaged meeting file costs that meeting only: it is reported in ``problems`` and skipped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from pendulum import Date

from ..domain.meeting import AgendaItem, Meeting
from ..domain.meeting import under_confidential as under_confidential  # (re-exported)
from ..domain.roster import Roster
from ..domain.trends import next_meeting_days
from ..storage.errors import StorageError
from ..storage.workspace import MeetingBundle, Workspace


@dataclass
class WorkspaceView:
    roster: Roster
    bundles: list[MeetingBundle]  # oldest meeting first
    problems: list[str] = field(default_factory=list)
    _next_days: dict[str, Date | None] | None = None

    @property
    def meetings(self) -> list[Meeting]:
        return [b.meeting for b in self.bundles]

    def bundle(self, meeting_id: str) -> MeetingBundle | None:
        return next((b for b in self.bundles if b.meeting.id == meeting_id), None)

    def next_days(self) -> dict[str, Date | None]:
        if self._next_days is None:
            self._next_days = next_meeting_days(self.meetings)
        return self._next_days


FileKey = tuple[int, int, int]

# Decoded meetings per workspace, keyed by each file's (mtime, size, inode). Every save replaces
# the file atomically (a new inode), so a changed meeting is always read again; an unchanged one
# is not decoded twice. The cached objects are shared: treat them as read-only.
_BUNDLES: WeakKeyDictionary[Workspace, dict[str, tuple[FileKey, MeetingBundle]]] = (
    WeakKeyDictionary()
)


def _file_key(path: os.PathLike[str]) -> FileKey | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def load_view(ws: Workspace) -> WorkspaceView:
    """The roster and every readable meeting, from one read-only snapshot."""
    tx = ws.snapshot()
    roster = tx.roster()
    cache = _BUNDLES.setdefault(ws, {})
    bundles: list[MeetingBundle] = []
    problems: list[str] = []
    ids = tx.meeting_ids()
    for meeting_id in ids:
        key = _file_key(ws.meeting_path(meeting_id))
        cached = cache.get(meeting_id)
        if key is not None and cached is not None and cached[0] == key:
            bundles.append(cached[1])
            continue
        try:
            with tx.passing(meeting_id, len(ids)):
                if tx.find(Meeting, meeting_id) is None:
                    problems.append(f"meetings/{meeting_id}.json holds no meeting record; skipped.")
                    continue
                bundle = tx.bundle(meeting_id)
        except StorageError as exc:
            problems.append(str(exc))
            continue
        bundles.append(bundle)
        if key is not None:
            cache[meeting_id] = (key, bundle)
    for gone in set(cache) - set(ids):
        del cache[gone]
    bundles.sort(key=lambda b: (b.meeting.start, b.meeting.id))
    return WorkspaceView(roster=roster, bundles=bundles, problems=problems)


def confidential_item_ids(items: list[AgendaItem]) -> set[str]:
    return {i.id for i in items if i.confidential}
