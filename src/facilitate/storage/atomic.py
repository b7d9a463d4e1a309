"""Crash-safe file writes and the workspace lock.

A write goes to a temp file in the same directory, is flushed and fsynced, replaces the target
with os.replace and then the directory is fsynced: a reader sees the whole old file or the whole
new one, never a mix, even if the process is killed mid-write.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import CorruptFileError, DiskWriteError, WorkspacePermissionError

TEMP_PREFIX = ".tmp-"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def refuse_symlink(path: Path) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise WorkspacePermissionError(
            f"{path} is a symbolic link. facilitate refuses linked data files so nobody can "
            f"redirect your writes: replace it with a regular file (rm '{path}' and restore it)."
        )


def open_private(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open ``path`` (never through a symlink), creating it with exactly ``mode``.

    ``os.open``'s mode is filtered by the umask; a file we create is fchmod-ed so a shared
    workspace's 0660 lock and log do not end up 0640 under umask 022.
    """
    refuse_symlink(path)
    flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        try:
            return os.open(path, flags, mode)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                refuse_symlink(path)
            raise
    try:
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` durably. On any failure the old file is untouched and no
    temp file is left behind."""
    directory = path.parent
    refuse_symlink(path)
    tmp = directory / f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{threading.get_ident()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(directory)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise DiskWriteError(path, exc) from exc


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def read_json(path: Path) -> dict[str, Any] | None:
    """Parse a JSON object file. Missing file: None. Anything unparsable: CorruptFileError naming
    the position. The file itself is never modified here."""
    refuse_symlink(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            refuse_symlink(path)
        raise
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read()
    if not raw.strip():
        raise CorruptFileError(path, "the file is empty (0 bytes of data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptFileError(path, f"not UTF-8 text at byte {exc.start}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptFileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise CorruptFileError(path, "the top level is not a JSON object")
    return data


def remove_orphan_temps(directory: Path) -> list[Path]:
    """Delete temp files left by a killed writer. Call only while holding the workspace lock."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for entry in directory.iterdir():
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


class WorkspaceLock:
    """An exclusive flock on a sidecar file. Re-entrant within one process (threads serialise)."""

    def __init__(self, path: Path, mode: int = 0o600) -> None:
        self.path = path
        self.mode = mode
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                fd = open_private(self.path, os.O_RDWR, self.mode)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
