"""`facilitate report`: the annual report, as Markdown, HTML (with charts) or Word."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any

import pendulum

from ..cli_common import EXIT_OK, UsageError, echo, echo_document, error, open_workspace

DESCRIPTION = """\
The year in numbers, for funders and members: meetings held and their length against plan,
attendance by organization and by sector, sector coverage against the membership matrix,
trainings delivered, decisions, action items by subcommittee (opened, closed, closed on time,
overdue) and feedback ratings. HTML and Word carry charts (bars from zero, each with its value;
in HTML an inline SVG with a title and description for screen readers); Markdown gives the
same figures as tables.

Confidential items are counted but never described unless --include-confidential is given
(then the report carries a members-only banner). Files are created private (0600); an
existing file is replaced only with --force. Word output needs -o."""

PROGRESS_AFTER = 1.0  # seconds: a report that takes longer shows a progress bar on stderr


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="the annual report (md, html, docx): meetings, attendance, training, actions",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, metavar="YYYY", help="the year (default: this year)")
    p.add_argument("--format", "-f", default="md", choices=["md", "html", "docx"])
    p.add_argument(
        "--include-confidential", action="store_true", help="describe confidential items"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=cmd_report)


class _LateProgress:
    """A Rich progress bar on stderr, shown once the report has taken over a second (reading
    the meetings or drawing the charts, whichever is under way then), and only on a terminal
    (a script's stderr stays clean). A timer shows it: a long chart draws no progress calls."""

    def __init__(self, after: float | None = None) -> None:
        self.lock = threading.Lock()
        self.bar: Any = None
        self.task: Any = None
        self.what = "Reading meetings"
        self.done: int = 0
        self.total: int | None = None
        self.closed = False
        self.timer: threading.Timer | None = None
        if sys.stderr.isatty():
            delay = PROGRESS_AFTER if after is None else after
            self.timer = threading.Timer(delay, self._show)
            self.timer.daemon = True
            self.timer.start()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        with self.lock:
            if self.closed:
                return
            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=self.total, completed=self.done)

    def __call__(self, done: int, total: int) -> None:
        with self.lock:
            self.done, self.total = done, total
            if self.bar is not None:
                self.bar.update(self.task, completed=done, total=total)

    def stage(self, what: str) -> None:
        """A new stage with no count of its own (the bar pulses)."""
        with self.lock:
            self.what, self.done, self.total = what, 0, None
            if self.bar is not None:
                self.bar.update(self.task, description=what, completed=0, total=None)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self.timer is not None:
                self.timer.cancel()
            if self.bar is not None:
                self.bar.stop()


def cmd_report(args: argparse.Namespace) -> int:
    from .service import build_report, check_year, render_report, suggested_filename

    ws = open_workspace(args)
    # A report lists every meeting to find its year's: keep the meeting index (derived data, as
    # the app does), so only the first report on a workspace never opened in the app parses the
    # ten years of meeting files, and the next ones read the index.
    ws.write_index = True
    tx = ws.snapshot()
    profile = tx.profile()
    this_year = pendulum.now(profile.timezone).year
    year = check_year(args.year if args.year is not None else this_year, this_year)
    if args.format == "docx" and not args.output:
        name = suggested_filename(profile.name, year, "docx", args.include_confidential)
        raise UsageError(f"Word output needs a file name: add -o {name}")
    progress = _LateProgress()
    try:
        report = build_report(
            tx, year, include_confidential=args.include_confidential, progress=progress
        )
        if args.format != "md":
            progress.stage("Drawing charts")
        data = render_report(report, args.format, created=pendulum.now("UTC"))
    finally:
        progress.close()
    what = "confidential report (members only)" if args.include_confidential else "report"
    if args.output:
        from ..services.output import write_export

        path = write_export(Path(args.output), data, force=args.force)
        echo(f"Wrote the {what} of {year} ({report.held} meetings) to {path}")
    else:
        echo_document(data.decode("utf-8"))
        if args.include_confidential:
            error("note: this output includes confidential items (members only).")
    return EXIT_OK
