"""CLI commands for minutes export (`facilitate minutes ...`)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pendulum

from ..cli_common import (
    EXIT_OK,
    UsageError,
    echo,
    echo_document,
    error,
    open_workspace,
    resolve_meeting,
)
from ..domain.common import parse_date

USAGE = """\
facilitate minutes MEETING [--format md|html|docx] [--include-confidential] [-o FILE] [--force]
       facilitate minutes approve MEETING [--on DATE] [--corrections TEXT]
       facilitate minutes send MEETING [--include-confidential] [-o FILE.eml] [--sendmail]"""

DESCRIPTION = """\
Export a meeting's minutes, or record that they were approved.

MEETING is a meeting id, 'latest' (the most recent meeting held) or 'next'.
Confidential items (such as case reviews) are redacted unless --include-confidential is given;
then every format carries a "CONFIDENTIAL: members only" banner. Files are created private
(0600) and an existing file is only replaced with --force. Word output needs -o."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the minutes subcommands to the top-level parser."""
    p = sub.add_parser(
        "minutes",
        help="export minutes (md, html, docx) or approve them: 'minutes approve MEETING'",
        usage=USAGE,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("meeting", metavar="MEETING", help="meeting id, 'latest' or 'next'")
    p.add_argument("approve_target", nargs="?", help=argparse.SUPPRESS)
    p.add_argument("--format", "-f", default="md", choices=["md", "html", "docx"])
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help="include confidential items (members only)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.add_argument("--on", metavar="DATE", help="approve: the approval date (default: today)")
    p.add_argument("--corrections", metavar="TEXT", default=None, help="approve: corrections")
    from ..services.circulate_cli import add_send_options

    add_send_options(p)
    p.set_defaults(func=cmd_minutes)


def cmd_minutes(args: argparse.Namespace) -> int:
    if args.meeting == "send":
        if not args.approve_target:
            raise UsageError("Which meeting? Use 'facilitate minutes send MEETING'.")
        from ..services.circulate_cli import cmd_minutes_send

        return cmd_minutes_send(args, args.approve_target)
    if args.sendmail or args.sender:
        raise UsageError("--sendmail and --from belong to 'facilitate minutes send MEETING'.")
    if args.meeting == "approve":
        if not args.approve_target:
            raise UsageError("Which meeting? Use 'facilitate minutes approve MEETING'.")
        return cmd_approve(args)
    if args.approve_target:
        raise UsageError(
            f"Unexpected argument {args.approve_target!r}: export with 'facilitate minutes "
            "MEETING', approve with 'facilitate minutes approve MEETING'."
        )
    if args.on or args.corrections is not None:
        raise UsageError("--on and --corrections belong to 'facilitate minutes approve MEETING'.")
    return cmd_export(args)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import render_minutes, suggested_filename

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    from ..services.record import ensure_frozen

    ensure_frozen(ws, meeting.id, pendulum.now("UTC"))
    tx = ws.snapshot()
    if args.format == "docx" and not args.output:
        name = suggested_filename(meeting, "docx", args.include_confidential)
        raise UsageError(f"Word output needs a file name: add -o {name}")
    data = render_minutes(tx, meeting.id, args.format, args.include_confidential)
    what = "confidential minutes (members only)" if args.include_confidential else "minutes"
    if args.output:
        from ..services.output import write_export

        path = write_export(Path(args.output), data, force=args.force)
        echo(f"Wrote the {what} of {meeting.title} to {path}")
    else:
        echo_document(data.decode("utf-8"))
        if args.include_confidential:
            error("note: this output includes confidential items (members only).")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from .approval import approve_minutes

    if args.include_confidential or args.output or args.force or args.format != "md":
        raise UsageError("'minutes approve' takes only --on and --corrections.")
    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.approve_target)
    on_date = None
    if args.on:
        on_date = parse_date(args.on, today=pendulum.now(meeting.timezone).date())
    from ..services.record import ensure_frozen

    ensure_frozen(ws, meeting.id, pendulum.now("UTC"))  # approved minutes must not drift
    result = approve_minutes(ws, meeting.id, on_date, args.corrections or "")
    m = result.meeting
    day = m.minutes_approved_on.format("D MMMM YYYY") if m.minutes_approved_on else "?"
    again = ""
    if result.was_approved_on is not None:
        again = f" (previously approved on {result.was_approved_on.format('D MMMM YYYY')})"
    echo(f"Minutes of {m.title} approved on {day}{again}.")
    if m.minutes_corrections:
        echo(f"Corrections: {m.minutes_corrections}")
    if result.recorded_in is not None:
        echo(f"Recorded under '{result.recorded_in.title}' of the next meeting.")
    return EXIT_OK
