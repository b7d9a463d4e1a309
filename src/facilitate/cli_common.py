"""Helpers shared by every CLI command: where the workspace is, opening it, finding meetings."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pendulum

from .console import dumps_json, echo, echo_document, error
from .domain.common import FacilitateError, ValidationError
from .domain.meeting import Meeting, MeetingStatus
from .storage.errors import UnknownIdError
from .storage.workspace import Transaction, Workspace

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
NEEDS_A_TERMINAL = "facilitate needs a terminal; use the commands in --help for scripts."

__all__ = ["dumps_json", "echo", "echo_document", "error"]  # (the output filter, re-exported)


class UsageError(FacilitateError):
    """The command line itself is wrong (exit 2)."""


def data_dir(args: argparse.Namespace) -> Path:
    """The workspace folder: --data DIR, else $FACILITATE_DATA, else the user data folder.
    A path that names something other than a folder is a usage error (one line)."""
    if getattr(args, "data", None):
        root, source = Path(args.data).expanduser(), "--data"
    elif os.environ.get("FACILITATE_DATA"):
        root, source = Path(os.environ["FACILITATE_DATA"]).expanduser(), "FACILITATE_DATA"
    else:
        import platformdirs

        root = Path(platformdirs.user_data_dir("facilitate", appauthor=False))
        source = "the default workspace"
    try:
        not_a_folder = root.exists() and not root.is_dir()
    except OSError:  # (e.g. a folder on the way that this user may not enter: said later)
        not_a_folder = False
    if not_a_folder:
        raise UsageError(
            f"{source} {root} is a file, not a folder: give the workspace's folder "
            "(the one that holds collaborative.json)."
        )
    return root


def has_terminal() -> bool:
    """A terminal on both stdin and stdout."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def require_terminal() -> None:
    """The full-screen views (the app, demo, follow) need a terminal on stdin and stdout:
    refuse (exit 2) otherwise, rather than draw into a pipe and wait for keys from nowhere."""
    if not has_terminal():
        raise UsageError(NEEDS_A_TERMINAL)


def open_workspace(args: argparse.Namespace, *, backup: bool = False) -> Workspace:
    return Workspace.open(data_dir(args), backup=backup)


def resolve_meeting(tx: Transaction, ref: str | None) -> Meeting:
    """A meeting id, ``latest`` (the most recent one that has started or ended) or ``next``."""
    if ref and ref.strip() not in ("latest", "next") and _looks_like_id(ref.strip()):
        # Named by id: only its own file is read, so a damaged other meeting cannot block it.
        named = tx.find(Meeting, ref.strip())
        if named is not None:
            return named
    meetings = tx.meetings()
    if not meetings:
        raise UsageError(
            "The workspace has no meetings yet: create one with 'facilitate meetings new'."
        )
    ref = (ref or "next").strip()
    now = pendulum.now("UTC")
    if ref == "latest":
        held = [m for m in meetings if m.status is not MeetingStatus.PLANNED]
        # Fall back to a planned meeting whose time has passed only when none was run here.
        held = held or [m for m in meetings if m.end < now]
        if not held:
            raise UsageError("No meeting has been held yet, so there is no 'latest' meeting.")
        return held[-1]
    if ref == "next":
        live = [m for m in meetings if m.status is MeetingStatus.LIVE]
        if live:
            return live[0]
        upcoming = [m for m in meetings if m.status is MeetingStatus.PLANNED]
        if not upcoming:
            raise UsageError("No planned meeting: create one with 'facilitate meetings new'.")
        future = [m for m in upcoming if m.end >= now]
        return (future or upcoming)[0]
    found = tx.find(Meeting, ref) if _looks_like_id(ref) else None
    if found is None:
        ids = ", ".join(m.id for m in meetings[-5:])
        raise UsageError(
            f"No meeting with id {ref!r}. Use 'latest', 'next' or an id from 'facilitate "
            f"meetings' (recent: {ids})."
        )
    return found


def _looks_like_id(ref: str) -> bool:
    try:
        Workspace(Path("/")).meeting_path(ref)
    except UnknownIdError:
        return False
    return True


def exit_code_for(exc: FacilitateError) -> int:
    if isinstance(exc, UsageError | ValidationError | UnknownIdError):
        return EXIT_USAGE
    return EXIT_PROBLEM
