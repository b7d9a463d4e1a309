"""`facilitate minutes send MEETING` and `facilitate agenda send MEETING`: e-mail drafts."""

from __future__ import annotations

import argparse
from pathlib import Path

import pendulum

from ..cli_common import EXIT_OK, UsageError, echo, open_workspace, resolve_meeting
from ..domain.meeting import Meeting


def add_send_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sendmail",
        action="store_true",
        help="send: hand the draft to the server's sendmail (nothing is sent without it)",
    )
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="send: the From address")


def _write(draft_bytes: bytes, output: str | None, default: str, force: bool) -> Path:
    from .output import write_export

    return write_export(Path(output or default), draft_bytes, force=force)


def _report(path: Path, recipients: list[str], missing: list[str], sent: bool) -> None:
    to = f"{len(recipients)} member address(es)"
    echo(f"Wrote the e-mail draft to {path} (to {to}).")
    if missing:
        echo(f"No e-mail address for: {'; '.join(missing)}.")
    if sent:
        echo("Handed to sendmail.")
    else:
        echo("Nothing was sent: open the draft in your mail client, or add --sendmail.")


def _eml_name(meeting: Meeting, what: str, confidential: bool = False) -> str:
    from ..minutes.export import slug

    day = meeting.local(meeting.start).format("YYYY-MM-DD")
    tag = "-confidential" if confidential else ""
    return f"{what}-{day}-{slug(meeting.title)}{tag}.eml"


def cmd_minutes_send(args: argparse.Namespace, ref: str) -> int:
    from .circulate import minutes_draft, send_with_sendmail

    if args.format != "md":
        raise UsageError("'minutes send' attaches Markdown, HTML and Word: leave out --format.")
    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), ref)
    from .record import ensure_frozen

    ensure_frozen(ws, meeting.id, pendulum.now("UTC"))
    draft = minutes_draft(
        ws,
        meeting,
        include_confidential=args.include_confidential,
        sender=args.sender,
        now=pendulum.now("UTC"),
    )
    default = _eml_name(meeting, "minutes", args.include_confidential)
    path = _write(draft.as_bytes(), args.output, default, args.force)
    if args.sendmail:
        send_with_sendmail(draft)
    _report(path, draft.recipients, draft.without_address, args.sendmail)
    return EXIT_OK


def register_agenda_send(asub: argparse._SubParsersAction) -> None:
    p = asub.add_parser(
        "send",
        help="write an e-mail draft (.eml) of the agenda with its calendar invitation",
        description="Writes an e-mail draft to the active members who have an e-mail address, "
        "with the agenda (Markdown, HTML) and the .ics invitation attached. Nothing is sent "
        "unless --sendmail is given.",
    )
    p.add_argument("meeting", metavar="MEETING", help="meeting id, 'next' or 'latest'")
    p.add_argument("-o", "--output", metavar="FILE", help="the .eml file (default: in this folder)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    add_send_options(p)
    p.set_defaults(func=cmd_agenda_send)


def cmd_agenda_send(args: argparse.Namespace) -> int:
    from .circulate import agenda_draft, send_with_sendmail

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    draft = agenda_draft(ws, meeting, sender=args.sender, now=pendulum.now("UTC"))
    path = _write(draft.as_bytes(), args.output, _eml_name(meeting, "agenda"), args.force)
    if args.sendmail:
        send_with_sendmail(draft)
    _report(path, draft.recipients, draft.without_address, args.sendmail)
    return EXIT_OK
