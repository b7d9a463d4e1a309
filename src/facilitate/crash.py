"""Crash reports that show no data.

A traceback rendered with the values of local variables (Textual's default crash screen) lists
meeting records: case-review notes in SSH scrollback and on projected screens. So a crash writes
its traceback, without local values, to a private file (0600) in the workspace's ``logs/``
folder, or in the user's state folder when the workspace is unknown or cannot be written, and
the terminal gets one line naming that file. The program then exits with EXIT_CRASH.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import stat
import sys
import traceback
from pathlib import Path

from . import __version__
from .storage.portable import O_BINARY, O_CLOEXEC, O_NOFOLLOW, set_fd_mode, set_mode

EXIT_CRASH = 70  # sysexits' EX_SOFTWARE: an internal error, not the user's to fix
LOG_FOLDER = "logs"


def _folders(workspace: Path | None) -> list[tuple[Path, bool]]:
    """Where a report may go, in order, each with whether its parents may be created (never
    the workspace's: a crash must not create a workspace)."""
    folders = []
    if workspace is not None:
        folders.append((workspace / LOG_FOLDER, False))
    with contextlib.suppress(Exception):
        import platformdirs

        state = Path(platformdirs.user_state_dir("facilitate", appauthor=False))
        folders.append((state / LOG_FOLDER, True))
    return folders


def _make_folder(folder: Path, create_parents: bool) -> None:
    """The logs folder, private (0700), or group-writable inside a group-shared (setgid)
    workspace so every member can leave a report (the reports stay 0600); never a symlink."""
    if create_parents:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shared = os.stat(folder.parent).st_mode & stat.S_ISGID
    mode = 0o2770 if shared else 0o700
    try:
        os.mkdir(folder, mode)
    except FileExistsError:
        pass
    else:
        set_mode(folder, mode)  # (mkdir's mode goes through the umask; not on Windows)
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise NotADirectoryError(f"{folder} is not a folder")


def report_text(error: BaseException) -> str:
    """The crash file's contents: the traceback as Python prints it (file, line, source line;
    never a local value)."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    try:
        frames = "".join(traceback.format_exception(error))
    except Exception:  # (a RecursionError can fail to format again)
        frames = f"{type(error).__name__} (the traceback could not be formatted)\n"
    return (
        f"facilitate {__version__} stopped on an internal error at {when}.\n"
        f"Python {sys.version.split()[0]} on {sys.platform}, pid {os.getpid()}.\n"
        "Local values are never written here; the error's own message may quote data, so "
        "this file is private (0600).\n\n" + frames
    )


def write_crash_report(error: BaseException, workspace: Path | None) -> Path | None:
    """Write the report to a new 0600 file; its path, or None if no folder would take it."""
    text = report_text(error).encode("utf-8", "replace")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S-%f")
    for folder, create_parents in _folders(workspace):
        try:
            _make_folder(folder, create_parents)
            path = folder / f"crash-{stamp}-{os.getpid()}.txt"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY
            fd = os.open(path, flags, 0o600)
            try:
                set_fd_mode(fd, 0o600)
                os.write(fd, text)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            continue
        return path
    return None


def crash_line(error: BaseException, path: Path | None) -> str:
    """The one line the terminal gets (after "facilitate: "): what happened, where the
    details are."""
    name = type(error).__name__
    if path is None:
        return (
            f"stopped on an internal error ({name}); no crash report could be written (no "
            "writable logs folder). Nothing else is shown, to keep the data private."
        )
    return (
        f"stopped on an internal error ({name}). The details are in {path} (private, mode "
        "0600); nothing else is shown, to keep the data private."
    )


def report_crash(error: BaseException, workspace: Path | None) -> str:
    """Write the crash file; the line to print."""
    return crash_line(error, write_crash_report(error, workspace))
