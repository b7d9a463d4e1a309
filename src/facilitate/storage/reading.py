"""Reading records: the read side of a transaction (and all of a snapshot).

Records are decoded from the parsed files of ``cache``; a read-only snapshot answers the
home screen's questions from the meeting index where the files are unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from ..domain.actions import ActionItem, ActionStatus
from ..domain.meeting import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingStatus,
    under_confidential,
)
from ..domain.record import MeetingRecord
from ..domain.roster import Member, Organization, Profile, Roster, Subcommittee
from ..domain.speaking import SpeakingRound, SpeakingTurn
from ..domain.training import TrainingSnippet
from . import index as meeting_index
from . import migrations
from .cache import CACHED_FILES
from .codec import CANONICAL_INSTANT, DecodeError, from_doc
from .errors import CorruptFileError, StorageError, UnknownIdError, WorkspaceMissingError
from .paths import META

if TYPE_CHECKING:
    from .workspace import Workspace

R = TypeVar("R")

COLLAB_TABLES: dict[type, str] = {
    Profile: "profile",
    Organization: "organizations",
    Member: "members",
    Subcommittee: "subcommittees",
    TrainingSnippet: "training",
}
MEETING_TABLES: dict[type, str] = {
    Meeting: "meeting",
    AgendaItem: "agenda",
    Attendance: "attendance",
    Decision: "decisions",
    ActionItem: "actions",
    Feedback: "feedback",
    AgendaProposal: "proposals",
    MeetingRecord: "record",
    SpeakingTurn: "turns",
    SpeakingRound: "rounds",
}


class _BufferStorage(Storage):
    """TinyDB storage over an in-memory dict; the transaction writes it to disk once."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True


@dataclass
class _OpenFile:
    path: Path
    db: TinyDB
    storage: _BufferStorage
    exists: bool
    kept: tuple[int, int, int] | None = None  # the key, when the data came from take_written


@dataclass
class MeetingBundle:
    """Everything stored for one meeting."""

    meeting: Meeting
    items: list[AgendaItem]
    attendance: list[Attendance]
    decisions: list[Decision]
    actions: list[ActionItem]
    feedback: list[Feedback]
    proposals: list[AgendaProposal] = field(default_factory=list)
    # The speakers' queue and rounds (empty in files written before they were kept).
    turns: list[SpeakingTurn] = field(default_factory=list)
    rounds: list[SpeakingRound] = field(default_factory=list)

    def item(self, item_id: str | None) -> AgendaItem | None:
        return next((i for i in self.items if i.id == item_id), None)


def _kind(cls: type) -> str:
    return {
        "TrainingSnippet": "Training snippet",
        "ActionItem": "Action item",
        "SpeakingTurn": "Speaking turn",
        "SpeakingRound": "Speaking round",
    }.get(cls.__name__, cls.__name__)


class Reader:
    """Reads records from one consistent set of files (see ``Transaction`` for writes)."""

    def __init__(self, ws: Workspace, *, writable: bool) -> None:
        self.ws = ws
        self.writable = writable
        self._files: dict[Path, _OpenFile] = {}
        self._keep_parsed = True  # False during a pass over more meetings than the cache holds
        # A read-only snapshot summarises the meeting files once (home asks for the meetings
        # and then the open actions: one stat of every file, not two).
        self._summary_rows: list[tuple[str, Path, meeting_index.Entry]] | None = None

    # --- files -----------------------------------------------------------------------------

    def _open(self, path: Path, kind: str, *, create: bool = False) -> _OpenFile | None:
        open_file = self._files.get(path)
        if open_file is not None:
            return open_file
        kept = self.ws.take_written(path) if self.writable else None
        key: tuple[int, int, int] | None = None
        if kept is not None:  # what this instance last wrote, still on disk as it was
            key, data = kept
            exists = True
        else:
            loaded = self.ws.load_file(path, kind=kind, fresh=self.writable, keep=self._keep_parsed)
            exists = loaded is not None
            if loaded is None:
                if not create:
                    return None
                data = {META: {"1": self.ws._meta(kind)}}
            elif self.writable:
                data = self.ws.upgrade_file(path, loaded)
            else:
                data = self.ws.migrated(path, loaded)
        storage = _BufferStorage(data)
        db = TinyDB(storage=_StorageFactory(storage))
        open_file = _OpenFile(path, db, storage, exists, kept=key)
        self._files[path] = open_file
        return open_file

    def _file_for(self, cls: type, meeting_id: str | None, *, create: bool = False) -> _OpenFile:
        if cls in COLLAB_TABLES:
            f = self._open(self.ws.collaborative_path, "collaborative")
            if f is None:
                raise WorkspaceMissingError(f"{self.ws.collaborative_path} is missing.")
            return f
        if cls in MEETING_TABLES:
            if not meeting_id:
                raise StorageError(f"{cls.__name__} needs a meeting id")
            f = self._open(self.ws.meeting_path(meeting_id), "meeting", create=create)
            if f is None:
                raise UnknownIdError("Meeting", meeting_id)
            return f
        raise TypeError(f"{cls.__name__} is not a stored record type")

    def _table_for(self, cls: type, meeting_id: str | None, *, create: bool = False) -> Any:
        f = self._file_for(cls, meeting_id, create=create)
        return f.db.table((COLLAB_TABLES | MEETING_TABLES)[cls], cache_size=0)

    def _path_for(self, cls: type, meeting_id: str | None) -> Path:
        return self._file_for(cls, meeting_id).path

    @staticmethod
    def _meeting_of(record: Any) -> str | None:
        if isinstance(record, Meeting):
            return record.id
        return getattr(record, "meeting_id", None)

    def _decode(self, cls: type[R], doc: dict[str, Any], where: Path) -> R:
        try:
            return from_doc(cls, doc)
        except DecodeError as exc:
            raise CorruptFileError(where, f"bad record: {exc}") from exc

    # --- reads -----------------------------------------------------------------------------

    def _table_data(self, cls: type, meeting_id: str | None) -> tuple[Path, dict[str, Any]]:
        """The file and the table dict TinyDB reads and writes through ({doc_id: document})."""
        f = self._file_for(cls, meeting_id)
        return f.path, f.storage.data.get((COLLAB_TABLES | MEETING_TABLES)[cls], {})

    def _docs(self, cls: type, meeting_id: str | None) -> tuple[Path, Iterable[dict[str, Any]]]:
        # Straight from the table dict (same records, same order as ``table.all()``), without
        # TinyDB's two copies of every record; decoding copies what it keeps and never changes
        # the document.
        path, table = self._table_data(cls, meeting_id)
        return path, table.values()

    def _doc(self, cls: type, meeting_id: str | None, record_id: str) -> Document | None:
        """The stored document of one record, as ``table.get(Query().id == record_id)`` gives
        it (a copy, with its ``doc_id``), without TinyDB's query objects: a save looks records
        up two or three times, and a query is a chain of Python calls per record in the
        table."""
        _path, table = self._table_data(cls, meeting_id)
        for doc_id, doc in table.items():
            if doc.get("id") == record_id:
                return Document(doc, doc_id=int(doc_id))
        return None

    def all(self, cls: type[R], meeting_id: str | None = None) -> list[R]:
        path, docs = self._docs(cls, meeting_id)
        return [self._decode(cls, doc, path) for doc in docs]

    def some(self, cls: type[R], ids: Collection[str], meeting_id: str | None = None) -> list[R]:
        """The records with these ids (the others are not decoded: the home screen needs a
        handful of the 300 members of ten years)."""
        path, docs = self._docs(cls, meeting_id)
        wanted = set(ids)
        return [self._decode(cls, doc, path) for doc in docs if doc.get("id") in wanted]

    def find(self, cls: type[R], record_id: str, meeting_id: str | None = None) -> R | None:
        if cls is Meeting:
            meeting_id = record_id
            try:
                doc = self._doc(cls, meeting_id, record_id)
            except UnknownIdError:
                return None
        else:
            doc = self._doc(cls, meeting_id, record_id)
        if doc is None:
            return None
        return self._decode(cls, dict(doc), self._path_for(cls, meeting_id))

    def get(self, cls: type[R], record_id: str, meeting_id: str | None = None) -> R:
        found = self.find(cls, record_id, meeting_id)
        if found is None:
            raise UnknownIdError(_kind(cls), record_id)
        return found

    def profile(self) -> Profile:
        found = self.all(Profile)
        if not found:
            raise StorageError(
                f"{self.ws.collaborative_path} has no collaborative profile yet: run "
                "'facilitate init --sample' or set one up."
            )
        return found[0]

    def roster(self) -> Roster:
        return Roster(
            profile=self.profile(),
            organizations=sorted(self.all(Organization), key=lambda o: o.name.lower()),
            members=sorted(self.all(Member), key=lambda m: m.name.lower()),
            subcommittees=sorted(self.all(Subcommittee), key=lambda s: s.name.lower()),
        )

    def meeting_ids(self) -> list[str]:
        return [p.stem for p in self.ws.meeting_files()]

    def meetings(self, statuses: Collection[MeetingStatus] | None = None) -> list[Meeting]:
        """Every meeting, by start; with ``statuses``, only those. From the index, the others
        are not even decoded (the home screen wants the live or planned one of 120). A
        record whose status is not a known one is decoded anyway, so that it is reported."""
        skip = (
            set()
            if statuses is None
            else {s.value for s in MeetingStatus} - {s.value for s in statuses}
        )
        out: list[Meeting] = []
        if not self.writable:
            out = self._from_index(
                lambda rows: [
                    self._decode(Meeting, entry.meeting, path)
                    for _mid, path, entry in rows
                    if entry.meeting is not None and entry.meeting.get("status") not in skip
                ]
            )
            return sorted(out, key=lambda m: m.start)
        for mid in self.meeting_ids():
            found = self.find(Meeting, mid)
            if found is not None and found.status.value not in skip:
                out.append(found)
        return sorted(out, key=lambda m: m.start)

    def last_meeting(self, status: MeetingStatus) -> Meeting | None:
        """The meeting with ``status`` that starts last. From the index, only it is decoded
        when the starts are in the form the codec writes (UTC, which sorts as text); any
        other start is decoded to be compared."""
        if self.writable:
            found = self.meetings({status})
            return found[-1] if found else None

        def pick(rows: list[tuple[str, Path, meeting_index.Entry]]) -> list[Meeting]:
            best: tuple[str, dict[str, Any], Path] | None = None
            others: list[Meeting] = []
            for _mid, path, entry in rows:
                doc = entry.meeting
                if doc is None or doc.get("status") != status.value:
                    continue
                start = doc.get("start")
                if isinstance(start, str) and CANONICAL_INSTANT.fullmatch(start):
                    if best is None or start >= best[0]:  # (the last of equals, as sorted)
                        best = (start, doc, path)
                else:
                    others.append(self._decode(Meeting, doc, path))
            if best is not None:
                others.append(self._decode(Meeting, best[1], best[2]))
            return others

        found = self._from_index(pick)
        return sorted(found, key=lambda m: m.start)[-1] if found else None

    def _summaries(self) -> list[tuple[str, Path, meeting_index.Entry]]:
        """(id, file, entry) per meeting file, from the index where the file is unchanged.

        A file this snapshot already opened is summarised from what it read, and any other
        changed or new file is parsed (and checked) as a normal read would.
        """
        if self._summary_rows is None:
            self._summary_rows = self._summarise()
        return self._summary_rows

    def _summarise(self) -> list[tuple[str, Path, meeting_index.Entry]]:
        ws = self.ws
        if ws._index is None:
            ws._index = meeting_index.load(ws.index_path, migrations.SCHEMA_VERSION)
        index = ws._index
        ids = self.meeting_ids()
        out = []
        changed = False
        for mid in ids:
            path = ws.meeting_path(mid)
            key = meeting_index.file_key(path)
            entry = index.get(mid)
            if path in self._files or entry is None or key is None or entry.key != key:
                with self.passing(mid, len(ids)):
                    f = self._open(path, "meeting")
                    if f is None:  # removed since the listing
                        continue
                    data = f.storage.data
                    meeting = next(
                        (
                            doc
                            for doc in data.get(MEETING_TABLES[Meeting], {}).values()
                            if doc.get("id") == mid
                        ),
                        None,
                    )
                    actions = [
                        doc
                        for doc in data.get(MEETING_TABLES[ActionItem], {}).values()
                        if doc.get("status") == meeting_index.OPEN
                    ]
                    withheld = self._withheld(data, actions, path)
                fresh = meeting_index.Entry(key or (0, 0, 0), meeting, actions, withheld)
                if key is not None and path not in self._files:
                    index[mid] = fresh
                    changed = True
                entry = fresh
            out.append((mid, path, entry))
        for gone in set(index) - set(ids):
            del index[gone]
            changed = True
        if changed and ws.write_index and not ws.read_only:
            meeting_index.save(ws.index_path, index, migrations.SCHEMA_VERSION, ws.file_mode)
        return out

    def _withheld(self, data: dict[str, Any], actions: list[Any], path: Path) -> list[str]:
        """Ids of the open actions (stored docs) raised under a confidential agenda item of
        this meeting file; only the items they name are decoded."""
        wanted = {a.get("agenda_item_id") for a in actions} - {None, ""}
        if not wanted:
            return []
        items = {
            item.id: item
            for doc in data.get(MEETING_TABLES[AgendaItem], {}).values()
            if doc.get("id") in wanted
            for item in (self._decode(AgendaItem, doc, path),)
        }
        return [
            str(a.get("id")) for a in actions if under_confidential(a.get("agenda_item_id"), items)
        ]

    def withheld_open_actions(self) -> set[str]:
        """Ids of the open actions raised under a confidential agenda item, whose text is
        withheld wherever confidential items are locked (the home screen's report-backs)."""
        if self.writable:
            out: set[str] = set()
            for mid in self.meeting_ids():
                actions = [a for a in self.all(ActionItem, mid) if a.status is ActionStatus.OPEN]
                if actions:
                    items = {i.id: i for i in self.all(AgendaItem, mid)}
                    out |= {a.id for a in actions if under_confidential(a.agenda_item_id, items)}
            return out
        return set(
            self._from_index(lambda rows: [w for _mid, _path, e in rows for w in e.withheld])
        )

    @contextlib.contextmanager
    def passing(self, meeting_id: str, of: int) -> Iterator[None]:
        """One meeting in a read-only pass over ``of`` meetings.

        The file is not kept open in this snapshot: with ten years of history that held every
        parsed meeting in memory at once. When the pass covers more files than the read cache
        holds, newly parsed files are not cached either: a least-recently-used cache would
        only evict what is in use (the running meeting, the roster) to hold files the next
        pass evicts again. (A file the snapshot already had open stays; a writable transaction
        keeps everything.)
        """
        if self.writable:
            yield
            return
        path = self.ws.meeting_path(meeting_id)
        kept = path in self._files
        self._keep_parsed = of <= CACHED_FILES
        try:
            yield
        finally:
            self._keep_parsed = True
            if not kept:
                self._files.pop(path, None)

    def bundle(self, meeting_id: str) -> MeetingBundle:
        meeting = self.get(Meeting, meeting_id)
        return MeetingBundle(
            meeting=meeting,
            items=sorted(self.all(AgendaItem, meeting_id), key=lambda i: (i.position, i.id)),
            attendance=self.all(Attendance, meeting_id),
            decisions=self.all(Decision, meeting_id),
            actions=self.all(ActionItem, meeting_id),
            feedback=self.all(Feedback, meeting_id),
            proposals=self.all(AgendaProposal, meeting_id),
            turns=sorted(
                self.all(SpeakingTurn, meeting_id), key=lambda t: (t.item_id, t.position, t.id)
            ),
            rounds=self.all(SpeakingRound, meeting_id),
        )

    def open_actions(self) -> list[ActionItem]:
        """Every open action item (the home screen's report-backs): closed ones are not even
        decoded, which is most of ten years' actions."""
        if self.writable:
            return [a for a in self.all_actions() if a.status is ActionStatus.OPEN]
        return self._from_index(
            lambda rows: [
                self._decode(ActionItem, doc, path)
                for _mid, path, entry in rows
                for doc in entry.open_actions
            ]
        )

    def _from_index(
        self, decode: Callable[[list[tuple[str, Path, meeting_index.Entry]]], list[R]]
    ) -> list[R]:
        """``decode`` applied to the summaries. A record in the index that does not decode
        (the index edited by hand?) must not be blamed on the meeting file: the index is
        dropped and the files are read; a damaged file is then reported as such."""
        try:
            return decode(self._summaries())
        except CorruptFileError:
            if not self.ws._index:
                raise
            self.ws._index = {}
            self._summary_rows = None
            return decode(self._summaries())

    def all_actions(self) -> list[ActionItem]:
        out: list[ActionItem] = []
        ids = self.meeting_ids()
        for mid in ids:
            with self.passing(mid, len(ids)):
                out.extend(self.all(ActionItem, mid))
        return out


class _StorageFactory:
    """TinyDB builds its storage itself; hand it the prepared buffer."""

    def __init__(self, storage: _BufferStorage) -> None:
        self.storage = storage

    def __call__(self) -> _BufferStorage:
        return self.storage
