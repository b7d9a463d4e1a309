"""CLI commands for the roster, action tracker and search:

facilitate actions [--open|--overdue|--all] [--subcommittee NAME] [--owner NAME]
                   [--due-before DATE] [--format table|csv|json|ics] [-o FILE] [--force]
facilitate roster export [--format csv|json] [-o FILE] [--force]
facilitate roster import FILE.csv [--dry-run]
facilitate search QUERY [--include-confidential] [--format text|json]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    UsageError,
    dumps_json,
    echo,
    echo_document,
    error,
    open_workspace,
)
from ..domain.common import FacilitateError, clean_text, counted, parse_date, system_clock
from ..domain.meeting import MeetingStatus

if TYPE_CHECKING:  # the modules themselves load when a command runs, not at start-up
    from .actions import ActionRow, TrackerData

ACTIONS_DESCRIPTION = """\
List action items from every meeting, sorted by report-back date (soonest first).

By default only open actions are listed; --overdue shows open actions whose report-back day is
before today (in the collaborative's timezone); --all adds done and dropped ones. NAME matches
a subcommittee or member by name (any unique part of it, ignoring case).

The text of actions raised under confidential agenda items (such as case reviews) is withheld
unless --include-confidential is given. Files are created private (0600) and an existing file is
only replaced with --force. --format ics writes report-back dates as all-day calendar entries."""

ROSTER_DESCRIPTION = """\
Export the roster as CSV (one row per member, with their organization's sector, MOU status, MOU
date and partnership; organizations without members get a row too) or JSON, or import a CSV in
the same columns.

Import validates every row first and lists each problem by row and column; nothing is written
unless every row is valid (use --dry-run to see what would change). Organizations and members
are matched by name; an unknown organization is added when its row gives a sector. Empty cells
keep existing values and nobody is removed. Cells starting with = + - @ are exported with a
leading ' so spreadsheets do not run them as formulas; import removes it again."""

SEARCH_DESCRIPTION = """\
Search every meeting's agenda titles, notes, decisions and actions. All words must appear
(ignoring case and accents); put "a phrase" in quotes to keep it together.

Notes of confidential agenda items, and decisions and actions raised under them, are searched
only with --include-confidential (members only)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `actions`, `roster` and `search` to the top-level parser."""
    p = sub.add_parser(
        "actions",
        help="list action items across meetings (table, csv, json, ics)",
        description=ACTIONS_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--open", dest="which", action="store_const", const="open", help="open actions (default)"
    )
    which.add_argument(
        "--overdue", dest="which", action="store_const", const="overdue", help="overdue only"
    )
    which.add_argument(
        "--all", dest="which", action="store_const", const="all", help="also done and dropped"
    )
    p.add_argument("--subcommittee", metavar="NAME", help="only this subcommittee's actions")
    p.add_argument("--owner", metavar="NAME", help="only actions owned by this member")
    p.add_argument("--due-before", metavar="DATE", help="report-back day before DATE")
    p.add_argument("--format", "-f", default="table", choices=["table", "csv", "json", "ics"])
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help="show the text of actions under confidential items (members only)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_actions, which="open")

    p = sub.add_parser(
        "roster",
        help="roster export (csv, json) and import (csv)",
        description=ROSTER_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=cmd_roster_missing)
    rsub = p.add_subparsers(dest="roster_command", metavar="SUBCOMMAND", parser_class=type(p))
    ep = rsub.add_parser("export", help="write the roster as CSV or JSON")
    ep.add_argument("--format", "-f", default="csv", choices=["csv", "json"])
    ep.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    ep.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    ep.set_defaults(func=cmd_roster_export)
    ip = rsub.add_parser("import", help="add and update organizations and members from a CSV")
    ip.add_argument("file", metavar="FILE.csv")
    ip.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    ip.set_defaults(func=cmd_roster_import)

    p = sub.add_parser(
        "search",
        help="search notes, decisions, actions and agenda titles across meetings",
        description=SEARCH_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument(
        "--include-confidential",
        action="store_true",
        help="also search confidential notes, decisions and actions (members only)",
    )
    p.add_argument("--format", "-f", default="text", choices=["text", "json"])
    p.set_defaults(func=cmd_search)


# --- helpers ---------------------------------------------------------------------------------


def _line(text: object) -> str:
    """One line of user text for a terminal: control characters removed, whitespace collapsed."""
    return " ".join(clean_text(str(text)).split())


def _emit(args: argparse.Namespace, data: bytes, what: str) -> None:
    if args.output:
        from ..services.output import write_export

        path = write_export(Path(args.output), data, force=args.force)
        echo(f"Wrote {what} to {path}")
    else:
        echo_document(data.decode("utf-8").lstrip("\ufeff"))


def resolve_name(query: str, candidates: Sequence[tuple[str, str]], kind: str) -> str:
    """The id of the one candidate whose name is ``query`` (or uniquely contains it). Case and
    accents are ignored ("sofia" finds "Sofía"); with no match the closest names are listed."""
    import difflib

    from .search import fold

    key = fold(clean_text(query))
    if not key:
        raise UsageError(f"Empty {kind} name.")
    folded = [(cid, name, fold(clean_text(name))) for cid, name in candidates]
    exact = [cid for cid, _, f in folded if f == key]
    if len(exact) == 1:
        return exact[0]
    partial = [(cid, name) for cid, name, f in folded if key in f]
    if len(partial) == 1:
        return partial[0][0]
    if partial:
        names = "; ".join(_line(n) for _, n in partial[:8])
        raise UsageError(f"{query!r} matches {len(partial)} {kind}s ({names}): be more specific.")
    by_fold = {f: name for _, name, f in folded}
    words = {w: f for f in by_fold for w in f.split()}
    close = difflib.get_close_matches(key, list(by_fold), n=5, cutoff=0.5)
    close += [words[w] for w in difflib.get_close_matches(key, list(words), n=5, cutoff=0.7)]
    closest = list(dict.fromkeys(close))[:5]
    if closest:
        names = "; ".join(_line(by_fold[f]) for f in closest)
        raise UsageError(f"No {kind} matches {query!r}. Closest: {names}.")
    if not candidates:
        raise UsageError(f"No {kind} matches {query!r}: there are none yet.")
    raise UsageError(f"No {kind} matches {query!r}, nor comes close (check the spelling).")


# --- actions ---------------------------------------------------------------------------------

ACTION_COLUMNS = [
    "id",
    "status",
    "overdue",
    "report_back_date",
    "due_next_meeting",
    "owner",
    "subcommittee",
    "text",
    "meeting_date",
    "meeting",
    "meeting_id",
    "report_back",
    "confidential",
]


def cmd_actions(args: argparse.Namespace) -> int:
    from .actions import ActionFilter, load_tracker

    if args.format == "ics" and not args.output and sys.stdout.isatty():
        raise UsageError("Calendar output goes to a file: add -o actions.ics")
    if args.output is None and args.force:
        raise UsageError("--force only makes sense with -o FILE.")
    ws = open_workspace(args)
    data = load_tracker(ws, system_clock())
    roster = data.roster
    subcommittee_id = owner_id = None
    if args.subcommittee:
        subs = [(s.id, s.name) for s in roster.subcommittees]
        subcommittee_id = resolve_name(args.subcommittee, subs, "subcommittee")
    if args.owner:
        owner_id = resolve_name(args.owner, [(m.id, m.name) for m in roster.members], "member")
    due_before = parse_date(args.due_before, today=data.today) if args.due_before else None
    flt = ActionFilter(
        status="all" if args.which == "all" else "open",
        overdue_only=args.which == "overdue",
        subcommittee_id=subcommittee_id,
        owner_id=owner_id,
        due_before=due_before,
    )
    rows = data.select(flt)
    unlocked = args.include_confidential
    if args.format == "json":
        out = dumps_json([r.as_dict(unlocked) for r in rows])
        payload = (out + "\n").encode("utf-8")
    elif args.format == "csv":
        import csv
        import io

        from .csv_cells import protect

        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(ACTION_COLUMNS)
        for r in rows:
            record = r.as_dict(unlocked)
            writer.writerow([protect(clean_text(_csv_value(record[c]))) for c in ACTION_COLUMNS])
        payload = ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel reads the accents
    elif args.format == "ics":
        payload = _actions_ics(data, rows, unlocked, include_closed=args.which == "all")
    else:
        # Written to a file, nothing is cut: the cells are the terminal's concern only.
        cut = not args.output
        payload = _actions_table(rows, unlocked, flt.describe(roster), cut=cut).encode("utf-8")
    _emit(args, payload, f"{len(rows)} action(s)")
    if unlocked and not args.output and any(r.confidential for r in rows):
        error("note: this output includes confidential actions (members only).")
    return _report_skipped(data.view.problems)


def _report_skipped(problems: list[str]) -> int:
    """Every meeting file that could not be read is named on stderr, and the exit code says
    the output is incomplete (a damaged file must never just make rows disappear)."""
    for problem in problems:
        error(f"skipped: {problem}")
    if problems:
        error(f"{len(problems)} meeting file(s) skipped: the output above is incomplete.")
        return EXIT_PROBLEM
    return EXIT_OK


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(f"{e['at'][:10]} {e['what']}" for e in value)
    return str(value)


# The table's fixed columns: REPORT BACK (11 cells), STATUS (8), and the spaces between.
_FIXED_CELLS = 11 + 1 + 8 + 1 + 1


def _actions_table(
    rows: list[ActionRow], unlocked: bool, described: str, *, cut: bool = True
) -> str:
    """The actions as a table measured in terminal cells (a CJK name takes two cells per
    character), as wide as the terminal (COLUMNS) when ``cut``; whole cells otherwise."""
    from ..cells import cell_len, fit, pad, terminal_columns
    from ..cells import cut as cut_cells

    if not rows:
        return f"No actions ({described}).\n"
    header = "OWNER / SUBCOMMITTEE"
    cells = [(r, _line(r.who), _line(r.text(unlocked))) for r in rows]
    who_need = max(cell_len(header), *(cell_len(who) for _, who, _ in cells))
    if cut:
        room = max(terminal_columns(), 40) - _FIXED_CELLS
        who_width = min(who_need, max(12, min(40, room * 2 // 5)))
        text_width: int | None = room - who_width
    else:
        who_width, text_width = who_need, None
    lines = [f"{'REPORT BACK':<11} {'STATUS':<8} {fit(header, who_width)} ACTION"]
    for r, who, text in cells:
        status = "OVERDUE" if r.overdue else r.action.status.value
        if text_width is not None:
            text = cut_cells(text, text_width)
        lines.append(f"{pad(r.due_label, 11)} {status:<8} {fit(who, who_width)} {text}")
    overdue = sum(1 for r in rows if r.overdue)
    lines.append(f"{len(rows)} action(s), {overdue} overdue ({described}).")
    return "\n".join(lines) + "\n"


def _actions_ics(
    data: TrackerData, rows: list[ActionRow], unlocked: bool, *, include_closed: bool
) -> bytes:
    import copy

    from ..minutes.ics import actions_to_ics

    actions = []
    for r in rows:
        action = copy.copy(r.action)
        if action.due is None and r.report_back is not None:
            action.due = r.report_back  # the next meeting's day, for "next meeting" actions
        actions.append(action)
    confidential: set[str] = set()
    if not unlocked:
        for bundle in data.view.bundles:
            confidential.update(i.id for i in bundle.items if i.confidential)
    upcoming = [
        b.meeting
        for b in data.view.bundles
        if b.meeting.status is not MeetingStatus.ENDED
        and b.meeting.local(b.meeting.start).date() >= data.today
    ]
    next_day = upcoming[0].local(upcoming[0].start).date() if upcoming else None
    return actions_to_ics(
        actions,
        data.roster,
        next_meeting=next_day,
        confidential_item_ids=confidential,
        include_closed=include_closed,
        calendar_name=f"{data.roster.profile.name}: report-backs",
    )


# --- roster ----------------------------------------------------------------------------------


def cmd_roster_missing(args: argparse.Namespace) -> int:
    raise UsageError(
        "Which? 'facilitate roster export [--format csv|json] [-o FILE]' or "
        "'facilitate roster import FILE.csv [--dry-run]'."
    )


def cmd_roster_export(args: argparse.Namespace) -> int:
    from .roster_csv import export_csv, export_json

    if args.output is None and args.force:
        raise UsageError("--force only makes sense with -o FILE.")
    roster = open_workspace(args).snapshot().roster()
    payload = export_csv(roster) if args.format == "csv" else export_json(roster)
    what = (
        f"{counted(len(roster.organizations), 'organization')} and "
        f"{counted(len(roster.members), 'member')}"
    )
    _emit(args, payload, what)
    return EXIT_OK


def cmd_roster_import(args: argparse.Namespace) -> int:
    from .roster_csv import import_roster

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"No file {path}: check the name.") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"{path} is a folder: give the CSV file.") from exc
    except OSError as exc:
        raise FacilitateError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    ws = open_workspace(args)
    plan = import_roster(ws, data, source=path.name, dry_run=args.dry_run)
    for change in plan.changes:
        echo(_line(change))
    if not plan.has_changes:
        echo(f"Nothing to change: the roster already matches {_line(path.name)}.")
    elif args.dry_run:
        echo(f"Dry run: {plan.summary()} Nothing was written.")
    else:
        echo(f"Imported: {plan.summary()}")
    return EXIT_OK


# --- search ----------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    from .loading import load_view
    from .search import build_index

    query = " ".join(args.query)
    ws = open_workspace(args)
    view = load_view(ws)
    index = build_index(view)
    hits = index.search(query, include_confidential=args.include_confidential)
    if args.format == "json":
        out = [
            {
                "meeting_id": h.doc.meeting_id,
                "meeting": h.doc.meeting_title,
                "date": h.doc.day.to_date_string(),
                "kind": h.doc.kind.value,
                "record_id": h.doc.record_id,
                "confidential": h.doc.confidential,
                "text": h.doc.text,
            }
            for h in hits
        ]
        echo(dumps_json(out))
    else:
        for h in hits:
            mark = " (C)" if h.doc.confidential else ""
            echo(
                f"{h.doc.day.to_date_string()}  {h.doc.meeting_id}  {h.doc.kind.label + mark:<12} "
                f"{_line(h.snippet)}"
            )
        echo(f"{len(hits)} match(es) for {_line(query)!r}.")
    if not args.include_confidential and index.confidential_count:
        error("confidential notes were not searched (add --include-confidential, members only).")
    elif args.include_confidential and any(h.doc.confidential for h in hits):
        error("note: these results include confidential notes (members only).")
    return _report_skipped(view.problems)
