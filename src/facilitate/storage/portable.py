"""What differs between POSIX (Linux, macOS) and Windows, in one place.

Nothing here imports a POSIX-only module at import time: ``grp`` and ``pwd`` are imported
inside the functions that need them, and only on POSIX. The open flags that Windows lacks
(``O_NOFOLLOW``, ``O_CLOEXEC``, ``O_NONBLOCK``, ``O_DIRECTORY``) are 0 there; Windows needs
``O_BINARY`` instead, or ``os.write`` would turn every ``\\n`` into ``\\r\\n``.

What Windows does not get (see README, "Supported platforms"):

- file modes: Windows' ``chmod`` only sets or clears the read-only flag, so a workspace's
  privacy there is the folder's access list (a user's profile folder is private to that user);
  ``set_mode`` leaves Windows files alone rather than pretend;
- shared-group mode (``init --shared-group``): it is made of Unix groups and setgid folders;
- fsyncing a folder (Windows cannot open one): NTFS journals the rename itself.
"""

from __future__ import annotations

import os
import sys

from .errors import StorageError

WINDOWS = sys.platform == "win32"

O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)  # (Python's descriptors are never inherited)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
O_BINARY: int = getattr(os, "O_BINARY", 0)
O_DIRECTORY: int | None = getattr(os, "O_DIRECTORY", None)

# Writes work relative to an open handle on their folder where the OS allows it (POSIX);
# elsewhere they go by path, after checking the folder and the target with lstat.
DIR_FDS = (
    not WINDOWS
    and O_DIRECTORY is not None
    and all(f in os.supports_dir_fd for f in (os.open, os.stat, os.unlink))
)

SHARED_GROUP_POSIX_ONLY = (
    "Shared-group mode (--shared-group) works only on Linux and macOS: Windows has no Unix "
    "groups. On Windows, use a private workspace (leave out --shared-group)."
)


class PosixOnlyError(StorageError):
    """A POSIX-only feature was asked for on Windows (the message says which, and what to do)."""


def set_mode(path: os.PathLike[str] | str, mode: int) -> None:
    """chmod on POSIX. On Windows chmod only toggles read-only, which is not privacy: the
    folder's access list is. Nothing is changed there."""
    if not WINDOWS:
        os.chmod(path, mode)


def set_fd_mode(fd: int, mode: int) -> None:
    """fchmod on POSIX (see ``set_mode`` for Windows)."""
    fchmod = getattr(os, "fchmod", None)
    if not WINDOWS and fchmod is not None:
        fchmod(fd, mode)


def pread(fd: int, size: int, offset: int) -> bytes:
    """``os.pread`` where it exists; a seek and a read on Windows (the descriptor's position
    moves, which no caller relies on)."""
    read_at = getattr(os, "pread", None)
    if read_at is not None:
        data: bytes = read_at(fd, size, offset)
        return data
    os.lseek(fd, offset, os.SEEK_SET)
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def pwrite(fd: int, data: bytes, offset: int) -> int:
    """``os.pwrite`` where it exists; a seek and a write on Windows."""
    write_at = getattr(os, "pwrite", None)
    if write_at is not None:
        written: int = write_at(fd, data, offset)
        return written
    os.lseek(fd, offset, os.SEEK_SET)
    return os.write(fd, data)


def user_id() -> int | None:
    """The numeric user id (None on Windows, which has SIDs instead)."""
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else int(getuid())


def login_name() -> str:
    """The OS user's name ($USERNAME on Windows); the uid, or "unknown user", if none."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # (no name in the environment and no pwd entry)
        uid = user_id()
        return f"uid {uid}" if uid is not None else "unknown user"


def user_name(uid: int) -> str:
    """The name of a user id (the number itself if unknown, or on Windows)."""
    if WINDOWS:
        return str(uid)
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    """The name of a group id (the number itself if unknown, or on Windows)."""
    if WINDOWS:
        return str(gid)
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def group_id(name: str) -> int:
    """The id of a Unix group. KeyError if there is none; PosixOnlyError on Windows."""
    if WINDOWS:
        raise PosixOnlyError(SHARED_GROUP_POSIX_ONLY)
    import grp

    return grp.getgrnam(name).gr_gid


def group_members(gid: int) -> set[str]:
    """Who is in a Unix group: its listed members and the users whose primary group it is."""
    if WINDOWS:
        return set()
    import grp
    import pwd

    try:
        members = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        return set()
    for entry in pwd.getpwall():
        if entry.pw_gid == gid:
            members.add(entry.pw_name)
    return members


def set_group(path: os.PathLike[str] | str, gid: int) -> None:
    """chgrp (shared-group mode, POSIX only)."""
    chown = getattr(os, "chown", None)
    if WINDOWS or chown is None:
        raise PosixOnlyError(SHARED_GROUP_POSIX_ONLY)
    chown(path, -1, gid)


def fsync_dir(path: os.PathLike[str] | str) -> None:
    """Make a rename in ``path`` durable. Windows cannot open a folder; NTFS journals it."""
    if O_DIRECTORY is None or WINDOWS:
        return
    fd = os.open(path, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
