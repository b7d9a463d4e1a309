"""CLI commands for shared use: `follow` (read-only projector view) and `log` (audit trail)."""

from __future__ import annotations

import argparse

from ..cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    data_dir,
    echo,
    error,
    require_terminal,
    resolve_meeting,
)
from ..storage.workspace import Workspace

FOLLOW_HELP = """\
Open a read-only view of a meeting for a projector or a second screen: the agenda with the
current item, a large timer, the decisions and actions so far and who is present. It shows no
notes and nothing of confidential items, never writes and takes no lock, so it can run beside
the facilitator's instance (also as another user of a shared workspace's group).
MEETING is an id from 'facilitate meetings', 'next' (the live meeting; the default) or 'latest'."""

LOG_HELP = """\
Print the audit log: every change with the OS user who made it and when (in the workspace's
timezone), oldest first. Confidential text is never in the log. The log is hash-chained and
anchored; 'facilitate check' verifies it, and this command warns (exit 1) if it was tampered with.
MEETING limits the output to one meeting (an id, 'latest' or 'next')."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `follow` and `log` to the top-level parser."""
    p = sub.add_parser(
        "follow",
        help="read-only view of a meeting for a projector or second screen",
        description=FOLLOW_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("meeting", nargs="?", default="next", metavar="MEETING")
    p.set_defaults(func=cmd_follow)

    p = sub.add_parser(
        "log",
        help="who changed what and when (the audit log)",
        description=LOG_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("meeting", nargs="?", default=None, metavar="MEETING")
    p.add_argument("--tail", type=int, metavar="N", help="only the last N entries")
    p.add_argument(
        "--anchor",
        action="store_true",
        help="print the hash of the last entry, to keep outside the workspace",
    )
    p.set_defaults(func=cmd_log)


def _open(args: argparse.Namespace) -> Workspace:
    return Workspace.open(data_dir(args), read_only=True)


def cmd_follow(args: argparse.Namespace) -> int:
    ws = _open(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    require_terminal()  # (after the workspace: a user turned away from it is told so first)
    from ..ui.follow_app import run_follow

    return run_follow(ws, meeting.id)


def cmd_log(args: argparse.Namespace) -> int:
    from ..storage import audit
    from .log import entries, tail

    if args.tail is not None and args.tail < 1:
        raise UsageError("--tail needs a positive number of entries.")
    ws = _open(args)
    tx = ws.snapshot()
    timezone = tx.profile().timezone
    meeting_id = None
    if args.meeting:
        meeting = resolve_meeting(tx, args.meeting)
        meeting_id, timezone = meeting.id, meeting.timezone
    if args.anchor:
        found = audit.current_anchor(ws.audit_path)
        if found is None:
            echo("The audit log is empty.")
        else:
            seq, digest = found
            echo(f"audit.log entry {seq} sha256 {digest}")
        return EXIT_OK
    lines = tail(entries(ws, meeting_id), args.tail)
    for line in lines:
        echo(line.format(timezone))
    if not lines:
        echo("No changes logged" + (f" for {meeting_id}." if meeting_id else "."))
    problems = audit.verify(ws.audit_path, ws.audit_anchor_path)
    if problems:
        first = problems[0]
        error(
            f"audit.log may have been tampered with ({len(problems)} problem(s); "
            f"line {first.line}: {first.message}). Run 'facilitate check'."
        )
        return EXIT_PROBLEM
    return EXIT_OK
