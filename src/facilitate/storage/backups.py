"""Backups: taken on open and before a migration, rotated by the time recorded inside them.

backups/<YYYYMMDD-HHmmss-SSSSSS>/        a rotating backup (the newest ten are kept)
backups/pre-migration-<stamp>/           the file as it was before an upgrade (never rotated)
backups/*/manifest.json                  when it was taken, what kind, and each file's size and
                                         sha256 (written last: a backup without one is
                                         incomplete, or from before manifests existed)

Rotation goes by the manifest's time, never by the folder's name: a folder named
``20990101-...`` (planted, or from a clock that was wrong) can no longer push real backups out,
and the backup just taken is never deleted. Empty folders (a failed backup) are removed and do
not count towards the ten.

``restore`` copies one backup into a NEW folder as a workspace of its own, refusing any folder
that exists: nothing is overwritten, and the workspace it came from is not touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import DateTime

from . import ledger
from .atomic import atomic_write_bytes, read_bytes_nofollow
from .errors import DamagedWorkspaceError, StorageError
from .paths import WorkspacePaths
from .portable import group_id, set_group, set_mode

if TYPE_CHECKING:
    from .workspace import Workspace

BACKUPS_KEPT = 10
MANIFEST = "manifest.json"
ROTATING = "rotating"
PRE_MIGRATION = "pre-migration"
# Names of the rotating backups taken on open (pre-migration backups are never rotated away).
BACKUP_STAMP = re.compile(r"^\d{8}-\d{6}-\d{6}(?:-\d+)?$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")
DATA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.json$")


@dataclass
class Backup:
    """One folder of backups/, as read from its manifest (or, without one, from its files)."""

    path: Path
    kind: str  # ROTATING, PRE_MIGRATION, or "unknown" (no manifest)
    taken: DateTime | None  # from the manifest; None without one
    files: dict[str, int] = field(default_factory=dict)  # name -> size
    hashes: dict[str, str] = field(default_factory=dict)  # name -> sha256 (from the manifest)
    complete: bool = True  # False: no readable manifest

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return sum(self.files.values())

    def sort_time(self) -> float:
        """When it was taken: the manifest's time, else the newest file's (a backup from before
        manifests existed)."""
        if self.taken is not None:
            return self.taken.timestamp()
        newest = 0.0
        for name in self.files:
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(self.path / name).st_mtime)
        return newest


def refuse_orphaned_meetings(root: Path) -> None:
    """Meeting files in a folder without collaborative.json are a damaged workspace, never an
    invitation to create one over them (the roster they refer to is what is missing)."""
    if os.path.lexists(root / "collaborative.json"):
        return
    try:
        with os.scandir(root / "meetings") as entries:
            found = sum(1 for e in entries if e.name.endswith(".json") and e.name[0] != ".")
    except OSError:  # no meetings folder (a new workspace), or not one we can read
        return
    if found:
        raise DamagedWorkspaceError(root, found)


def _stamp(now: DateTime) -> str:
    return now.format("YYYYMMDD-HHmmss-SSSSSS")


def _sha256(data: bytes) -> str:
    import hashlib  # (not at start-up: the app's first frame does not need it)

    return hashlib.sha256(data).hexdigest()


def _manifest(now: DateTime, kind: str, contents: list[tuple[str, bytes]]) -> bytes:
    doc = {
        "taken_at": now.in_timezone("UTC").isoformat(),
        "kind": kind,
        "files": {name: {"size": len(data), "sha256": _sha256(data)} for name, data in contents},
    }
    return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")


def _new_folder(ws: Workspace, name: str) -> Path:
    """A fresh folder under backups/ (never an existing one: a second backup in the same
    microsecond gets a suffix)."""
    ws._ensure_dir(ws.backups_dir)
    target = ws.backups_dir / name
    n = 1
    while True:
        try:
            target.mkdir(mode=ws.dir_mode)
        except FileExistsError:
            n += 1
            target = ws.backups_dir / f"{name}-{n}"
            continue
        set_mode(target, ws.dir_mode)
        return target


def _write(ws: Workspace, target: Path, kind: str, contents: list[tuple[str, bytes]]) -> None:
    now = pendulum.now("UTC")
    try:
        for name, data in contents:
            atomic_write_bytes(target / name, data, ws.file_mode, nofollow_dir=True)
        manifest = _manifest(now, kind, contents)
        atomic_write_bytes(target / MANIFEST, manifest, ws.file_mode, nofollow_dir=True)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # a failed backup leaves no folder behind
        raise


def take_backup(ws: Workspace) -> Path:
    """Copy collaborative.json and the three most recently changed meetings into a new
    backups/ folder, then rotate. Call under the lock."""
    sources = [ws.collaborative_path]
    # lstat: a planted link is neither followed here nor copied below (read_bytes_nofollow
    # refuses it), so nobody can get a private file copied into the shared backups.
    meetings = sorted(ws.meeting_files(), key=lambda p: os.lstat(p).st_mtime_ns)[-3:]
    sources += meetings
    contents = []
    for src in sources:
        data = read_bytes_nofollow(src)
        if data is not None:
            contents.append((src.name, data))
    target = _new_folder(ws, _stamp(pendulum.now("UTC")))
    _write(ws, target, ROTATING, contents)
    rotate(ws, keep=target)
    return target


def take_pre_migration(
    ws: Workspace, path: Path, original: bytes, label: str = "pre-migration"
) -> Path:
    """The file as it was before an upgrade or another one-off change such as freezing an
    older meeting's record (``label``: the folder's prefix). Kept until removed by hand."""
    target = _new_folder(ws, f"{label}-{_stamp(pendulum.now('UTC'))}")
    _write(ws, target, PRE_MIGRATION, [(path.name, original)])
    return target


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        raw = read_bytes_nofollow(folder / MANIFEST)
        doc = json.loads(raw) if raw is not None else None
    except (OSError, ValueError, StorageError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def read_backup(folder: Path) -> Backup:
    files: dict[str, int] = {}
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == MANIFEST or entry.name.startswith("."):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    files[entry.name] = st.st_size
    kind = PRE_MIGRATION if folder.name.startswith("pre-migration-") else "unknown"
    doc = _read_manifest(folder)
    taken: DateTime | None = None
    hashes: dict[str, str] = {}
    if doc is not None:
        try:
            parsed = pendulum.parse(str(doc.get("taken_at")))
            taken = parsed.in_timezone("UTC") if isinstance(parsed, DateTime) else None
        except Exception:
            taken = None
        if doc.get("kind") in (ROTATING, PRE_MIGRATION):
            kind = str(doc["kind"])
        listed = doc.get("files")
        if isinstance(listed, dict):
            hashes = {
                str(name): str(info.get("sha256"))
                for name, info in listed.items()
                if isinstance(info, dict)
            }
    return Backup(folder, kind, taken, files, hashes, complete=taken is not None)


def backups(ws: Workspace) -> list[Backup]:
    """Every backup folder (links and files in backups/ are ignored), oldest first."""
    found = []
    for folder in _folders(ws):
        found.append(read_backup(folder))
    return sorted(found, key=lambda b: (b.sort_time(), b.name))


def _folders(ws: Workspace) -> Iterator[Path]:
    try:
        entries = list(os.scandir(ws.backups_dir))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            yield Path(entry.path)


def _is_empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return not any(not e.name.startswith(".") for e in entries)
    except OSError:
        return False


def rotate(ws: Workspace, *, keep: Path | None = None) -> list[Path]:
    """Remove empty folders, then the oldest rotating backups beyond the newest ten, by the
    time recorded inside them. ``keep`` (the backup just taken) is never removed. Returns what
    was removed."""
    removed: list[Path] = []
    rotating: list[Backup] = []
    for folder in _folders(ws):
        if folder != keep and _is_empty(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
            continue
        found = read_backup(folder)
        if found.kind == ROTATING or (found.kind == "unknown" and BACKUP_STAMP.match(found.name)):
            rotating.append(found)
    rotating.sort(key=lambda b: (b.sort_time(), b.name))
    excess = len(rotating) - BACKUPS_KEPT
    for old in rotating:
        if excess <= 0:
            break
        if old.path == keep:
            continue
        shutil.rmtree(old.path, ignore_errors=True)
        removed.append(old.path)
        excess -= 1
    return removed


# --- restore ---------------------------------------------------------------------------------


def find_backup(ws: Workspace, name: str) -> Backup:
    """A backup by its folder name (as 'facilitate backups' lists it)."""
    base = Path(name).name
    inside = "/" not in name.rstrip("/") or (
        Path(name).expanduser().absolute().parent == ws.backups_dir.absolute()
    )
    if not inside or not SAFE_NAME.match(base):
        raise StorageError(
            f"{name!r} is not a backup name: use a folder name that 'facilitate backups' lists."
        )
    folder = ws.backups_dir / base
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        raise StorageError(
            f"No backup {base!r} in {ws.backups_dir}: 'facilitate backups' lists them."
        ) from None
    if not stat.S_ISDIR(st.st_mode):
        raise StorageError(f"{folder} is not a backup folder (a link or a file); not restored.")
    return read_backup(folder)


def default_target(ws: Workspace, backup: Backup) -> Path:
    """Next to the workspace: <workspace>-restored-<backup folder>."""
    return ws.root.parent / f"{ws.root.name}-restored-{backup.name}"


def restore(ws: Workspace, backup: Backup, target: Path) -> list[str]:
    """Copy ``backup`` into the new folder ``target`` as a workspace of its own (collaborative.json
    at the top, meetings in meetings/). Refuses an existing ``target`` and a backup whose files
    do not match its manifest. Returns the names of the files restored."""
    target = Path(target)
    if os.path.lexists(target):
        raise StorageError(
            f"{target} already exists: restore never overwrites anything. Choose a new folder "
            "(facilitate restore BACKUP NEW_FOLDER)."
        )
    contents: list[tuple[str, bytes]] = []
    for name in sorted(backup.files):
        if not DATA_NAME.match(name):
            continue
        data = read_bytes_nofollow(backup.path / name)
        if data is None:
            continue
        want = backup.hashes.get(name)
        if want is not None and _sha256(data) != want:
            raise StorageError(
                f"{backup.path / name} does not match its backup's manifest (changed or damaged "
                "since the backup was taken); nothing was restored. Choose another backup."
            )
        contents.append((name, data))
    if not any(name == "collaborative.json" for name, _ in contents):
        raise StorageError(
            f"Backup {backup.name} holds no collaborative.json, so it cannot be restored as a "
            "workspace; choose another backup ('facilitate backups')."
        )
    gid = None
    if ws.shared_group:
        with contextlib.suppress(KeyError):
            gid = group_id(ws.shared_group)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.mkdir(mode=ws.dir_mode)  # (fails if someone made it meanwhile: never merged into)
    except FileExistsError as exc:
        raise StorageError(f"{target} already exists: restore never overwrites anything.") from exc
    try:
        for folder in (target, target / "meetings", target / "backups"):
            folder.mkdir(mode=ws.dir_mode, exist_ok=folder == target)
            if gid is not None:
                set_group(folder, gid)
            set_mode(folder, ws.dir_mode)
        # Written through the audit trail: the new workspace's log starts with the restore, and
        # its first entry's hashes cover every restored file (check passes on it).
        restored = WorkspacePaths(target, shared_group=ws.shared_group)
        writes = [
            ((target if name == "collaborative.json" else target / "meetings") / name, data)
            for name, data in contents
        ]
        changes = [
            {
                "op": "restore",
                "kind": "workspace",
                "id": backup.name,
                "file": ledger.rel_name(target, path),
                "meeting": None,
                "summary": f"restored from backup {backup.name}",
            }
            for path, _ in writes
        ]
        with restored.lock.hold():
            ledger.commit(restored, ledger.Save(writes, changes, pendulum.now("UTC").isoformat()))
        if gid is not None:
            for path, _ in writes:
                set_group(path, gid)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return [name for name, _ in contents]
