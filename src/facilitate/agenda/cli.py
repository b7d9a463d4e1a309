"""CLI commands for agenda preparation (`facilitate agenda ...`, `facilitate meetings new`)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum

from ..cli_common import (
    EXIT_OK,
    UsageError,
    echo,
    echo_document,
    open_workspace,
    resolve_meeting,
)
from ..domain.common import FacilitateError, counted, parse_date, require_minutes
from ..domain.meeting import ProposalStatus

if TYPE_CHECKING:
    from ..domain.training import TrainingSnippet

AGENDA_HELP = """\
examples:
  facilitate meetings new                      next meeting from the cadence
  facilitate agenda show next --format ics -o agenda.ics
  facilitate agenda submit next "Shelter beds update" --minutes 10 --by "Ana Ruiz"
  facilitate agenda proposals next
  facilitate agenda accept next prp-1a2b3c4d5e6f --minutes 5
  facilitate agenda import agenda.md           replaces the next planned meeting's agenda"""


def _subparsers(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    return parser.add_subparsers(dest=dest, metavar="SUBCOMMAND", parser_class=type(parser))


def register(sub: argparse._SubParsersAction) -> None:
    """Add the agenda subcommands to the top-level parser."""
    agenda = sub.add_parser(
        "agenda",
        help="prepare and circulate agendas: show, submit, proposals, accept, defer, import",
        epilog=AGENDA_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    asub = _subparsers(agenda, "agenda_command")
    agenda.set_defaults(func=_missing_subcommand(agenda, asub))

    p = asub.add_parser("show", help="print or save the agenda (md, html or ics)")
    p.add_argument("meeting", metavar="MEETING", help="meeting id, 'next' or 'latest'")
    p.add_argument("--format", "-f", default="md", choices=["md", "html", "ics"])
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (0600) instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_show)

    from ..services.circulate_cli import register_agenda_send

    register_agenda_send(asub)

    p = asub.add_parser("submit", help="propose an item for a meeting's agenda")
    p.add_argument("meeting", metavar="MEETING", help="meeting id or 'next'")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--minutes", type=int, default=10, help="time asked for (default 10)")
    p.add_argument("--by", default="", metavar="NAME", help="who proposes it")
    p.add_argument("--confidential", action="store_true", help="a confidential item")
    p.set_defaults(func=cmd_submit)

    p = asub.add_parser("proposals", help="list the proposals for a meeting")
    p.add_argument("meeting", metavar="MEETING", help="meeting id or 'next'")
    p.set_defaults(func=cmd_proposals)

    p = asub.add_parser("accept", help="put a proposal on the agenda (optionally edited)")
    p.add_argument("meeting", metavar="MEETING")
    p.add_argument("proposal", metavar="PROPOSAL_ID")
    p.add_argument("--title", help="change the title")
    p.add_argument("--minutes", type=int, help="change the minutes")
    p.add_argument("--presenter", help="who presents (default: the proposer)")
    conf = p.add_mutually_exclusive_group()
    conf.add_argument("--confidential", dest="confidential", action="store_true", default=None)
    conf.add_argument("--not-confidential", dest="confidential", action="store_false")
    p.set_defaults(func=cmd_accept)

    p = asub.add_parser("defer", help="defer a proposal to the following meeting")
    p.add_argument("meeting", metavar="MEETING")
    p.add_argument("proposal", metavar="PROPOSAL_ID")
    p.set_defaults(func=cmd_defer)

    p = asub.add_parser(
        "import",
        help="replace a planned meeting's agenda with one written in Markdown or plain text",
        description="Reads list items, headings, a table (Topic, Timebox, Presenter columns) or "
        "one line per item; durations like (10m), 10 min, 15 minutes, 1h, 1h30 or 10-15m; "
        "presenters in parentheses or after a dash. Ranges: the upper bound is planned (10-15m "
        "is 15 min; the range is kept in the notes). Skipped and listed: HTML comments, "
        "legends, rules, schedule constraints, meeting details (host, date, time, location, "
        "dial-in, attendees) and background links. Items under a case review, closed session "
        "or confidential heading, or marked with a legend's confidential marker, are "
        "confidential; in doubt, confidential. Limits: a regular file of at most 5 MB and "
        "2,000 items. Nothing is written unless the whole file is read.",
    )
    p.add_argument("file", metavar="FILE.md")
    p.add_argument("--meeting", metavar="MEETING", help="meeting id (default: next planned)")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show exactly what the import would do (items, skipped parts, refusals); "
        "write nothing",
    )
    p.set_defaults(func=cmd_import)

    p = asub.add_parser("training", help="suggest a training snippet for the training slot")
    p.add_argument("meeting", metavar="MEETING")
    p.add_argument("--use", metavar="SNIPPET_ID", help="put this snippet (or 'best') in the slot")
    p.set_defaults(func=cmd_training)

    p = asub.add_parser("report-backs", help="list the report-backs due at a meeting")
    p.add_argument("meeting", metavar="MEETING")
    p.set_defaults(func=cmd_report_backs)


def register_meetings(msub: argparse._SubParsersAction) -> None:
    """Add `meetings new` under `facilitate meetings`."""
    p = msub.add_parser(
        "new",
        help="create the next meeting from the cadence, with the standard agenda",
        description="Creates the next meeting one cadence step after the last one, at the "
        "last meeting's local time, in the collaborative's timezone.",
    )
    p.add_argument("--date", help="the day instead of the cadence (YYYY-MM-DD, 'in 2 weeks')")
    p.add_argument("--time", metavar="HH:MM", help="local start time (default: as last time)")
    p.add_argument("--minutes", type=int, help="length in minutes (default: as last time)")
    p.add_argument("--title", help="meeting title")
    p.add_argument("--location", help="location (default: as last time)")
    p.add_argument("--empty", action="store_true", help="no agenda template")
    p.add_argument("--past", action="store_true", help="allow a --date already past")
    p.set_defaults(func=cmd_meetings_new)
    from .slot_cli import register_slot

    register_slot(msub)


def _missing_subcommand(
    parser: argparse.ArgumentParser, subs: argparse._SubParsersAction
) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        # One line, like every usage error: the names, and where the help is.
        names = list(subs.choices or ())
        raise UsageError(f"choose a subcommand: {', '.join(names)} (see '{parser.prog} --help').")

    return handler


# --- handlers --------------------------------------------------------------------------------


def _write_or_echo(data: bytes, output: str | None, force: bool, what: str) -> None:
    if output:
        from ..services.output import write_export

        path = write_export(Path(output), data, force=force)
        echo(f"Wrote {what} to {path}")
    else:
        echo_document(data.decode("utf-8"))


def cmd_show(args: argparse.Namespace) -> int:
    from .render import render_agenda

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    data = render_agenda(ws, meeting.id, args.format)
    _write_or_echo(data, args.output, args.force, f"the agenda of {meeting.title}")
    return EXIT_OK


def _minutes_arg(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if require_minutes(value, field) < 1:
        raise UsageError(f"{field} {value}: an agenda item needs at least 1 minute.")
    return require_minutes(value, field)


def cmd_submit(args: argparse.Namespace) -> int:
    from .planner import submit_proposal

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    proposal = submit_proposal(
        ws,
        meeting.id,
        args.title,
        minutes=require_minutes(args.minutes, "--minutes", maximum=240),
        by=args.by,
        confidential=args.confidential,
    )
    echo(
        f"Proposed {proposal.id}: {proposal.title} ({proposal.minutes} min"
        f"{', confidential' if proposal.confidential else ''}) for {meeting.title}. "
        "The facilitator will accept, edit or defer it."
    )
    return EXIT_OK


def cmd_proposals(args: argparse.Namespace) -> int:
    from .planner import list_proposals

    ws = open_workspace(args)
    tx = ws.snapshot()
    meeting = resolve_meeting(tx, args.meeting)
    proposals = list_proposals(tx, meeting.id)
    if not proposals:
        echo(f"No proposals for {meeting.title}.")
        return EXIT_OK
    for p in proposals:
        marks = f"{p.minutes} min" + (", confidential" if p.confidential else "")
        by = f"\tby {p.proposed_by}" if p.proposed_by else ""
        echo(f"{p.id}\t{p.status.value}\t{p.title} ({marks}){by}")
    pending = sum(1 for p in proposals if p.status is ProposalStatus.PENDING)
    if pending:
        echo(f"{pending} pending: 'facilitate agenda accept|defer {meeting.id} PROPOSAL_ID'.")
    return EXIT_OK


def cmd_accept(args: argparse.Namespace) -> int:
    from .planner import accept_proposal, slot_summary

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    item = accept_proposal(
        ws,
        meeting.id,
        args.proposal,
        title=args.title,
        minutes=_minutes_arg(args.minutes, "--minutes"),
        confidential=args.confidential,
        presenter=args.presenter,
    )
    bundle = ws.snapshot().bundle(meeting.id)
    echo(
        f"Added to the agenda as item {item.position + 1}: {item.title} "
        f"({item.planned_minutes} min). Now {slot_summary(bundle.meeting, bundle.items)}."
    )
    return EXIT_OK


def cmd_defer(args: argparse.Namespace) -> int:
    from .planner import defer_proposal

    ws = open_workspace(args)
    meeting = resolve_meeting(ws.snapshot(), args.meeting)
    result = defer_proposal(ws, meeting.id, args.proposal)
    if result.moved_to is not None:
        where = f"it now waits in {result.moved_to.title} ({result.moved_to.id})"
    else:
        where = "it will be carried over when the next meeting is created"
    echo(f"Deferred {result.proposal.id}: {result.proposal.title}; {where}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .importer import import_agenda, parse_agenda_bytes, plan_import, read_agenda_file
    from .importer.apply import report_lines

    path = Path(args.file)
    try:
        data = read_agenda_file(path)
    except FileNotFoundError as exc:
        raise UsageError(f"No such file: {path}") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"{path} is a folder: give a Markdown file.") from exc
    except OSError as exc:
        raise FacilitateError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    parsed = parse_agenda_bytes(data, path.name)
    ws = open_workspace(args)
    meeting_id = None
    if args.meeting:
        meeting_id = resolve_meeting(ws.snapshot(), args.meeting).id
    if args.dry_run:
        plan = plan_import(ws, parsed, meeting_id)
    else:
        plan = import_agenda(ws, parsed, meeting_id)
    for line in report_lines(plan):
        echo(line)
    return EXIT_OK


def cmd_training(args: argparse.Namespace) -> int:
    from .planner import place_training, suggest_training, training_slot

    ws = open_workspace(args)
    tx = ws.snapshot()
    meeting = resolve_meeting(tx, args.meeting)
    if args.use:
        placed = place_training(ws, meeting.id, None if args.use == "best" else args.use)
        item = placed.item
        if placed.added:
            echo(
                f"{meeting.title} had no training slot: added item {item.position + 1}, "
                f"{item.title} ({item.planned_minutes} min). No other item was changed."
            )
        else:
            echo(f"Training slot of {meeting.title}: {item.title} ({item.planned_minutes} min).")
        return EXIT_OK
    bundle = tx.bundle(meeting.id)
    slot = training_slot(bundle.items)
    minutes = slot.planned_minutes if slot else None
    choices = suggest_training(tx, minutes)
    if not choices:
        echo("No training snippet fits" + (f" the {minutes}-minute slot." if minutes else "."))
        return EXIT_OK
    current = slot.training_id if slot else None
    echo(
        f"Training snippets that fit the {minutes}-minute slot, least recently delivered first:"
        if minutes
        else "Training snippets, least recently delivered first:"
    )
    for s in choices:
        echo(_snippet_line(s, meeting.timezone, s.id == current))
    return EXIT_OK


def _snippet_line(s: TrainingSnippet, tz: str, current: bool) -> str:
    last = s.last_delivered
    when = (
        f"last delivered {last.in_timezone(tz).format('D MMMM YYYY')}"
        if last
        else "never delivered"
    )
    mark = "  (in the slot now)" if current else ""
    return f"{s.id}\t{s.minutes} min\t{s.title}\t{when}{mark}"


def cmd_report_backs(args: argparse.Namespace) -> int:
    from .planner import report_backs_due

    ws = open_workspace(args)
    tx = ws.snapshot()
    meeting = resolve_meeting(tx, args.meeting)
    groups = report_backs_due(tx, meeting.id)
    if not groups:
        echo(f"No report-backs due at {meeting.title}.")
        return EXIT_OK
    for group in groups:
        echo(group.label)
        for e in group.entries:
            flag = "OVERDUE " if e.overdue else ""
            text = "(action from a confidential item)" if e.confidential else e.text
            echo(f"  {flag}{e.action_id}\tdue {e.due}\t{text}")
    return EXIT_OK


_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


def _parse_time(text: str) -> tuple[int, int]:
    match = _TIME.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UsageError(f"Cannot read --time {text!r}: use HH:MM, e.g. 10:00 or 18:30.")
    return int(match.group(1)), int(match.group(2))


def cmd_meetings_new(args: argparse.Namespace) -> int:
    from ..domain.cadence import Slot, usual_slot
    from ..domain.standing import standing_rule
    from .planner import plan_next_meeting, slot_summary

    ws = open_workspace(args)
    tx = ws.snapshot()
    profile = tx.profile()
    tz = profile.timezone
    meetings = tx.meetings()
    today = pendulum.now(tz).date()
    on_date = parse_date(args.date, today=today) if args.date else None
    if on_date is not None and on_date < today and not args.past:
        raise UsageError(
            f"{on_date.format('dddd D MMMM YYYY')} is in the past: to record a meeting held "
            "earlier, add --past."
        )
    slot: Slot | None = None
    if args.time or args.minutes is not None:
        base = usual_slot(meetings, tz, standing_rule(profile))
        hour, minute = _parse_time(args.time) if args.time else (base.hour, base.minute)
        length = base.minutes
        if args.minutes is not None:
            length = require_minutes(args.minutes, "--minutes", maximum=720)
            if length < 15:
                raise UsageError("--minutes is the meeting's length: use at least 15.")
        slot = Slot(hour, minute, length)
    result = plan_next_meeting(
        ws,
        on_date=on_date,
        slot=slot,
        title=args.title,
        location=args.location,
        with_template=not args.empty,
    )
    m = result.meeting
    start, end = m.local(m.start), m.local(m.end)
    echo(f"Created {m.id}: {m.title}")
    echo(
        f"  {start.format('dddd D MMMM YYYY, HH:mm')}–{end.format('HH:mm')} "
        f"{start.format('zz')} ({tz}): {result.explanation}"
    )
    if result.items:
        echo(
            f"  Agenda: standard template, {counted(len(result.items), 'item')}, "
            f"{slot_summary(m, result.items)}"
        )
    if result.training is not None:
        last = result.training.last_delivered
        when = (
            f"last delivered {last.in_timezone(tz).format('D MMMM YYYY')}"
            if last
            else "never delivered"
        )
        echo(
            f"  Training suggestion: {result.training.title} "
            f"({result.training.minutes} min, {when})"
        )
    if result.report_backs:
        count = sum(len(g.entries) for g in result.report_backs)
        overdue = sum(g.overdue for g in result.report_backs)
        echo(
            f"  Report-backs due: {count} action{'s' if count != 1 else ''}"
            + (f" ({overdue} overdue)" if overdue else "")
        )
    if result.carried_items:
        echo("  Carried over: " + "; ".join(result.carried_items))
    if result.carried_proposals:
        echo("  Deferred proposals carried over: " + "; ".join(result.carried_proposals))
    echo(f"Show it with: facilitate agenda show {m.id}")
    return EXIT_OK
