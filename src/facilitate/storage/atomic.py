"""Crash-safe file writes and the workspace lock.

A write goes to a temp file in the same directory, is flushed and fsynced, replaces the target
with os.replace and then the directory is fsynced: a reader sees the whole old file or the whole
new one, never a mix, even if the process is killed mid-write.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import math
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import locking
from .errors import (
    AccessDeniedError,
    CorruptFileError,
    DiskWriteError,
    StorageError,
    WorkspacePermissionError,
)
from .portable import (
    DIR_FDS,
    O_BINARY,
    O_CLOEXEC,
    O_DIRECTORY,
    O_NOFOLLOW,
    O_NONBLOCK,
    WINDOWS,
    login_name,
    pread,
    pwrite,
    set_fd_mode,
)
from .portable import fsync_dir as fsync_dir  # (re-exported: callers import it from here)

TEMP_PREFIX = ".tmp-"


def refuse_symlink(path: Path) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path)


def refuse_linked_shared_root(root: Path) -> None:
    """A group-shared workspace is used only by its real path: if its folder is a symbolic
    link, one member could point it at another folder and redirect everyone's saves."""
    if os.path.islink(root):
        raise WorkspacePermissionError(
            f"Shared workspace {root} is a symbolic link (to {os.readlink(root)}). facilitate "
            "refuses it, since any member could re-point the link and redirect the others' "
            f"saves: use the real folder, --data '{os.path.realpath(root)}'."
        )


def _link_error(path: Path) -> WorkspacePermissionError:
    return WorkspacePermissionError(
        f"{path} is a symbolic link. facilitate refuses linked data files so nobody can "
        f"redirect your writes: replace it with a regular file (rm '{path}' and restore it)."
    )


def _special_error(path: Path) -> WorkspacePermissionError:
    return WorkspacePermissionError(
        f"{path} is not a regular file (a device, pipe or folder in its place). facilitate "
        f"refuses it: move it away (mv '{path}' '{path}.bad') and restore the real file."
    )


def refuse_special(path: Path) -> None:
    """Refuse ``path`` unless it is missing or a regular file (checked with lstat, no follow)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path)
    if not stat.S_ISREG(st.st_mode):
        raise _special_error(path)


def _require_regular_fd(fd: int, path: Path) -> os.stat_result:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _special_error(path)
    return st


def open_regular_nofollow(path: Path) -> int | None:
    """Open an existing regular file for reading without following a symlink and without
    blocking on a planted pipe. None when the file does not exist."""
    refuse_special(path)
    try:
        fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link_error(path) from exc
        raise
    _require_regular_fd(fd, path)
    return fd


def read_bytes_nofollow(path: Path) -> bytes | None:
    """The bytes of a regular file (never through a symlink). None when it does not exist."""
    fd = open_regular_nofollow(path)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def open_private(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open ``path`` (never through a symlink), creating it with exactly ``mode``.

    ``os.open``'s mode is filtered by the umask; a file we create is fchmod-ed so a shared
    workspace's 0660 lock and log do not end up 0640 under umask 022.
    """
    refuse_special(path)
    flags |= O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_BINARY
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        try:
            fd = os.open(path, flags, mode)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _link_error(path) from exc
            raise
        _require_regular_fd(fd, path)
        return fd
    try:
        set_fd_mode(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def atomic_write_bytes(
    path: Path,
    data: bytes,
    mode: int = 0o600,
    *,
    nofollow_dir: bool = False,
    sync_dir: bool = True,
    durable: bool = True,
) -> tuple[int, int, int]:
    """Replace ``path`` with ``data`` durably. On any failure the old file is untouched and no
    temp file is left behind. Returns the new file's (mtime_ns, size, inode), taken from the
    file written before it took the name (no other writer can slip in between).

    Every step works relative to one open handle on the folder, so the folder cannot be swapped
    for a link half-way. ``nofollow_dir`` also refuses a folder that is itself a symbolic link
    (the workspace's own subfolders; an export may go to a linked folder on purpose).
    ``sync_dir=False`` skips the folder's fsync: after a power cut the file is then whole, old
    or new, but may be the old one (for files where an older copy is still valid).
    ``durable=False`` skips both fsyncs (derived files that are rebuilt when damaged).
    """
    directory = path.parent
    name = path.name
    tmp = f"{TEMP_PREFIX}{name}.{os.getpid()}.{threading.get_ident()}"
    if not DIR_FDS or O_DIRECTORY is None:
        return _write_by_path(
            path, directory / tmp, data, mode, nofollow_dir=nofollow_dir, durable=durable
        )
    dir_flags = os.O_RDONLY | O_DIRECTORY | O_CLOEXEC
    if nofollow_dir:
        refuse_symlink(directory)
        dir_flags |= O_NOFOLLOW
    try:
        dfd = os.open(directory, dir_flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and nofollow_dir:
            raise _link_error(directory) from exc
        raise DiskWriteError(path, exc) from exc
    try:
        _check_target(dfd, name, path)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=dfd)  # a leftover from a recycled pid (or a planted link)
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                mode,
                dir_fd=dfd,
            )
            st = _fill(fd, data, mode, durable=durable)
            _check_target(dfd, name, path)  # swapped for a link while we wrote?
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            if sync_dir and durable:
                os.fsync(dfd)
            return (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dfd)
            raise DiskWriteError(path, exc) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dfd)
            raise
    finally:
        os.close(dfd)


def _fill(fd: int, data: bytes, mode: int, *, durable: bool) -> os.stat_result:
    """Write all of ``data`` to the new temp file ``fd`` (its mode set first), fsync it when
    ``durable``, and close it; returns its stat (what the caches key on)."""
    try:
        set_fd_mode(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if durable:
            os.fsync(fd)
        return os.fstat(fd)
    finally:
        os.close(fd)


REPLACE_RETRIES = 20  # Windows: tries of os.replace while a reader has the target open
REPLACE_PAUSE = 0.05  # seconds between them (1 s in all)


def _write_by_path(
    path: Path, tmp: Path, data: bytes, mode: int, *, nofollow_dir: bool, durable: bool
) -> tuple[int, int, int]:
    """``atomic_write_bytes`` where a folder cannot be held open (Windows): the same temp
    file, fsync and replace, by path, with the folder and the target checked by lstat before
    and after the write. (Creating a symbolic link on Windows needs administrator rights or
    developer mode, so the window between check and replace is not a way in for a user.)
    Windows journals the rename itself: there is no folder fsync to do."""
    if nofollow_dir:
        refuse_symlink(path.parent)
    refuse_special(path)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # a leftover from a recycled pid
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY, mode
        )
        st = _fill(fd, data, mode, durable=durable)
        refuse_special(path)  # swapped for a link while we wrote?
        _replace(tmp, path)
        return (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise DiskWriteError(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _replace(tmp: Path, path: Path) -> None:
    """os.replace; on Windows, retried for a moment while another process (a ``follow``
    window, a virus scanner) has the target open, which Windows refuses to replace."""
    for _ in range(REPLACE_RETRIES - 1 if WINDOWS else 0):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            time.sleep(REPLACE_PAUSE)
    os.replace(tmp, path)


def _check_target(dfd: int, name: str, path: Path) -> None:
    try:
        st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path)
    if not stat.S_ISREG(st.st_mode):
        raise _special_error(path)


_RECORD = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _record_encoder() -> Callable[[Any], str]:
    """One value as compact JSON with sorted keys (what ``_RECORD.encode`` gives), through a
    C encoder made once rather than one per call where CPython's ``_json`` allows it."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is not None:
        try:
            c_encode = make(
                None,
                _RECORD.default,
                json.encoder.encode_basestring,
                None,
                ": ",
                ", ",
                True,
                False,
                True,
            )
            if "".join(c_encode({"b": [1.5, None], "a": "\u00e9"}, 0)) == _RECORD.encode(
                {"b": [1.5, None], "a": "\u00e9"}
            ):
                return lambda value: "".join(c_encode(value, 0))
        except Exception:  # a different _json: use the encoder's own path
            pass
    return _RECORD.encode


_encode_record = _record_encoder()


def dump_json(data: Any) -> bytes:
    """A data file's bytes: keys sorted, one table per block and one record per line.

    Every record goes through the C encoder in one call. (``json.dumps(..., indent=1)`` used
    the pure-Python encoder, about 2 ms for a 30 KB meeting file: most of a save's cost.)
    Anything that is not ``{table: {record_id: record}}`` with string keys is written the
    general way.
    """
    if isinstance(data, dict) and all(
        type(name) is str and type(table) is dict and all(type(k) is str for k in table)
        for name, table in data.items()
    ):
        encode = _encode_record
        key = json.encoder.encode_basestring  # (C: a string key needs no general encoder)
        blocks = []
        for name in sorted(data):
            table = data[name]
            lines = ",\n".join([f"  {key(k)}: {encode(table[k])}" for k in sorted(table)])
            blocks.append(f" {key(name)}: " + ("{\n" + lines + "\n }" if lines else "{}"))
        body = "{\n" + ",\n".join(blocks) + "\n}" if blocks else "{}"
        return body.encode("utf-8")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


# A meeting file with ten years of notes is well under a megabyte; text fields are limited to
# 100,000 characters each (see storage/validate.py).
MAX_DATA_FILE_BYTES = 64_000_000


class _NotFinite(ValueError):
    pass


def _no_constant(name: str) -> Any:
    """NaN, Infinity and -Infinity are not JSON: refused, never written back."""
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # e.g. 1e400, which would be written back as Infinity
        raise _NotFinite(text[:40])
    return value


def read_json(path: Path) -> dict[str, Any] | None:
    """Parse a JSON object file. Missing file: None. Anything unparsable: CorruptFileError naming
    the position. The file itself is never modified here."""
    try:
        size = os.lstat(path).st_size
    except FileNotFoundError:
        return None
    if size > MAX_DATA_FILE_BYTES:  # refused before reading: no parse of a planted 200 MB title
        raise CorruptFileError(
            path,
            f"it is {size / 1e6:,.0f} MB, more than any facilitate data file holds "
            f"({MAX_DATA_FILE_BYTES // 1_000_000} MB at most)",
        )
    raw = read_bytes_nofollow(path)
    if raw is None:
        return None
    if not raw.strip():
        raise CorruptFileError(path, "the file is empty (0 bytes of data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptFileError(path, f"not UTF-8 text at byte {exc.start}") from exc
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise CorruptFileError(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise CorruptFileError(path, "values nested too deeply to be facilitate data") from exc
    except _NotFinite as exc:
        raise CorruptFileError(path, f"the number {exc} is not a finite number") from exc
    except ValueError as exc:  # an integer of more than 4,300 digits (int_max_str_digits)
        what = "an integer of more than 4,300 digits" if "digits" in str(exc) else str(exc)[:80]
        raise CorruptFileError(path, f"a value cannot be read: {what}") from exc
    if not isinstance(data, dict):
        raise CorruptFileError(path, "the top level is not a JSON object")
    return data


def remove_orphan_temps(directory: Path) -> list[Path]:
    """Delete temp files left by a killed writer. Call only while holding the workspace lock."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for entry in directory.iterdir():
        # A link is only unlinked (never followed): a planted one cannot delete anything else.
        if entry.name.startswith(TEMP_PREFIX) and (entry.is_symlink() or entry.is_file()):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


LOCK_TIMEOUT = 30.0  # seconds a save waits for another process's lock ($FACILITATE_LOCK_TIMEOUT)
LOCK_NOTICE = 1.0  # seconds of waiting before the wait is reported, naming the holder
NOTE_SIZE = 256  # bytes of the holder's note (written and read back)


class LockBusyError(StorageError):
    """Another process holds the workspace lock (raised at once by a non-blocking lock)."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path, self.holder = path, holder
        super().__init__(
            f"Not saved yet: {holder} is saving to this workspace. Nothing was changed; "
            "try again in a moment."
        )


class LockTimeoutError(StorageError):
    def __init__(self, path: Path, holder: str, waited: float) -> None:
        self.path, self.holder, self.waited = path, holder, waited
        super().__init__(
            f"Gave up after waiting {waited:.0f} s for the workspace lock, held by {holder}: "
            "nothing was saved. Try again when it is done; if that process is stuck, end it "
            f"(the lock is {path}; set FACILITATE_LOCK_TIMEOUT to wait longer)."
        )


def lock_timeout() -> float:
    """$FACILITATE_LOCK_TIMEOUT (seconds), else LOCK_TIMEOUT."""
    try:
        value = float(os.environ.get("FACILITATE_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT
    return value if value >= 0 and value == value else LOCK_TIMEOUT


_COMMAND_GROUPS = {"agenda", "meetings", "minutes", "roster"}  # commands with subcommands


def _command_name() -> str:
    """``facilitate agenda submit``: the program and its command words, never a value typed
    after them (a title or a search may be confidential)."""
    words = ["facilitate"]
    args = iter(sys.argv[1:])
    for token in args:
        if token == "--data":
            next(args, None)
        elif token.startswith("-"):
            continue
        elif token.isalpha() and token.islower():
            words.append(token)
            if len(words) == 3 or token not in _COMMAND_GROUPS:
                break
        else:
            break
    return " ".join(words) if len(words) > 1 else "the facilitate app"


@functools.cache
def _who() -> tuple[str, int]:
    return login_name(), os.getpid()


def holder_note(command: str | None = None) -> bytes:
    """What the holder writes into the lock file while it holds it: user, pid, command, the
    time; padded with spaces to NOTE_SIZE bytes, so that it simply overwrites the last one
    (no truncation while holding: a save pays two small writes for it, nothing more)."""
    user, pid = _who()
    if pid != os.getpid():  # (a forked child)
        _who.cache_clear()
        user, pid = _who()
    note = {
        "user": user,
        "pid": pid,
        "command": command or _command_name(),
        "since": time.strftime("%H:%M:%S"),
    }
    return json.dumps(note).encode("utf-8")[:NOTE_SIZE].ljust(NOTE_SIZE)


def describe_holder(raw: bytes) -> str:
    """``alice (pid 4242, facilitate agenda submit, since 10:02:03)`` from a holder's note;
    "another process" when there is none (an older version, or it is just being written)."""
    try:
        note = json.loads(raw[:NOTE_SIZE].decode("utf-8"))
        user, pid, command = str(note["user"]), int(note["pid"]), str(note["command"])
        since = str(note.get("since", ""))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "another process"
    from ..domain.common import clean_text

    # The note is the holder's word, and a group member may write anything there.
    user, command, since = (" ".join(clean_text(v).split())[:80] for v in (user, command, since))
    return f"{user} (pid {pid}, {command}{', since ' + since if since else ''})"


class WorkspaceLock:
    """An exclusive lock (``locking``: flock, or msvcrt on Windows) on a sidecar file.
    Re-entrant within one process (threads serialise).

    While it holds the lock, a process writes a note into the lock file (user, pid, command)
    so that another one waiting for it can say who it waits for. A wait longer than
    LOCK_NOTICE seconds is reported through ``on_wait`` (the CLI prints it); after
    ``timeout`` seconds (default: lock_timeout()) it gives up with LockTimeoutError. With
    ``blocking`` off (the app: its saves run on the event loop), a lock held elsewhere raises
    LockBusyError at once, and the caller retries later.
    """

    on_wait: Callable[[str], None] | None = None  # told the holder once a wait is long

    def __init__(self, path: Path, mode: int = 0o600, *, group: str | None = None) -> None:
        self.path = path
        self.mode = mode
        self.group = group
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self.blocking = True
        self.timeout: float | None = None  # None: lock_timeout()
        self.command: str | None = None  # the command named in the note (default: argv)

    @property
    def depth(self) -> int:
        """How many times the current holder holds it (0: not held)."""
        return self._depth

    def holder(self) -> str:
        """Who holds the lock now, from the note in the lock file."""
        try:
            fd = open_regular_nofollow(self.path)
        except (OSError, StorageError):
            return "another process"
        if fd is None:
            return "another process"
        try:
            return describe_holder(pread(fd, NOTE_SIZE, 0))
        finally:
            os.close(fd)

    def _acquire(self, fd: int) -> None:
        """Lock ``fd`` (through ``locking``: flock, or msvcrt on Windows): at once, or waiting
        as described in the class docstring."""
        if locking.try_lock(fd):
            return
        if not self.blocking:
            raise LockBusyError(self.path, self.holder())
        timeout = lock_timeout() if self.timeout is None else self.timeout
        start = time.monotonic()
        told = False
        pause = 0.01
        while True:
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
            if locking.try_lock(fd):
                return
            waited = time.monotonic() - start
            if waited >= timeout:
                raise LockTimeoutError(self.path, self.holder(), waited)
            if not told and waited >= LOCK_NOTICE:
                told = True
                notice = type(self).on_wait
                if notice is not None:
                    notice(self.holder())

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        if not self._thread_lock.acquire(blocking=self.blocking):
            raise LockBusyError(self.path, "a background task of this program")
        with contextlib.ExitStack() as release:
            release.callback(self._thread_lock.release)
            if self._depth == 0:
                try:
                    fd = open_private(self.path, os.O_RDWR, self.mode)
                except PermissionError as exc:
                    raise AccessDeniedError(self.path, self.group) from exc
                try:
                    self._acquire(fd)
                except BaseException:
                    os.close(fd)
                    raise
                with contextlib.suppress(OSError):  # (a note is a courtesy, never a failure)
                    pwrite(fd, holder_note(self.command), 0)
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._fd, 0)
                    locking.unlock(self._fd)
                    os.close(self._fd)
                    self._fd = None
