"""The one place that takes and drops an OS file lock: ``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows.

Both are used the same way, non-blocking: ``try_lock`` says at once whether the lock was taken,
and ``WorkspaceLock`` (in ``atomic``) does the waiting, the "waiting for ..." notice and the
timeout on top, identically on every platform.

On Windows a lock is a mandatory lock on a byte range: nobody else can read or write the
locked bytes. The holder's note (user, pid, command) lives in the lock file's first bytes and
must stay readable by whoever waits, so the lock is taken on one byte far past the note
(``WINDOWS_LOCK_OFFSET``; Windows allows locking beyond the end of a file).
"""

from __future__ import annotations

import errno
import os
from typing import Any, Protocol

from .portable import WINDOWS

WINDOWS_LOCK_OFFSET = 1 << 20  # well past the holder's note
_BUSY = {errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLOCK", errno.EDEADLK), errno.EDEADLK}


class LockBackend(Protocol):
    name: str

    def try_lock(self, fd: int) -> bool:
        """Take the exclusive lock on ``fd`` if it is free; False if another process has it."""
        ...

    def unlock(self, fd: int) -> None: ...


class PosixLocks:
    """flock: a whole-file advisory lock, dropped by the OS when the process ends."""

    name = "flock"

    def __init__(self) -> None:
        import fcntl

        self._fcntl = fcntl

    def try_lock(self, fd: int) -> bool:
        try:
            self._fcntl.flock(fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        self._fcntl.flock(fd, self._fcntl.LOCK_UN)


class WindowsLocks:
    """msvcrt.locking on one byte at WINDOWS_LOCK_OFFSET (dropped by Windows when the process
    ends). ``LK_NBLCK`` tries once and raises OSError (EACCES or EDEADLOCK) when it is held."""

    name = "msvcrt"

    def __init__(self, msvcrt: Any = None) -> None:
        if msvcrt is None:
            import msvcrt
        self._msvcrt = msvcrt

    def try_lock(self, fd: int) -> bool:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            self._msvcrt.locking(fd, self._msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in _BUSY:
                return False
            raise
        return True

    def unlock(self, fd: int) -> None:
        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        self._msvcrt.locking(fd, self._msvcrt.LK_UNLCK, 1)


_backend: LockBackend | None = None


def backend() -> LockBackend:
    """This platform's locks (made on first use, so nothing is imported before a save)."""
    global _backend
    if _backend is None:
        _backend = WindowsLocks() if WINDOWS else PosixLocks()
    return _backend


def try_lock(fd: int) -> bool:
    return backend().try_lock(fd)


def unlock(fd: int) -> None:
    backend().unlock(fd)
