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
"""

from __future__ import annotations

import contextlib
import copy
import grp
import os
import re
import shutil
import stat
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pendulum
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
from ..domain.roster import Member, Organization, Profile, Roster, Subcommittee
from ..domain.training import TrainingSnippet
from . import audit, migrations
from . import index as meeting_index
from .atomic import (
    WorkspaceLock,
    atomic_write_bytes,
    dump_json,
    read_bytes_nofollow,
    read_json,
    refuse_special,
    refuse_symlink,
    remove_orphan_temps,
)
from .codec import CANONICAL_INSTANT, DecodeError, from_doc, to_doc
from .errors import (
    AccessDeniedError,
    CorruptFileError,
    SchemaTooNewError,
    StaleRecordError,
    StorageError,
    UnknownIdError,
    WorkspaceMissingError,
    WorkspacePermissionError,
)

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
}
META = "_meta"
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")
BACKUPS_KEPT = 10
CACHED_FILES = 16  # parsed files kept by the snapshot read cache (least recently used go)
# Names of the rotating backups taken on open (pre-migration backups are never rotated away).
BACKUP_STAMP = re.compile(r"^\d{8}-\d{6}-\d{6}$")
DOC_ID = re.compile(r"^[0-9]+$")


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

    def item(self, item_id: str | None) -> AgendaItem | None:
        return next((i for i in self.items if i.id == item_id), None)


def _setgid_group(root: Path) -> str | None:
    """The group of a group-shared (setgid) folder, to name in a permission error."""
    try:
        st = os.stat(root)
    except OSError:
        return None
    if not st.st_mode & stat.S_ISGID:
        return None
    try:
        return grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        return str(st.st_gid)


def _kind(cls: type) -> str:
    return {"TrainingSnippet": "Training snippet", "ActionItem": "Action item"}.get(
        cls.__name__, cls.__name__
    )


class Workspace:
    def __init__(
        self, root: Path, *, shared_group: str | None = None, read_only: bool = False
    ) -> None:
        self.root = root
        self.shared_group = shared_group
        self.read_only = read_only
        self.file_mode = 0o660 if shared_group else 0o600
        self.dir_mode = 0o2770 if shared_group else 0o700
        self.lock = WorkspaceLock(root / ".lock", self.file_mode, group=shared_group)
        self._cache: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        # What this instance last wrote to each file, for its next transaction (see
        # take_written); separate from the snapshots' read cache, whose data is never changed.
        self._written: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        # The meeting index (.index.json), loaded on first use; written back only when
        # ``write_index`` is set (by the TUI) and the workspace is not read-only.
        self._index: dict[str, meeting_index.Entry] | None = None
        self.write_index = False
        self._backup_due = False  # see defer_backup

    # --- paths ---------------------------------------------------------------------------

    @property
    def collaborative_path(self) -> Path:
        return self.root / "collaborative.json"

    @property
    def meetings_dir(self) -> Path:
        return self.root / "meetings"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def audit_path(self) -> Path:
        return self.root / "audit.log"

    @property
    def audit_anchor_path(self) -> Path:
        return self.root / "audit.anchor"

    @property
    def index_path(self) -> Path:
        return self.root / meeting_index.INDEX_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    def meeting_path(self, meeting_id: str) -> Path:
        if not SAFE_ID.match(meeting_id or ""):
            raise UnknownIdError("Meeting", meeting_id)
        return self.meetings_dir / f"{meeting_id}.json"

    def meeting_files(self) -> list[Path]:
        folder = self.meetings_dir
        try:
            with os.scandir(folder) as entries:
                names = sorted(
                    e.name for e in entries if e.name.endswith(".json") and e.name[0] != "."
                )
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return []  # as Path.glob did (an unreadable folder is reported by check_permissions)
        return [folder / name for name in names]

    # --- create / open ---------------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, *, shared_group: str | None = None) -> Workspace:
        root = Path(root)
        if (root / "collaborative.json").exists():
            raise StorageError(
                f"{root} already holds a workspace; open it, or choose another --data folder."
            )
        gid = None
        if shared_group:
            try:
                gid = grp.getgrnam(shared_group).gr_gid
            except KeyError as exc:
                raise StorageError(
                    f"Unknown group {shared_group!r}: create it first (groupadd {shared_group})."
                ) from exc
        ws = cls(root, shared_group=shared_group)
        for d in (root, ws.meetings_dir, ws.backups_dir):
            d.mkdir(parents=True, exist_ok=True)
            refuse_symlink(d)
            if gid is not None:
                os.chown(d, -1, gid)
            os.chmod(d, ws.dir_mode)
        data: dict[str, Any] = {META: {"1": ws._meta("collaborative")}}
        atomic_write_bytes(ws.collaborative_path, dump_json(data), ws.file_mode)
        return ws

    def _meta(self, kind: str) -> dict[str, Any]:
        meta: dict[str, Any] = {"schema_version": migrations.SCHEMA_VERSION, "kind": kind}
        if self.shared_group:
            meta["shared_group"] = self.shared_group
        return meta

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
            raise WorkspaceMissingError(
                f"No workspace at {root}: create one with 'facilitate init' "
                f"(or 'facilitate init --sample' for the sample task force)."
            )
        data = read_json(collab)
        if data is None:  # removed between the two calls
            raise WorkspaceMissingError(f"No workspace at {root}: collaborative.json is missing.")
        cls._check_schema(collab, data)
        ws = cls(root, shared_group=data[META]["1"].get("shared_group"), read_only=read_only)
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
            if backup:
                ws.backup()
        return ws

    def _ensure_dir(self, path: Path) -> None:
        """Create a workspace folder with exactly ``dir_mode`` (mkdir's mode obeys the umask)."""
        try:
            path.mkdir(mode=self.dir_mode)
        except FileExistsError:
            refuse_symlink(path)
            return
        os.chmod(path, self.dir_mode)

    def check_permissions(self) -> list[str]:
        """Refuse a workspace others can read (unless it is group-shared). Returns warnings."""
        st = os.stat(self.root)
        if self.shared_group:
            if st.st_mode & 0o007:
                raise WorkspacePermissionError(
                    f"Shared workspace {self.root} is open to all users (mode "
                    f"{stat.S_IMODE(st.st_mode):04o}). Fix it with: chmod -R o-rwx '{self.root}'"
                )
            return []
        if st.st_mode & 0o077:
            raise WorkspacePermissionError(
                f"Workspace {self.root} can be read by other users (mode "
                f"{stat.S_IMODE(st.st_mode):04o}); it holds confidential case notes. Fix it with: "
                f"chmod -R go-rwx '{self.root}'  (or create a group-shared workspace with "
                f"'facilitate init --shared-group GROUP')."
            )
        return []

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
        """Copy collaborative.json and the most recently changed meetings into backups/."""
        stamp = pendulum.now("UTC").format("YYYYMMDD-HHmmss-SSSSSS")
        target = self.backups_dir / stamp
        sources = [self.collaborative_path]
        # lstat: a planted link is neither followed here nor copied below (read_bytes_nofollow
        # refuses it), so nobody can get a private file copied into the shared backups.
        meetings = sorted(self.meeting_files(), key=lambda p: os.lstat(p).st_mtime_ns)[-3:]
        sources += meetings
        contents = []
        for src in sources:
            data = read_bytes_nofollow(src)
            if data is not None:
                contents.append((src.name, data))
        self._ensure_dir(self.backups_dir)
        self._ensure_dir(target)
        for name, data in contents:
            atomic_write_bytes(target / name, data, self.file_mode, nofollow_dir=True)
        snapshots = sorted(
            p
            for p in self.backups_dir.iterdir()
            if p.is_dir() and not p.is_symlink() and BACKUP_STAMP.match(p.name)
        )
        for old in snapshots[:-BACKUPS_KEPT]:
            shutil.rmtree(old, ignore_errors=True)
        return target

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

    def upgrade_file(self, path: Path, data: dict[str, Any]) -> dict[str, Any]:
        """Migrate an older file after backing it up. Call under the lock."""
        version = data[META]["1"]["schema_version"]
        if version >= migrations.SCHEMA_VERSION:
            return data
        upgraded = self.migrated(path, data)
        stamp = pendulum.now("UTC").format("YYYYMMDD-HHmmss-SSSSSS")
        target = self.backups_dir / f"pre-migration-{stamp}"
        self._ensure_dir(self.backups_dir)
        self._ensure_dir(target)
        original = read_bytes_nofollow(path)
        if original is None:
            raise StorageError(f"{path} disappeared during the upgrade; nothing was changed.")
        atomic_write_bytes(target / path.name, original, self.file_mode, nofollow_dir=True)
        self.write_file(path, dump_json(upgraded))
        return upgraded

    def write_file(self, path: Path, data: bytes) -> tuple[int, int, int]:
        """Atomically replace a workspace file; a linked subfolder is refused as well.
        Returns the new file's (mtime_ns, size, inode)."""
        return atomic_write_bytes(path, data, self.file_mode, nofollow_dir=path.parent != self.root)

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


class Transaction:
    """Reads and (when writable) writes records. Get one from ``Workspace.transaction()``."""

    def __init__(self, ws: Workspace, *, writable: bool) -> None:
        self.ws = ws
        self.writable = writable
        self._files: dict[Path, _OpenFile] = {}
        self._changes: list[dict[str, Any]] = []
        # (record, rev before, file): revs are put back for files that were not written, so
        # after a failed save the same objects can simply be saved again.
        self._revs: list[tuple[Any, int, Path]] = []
        self._written: set[Path] = set()
        self._closed = False  # committed or rolled back
        self._now = pendulum.now("UTC")
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
        if not self.writable:
            return
        if self._changes:
            # Checked before any data is written, so a refused log means nothing was saved.
            refuse_special(self.ws.audit_path)
        for f in self._files.values():
            if f.storage.dirty:
                key = self.ws.write_file(f.path, dump_json(f.storage.data))
                self._written.add(f.path)
                self.ws.keep_written(f.path, key, f.storage.data)
            elif f.kept is not None:  # read, not changed: still what is on disk
                self.ws.keep_written(f.path, f.kept, f.storage.data)
        if self._changes:
            audit.append(
                self.ws.audit_path,
                self._changes,
                self._now.isoformat(),
                self.ws.file_mode,
                anchor=self.ws.audit_anchor_path,
            )
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


class _StorageFactory:
    """TinyDB builds its storage itself; hand it the prepared buffer."""

    def __init__(self, storage: _BufferStorage) -> None:
        self.storage = storage

    def __call__(self) -> _BufferStorage:
        return self.storage
