"""`facilitate speakers forget MEETING NAME`: erase one person's speaking turns at a meeting."""

from __future__ import annotations

import argparse

from .cli_common import EXIT_OK, open_workspace, resolve_meeting
from .console import echo

FORGET_HELP = """\
Delete every speaking turn of one person at one meeting (who spoke, when and for how long, and
any note kept with the turn), for example when they ask for their data to be erased. The notes
already added to the item's notes are not touched: correct them in the record (c) if needed.
The deletion is in the audit log; the minutes and airtime no longer count those turns.
MEETING is an id from 'facilitate meetings', 'latest' or 'next'; NAME as the attendance lists it."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("speakers", help="speaking turns: erase one person's ('speakers forget')")
    ssub = p.add_subparsers(
        dest="speakers_command", metavar="SUBCOMMAND", required=True, parser_class=type(p)
    )
    fp = ssub.add_parser(
        "forget",
        help="delete every speaking turn of one person at one meeting",
        description=FORGET_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fp.add_argument("meeting", metavar="MEETING")
    fp.add_argument("name", metavar="NAME")
    fp.set_defaults(func=cmd_forget)


def cmd_forget(args: argparse.Namespace) -> int:
    from .services.speaking import forget_speaker

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    gone = forget_speaker(ws, meeting.id, args.name)
    echo(
        f"Deleted {len(gone)} speaking turn{'s' if len(gone) != 1 else ''} of {gone[0].name} "
        f"at {meeting.title} ({meeting.id})."
    )
    return EXIT_OK
