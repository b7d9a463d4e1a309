"""Reading the agenda file: only a regular file under the size limit, never blocking.

A FIFO opened for reading waits for a writer and ``/dev/zero`` never ends, so the path is
checked before it is opened, opened non-blocking, checked again on the open descriptor (it may
have been swapped in between), and read no further than the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .common import MAX_FILE_BYTES, AgendaImportError


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check(path: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(st.st_mode):
        raise AgendaImportError(
            path.name,
            None,
            f"{path} is {_what(st.st_mode)}, not a file: save the agenda as a Markdown or text "
            "file and import that.",
        )
    if st.st_size > MAX_FILE_BYTES:
        raise AgendaImportError(
            path.name,
            None,
            f"the file is {st.st_size / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB limit for an agenda: import the agenda part "
            "on its own.",
        )


def read_agenda_file(path: Path) -> bytes:
    """The bytes of an agenda file. Raises FileNotFoundError / IsADirectoryError as ``open``
    would, AgendaImportError for a FIFO, device or socket and for a file over the limit."""
    _check(path, os.stat(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        _check(path, os.fstat(fd))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:  # grew while being read
        raise AgendaImportError(
            path.name,
            None,
            f"the file is over the {MAX_FILE_BYTES // 1024 // 1024} MB limit for an agenda.",
        )
    return b"".join(chunks)
