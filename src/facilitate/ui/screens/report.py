"""The year in numbers (from the history screen): the annual report's figures on screen.

It shows what ``facilitate report`` writes, from the same document (report.document), so the
screen and the files never disagree: meetings held and their length against plan, attendance by
organization and by sector, sector coverage, trainings, decisions, action items by subcommittee
and feedback. Textual Sparklines draw attendance, meeting length and ratings per meeting; the
numbers are printed beside each one. Confidential items are counted, never described (the
screen and its exports always leave them out, whatever the session's unlock).
"""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table as RichTable
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Sparkline, Static

from ...domain.annual import AnnualReport, year_of
from ...domain.common import FacilitateError, ValidationError
from ...domain.meeting import MeetingStatus
from ...domain.trends import local_today
from ...minutes.blocks import Banner, Block, BulletList, Heading, Paragraph, Table
from ...report.document import report_document
from ...report.service import build_report, check_year, suggested_filename
from ..commands import REPORT, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, plain, safe
from .close import free_path
from .tracker_dialogs import fapp

SPARK_MAX_WIDTH = 60
FORMAT_NAMES = {"md": "Markdown", "html": "HTML", "docx": "Word"}


def _values(values: list[float]) -> str:
    return " ".join(f"{v:.1f}" if not float(v).is_integer() else str(int(v)) for v in values)


def _table(table: Table) -> RichTable:
    """A plain table (user text as Text: never read as markup)."""
    out = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for n, name in enumerate(table.header):
        out.add_column(Text(name), justify="right" if n in table.numeric else "left")
    for row in table.rows:
        out.add_row(*(Text(plain(cell)) for cell in row))
    return out


def zero_based_sparkline(values: list[float], *, id: str) -> Sparkline:
    """A Sparkline drawn from zero: 23, 24, 23 people read as steady, not as a collapse.

    Textual's Sparkline spans the lowest to the highest value it is given, so a zero goes
    first (the "▁" at the left is the zero mark), and each value gets two cells while the
    line fits (more meetings than cells: each cell shows the highest of the values it covers).
    """
    data = [0.0, *values]
    line = Sparkline(data, id=id)
    line.styles.width = min(2 * len(data), SPARK_MAX_WIDTH)
    return line


class ReportScreen(SafeTitles, Screen[None]):
    """One year's report; ``[`` and ``]`` switch the year, m/h/w export it."""

    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)
    DEFAULT_CSS = """
    ReportScreen #report-body { padding: 0 1; }
    ReportScreen #report-summary { height: auto; }
    ReportScreen .report-heading { margin-top: 1; color: $accent; text-style: bold; }
    ReportScreen .report-text { height: auto; }
    ReportScreen .spark-label { height: auto; margin-top: 1; }
    ReportScreen Sparkline { height: 2; }
    """
    COMMAND_TABLE = REPORT
    BINDINGS = bindings(REPORT)

    def __init__(self, year: int | None = None, export_dir: Path | None = None) -> None:
        super().__init__()
        self.year = year
        self.export_dir = export_dir or Path.cwd()
        self.report: AnnualReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="report-body"):
            yield Static(id="report-summary")
        yield SteadyFooter(compact=True)

    async def on_mount(self) -> None:
        if self.year is None:
            self.year = self._latest_year()
        await self.load()

    def _today_year(self) -> int:
        app = fapp(self)
        timezone = app.ws.snapshot().profile().timezone
        return local_today(app.clock(), timezone).year

    def _latest_year(self) -> int:
        """The year of the latest meeting held (this year when none was held yet)."""
        this_year = self._today_year()
        try:
            meetings = fapp(self).ws.snapshot().meetings()
        except FacilitateError:
            return this_year
        held = [year_of(m) for m in meetings if m.status is MeetingStatus.ENDED]
        return max(held, default=this_year)

    # --- data -------------------------------------------------------------------------------

    async def load(self) -> None:
        assert self.year is not None
        app = fapp(self)
        try:
            self.report = build_report(app.ws.snapshot(), self.year, now=app.clock())
        except FacilitateError as exc:
            app.report(exc)
            return
        self.sub_title = f"Report {self.year}"
        await self._show(self.report)

    async def _show(self, report: AnnualReport) -> None:
        body = self.query_one("#report-body", VerticalScroll)
        summary = self.query_one("#report-summary", Static)
        await body.remove_children([c for c in body.children if c is not summary])
        summary.update(safe(self._summary(report)))
        widgets: list[Widget] = []
        section, placed = "", False
        for block in report_document(report, charts=False).blocks[1:]:  # title: the header's
            widgets.extend(self._block(block))
            if isinstance(block, Heading):
                section = block.text
            elif section == "Meetings held" and not placed and isinstance(block, Paragraph):
                widgets.extend(self._sparklines(report))  # under the year's totals
                placed = True
        await body.mount_all(widgets)
        body.scroll_home(animate=False)

    def _summary(self, report: AnnualReport) -> str:
        parts = [f"{report.year}: {report.held} meetings held"]
        if report.held:
            over = report.actual_minutes - report.planned_minutes
            parts.append(
                f"{report.actual_minutes} of {report.planned_minutes} planned minutes "
                f"({'+' if over > 0 else ''}{over})"
            )
        parts.append(f"{report.decisions_total} decisions")
        if report.decisions_withheld:
            parts.append(f"{report.decisions_withheld} confidential (counted only)")
        return ", ".join(parts) + ".  [ ] other years"

    def _block(self, block: Block) -> list[Widget]:
        if isinstance(block, Heading):
            return [Static(safe(block.text), classes="report-heading")]
        if isinstance(block, Paragraph):
            return [Static(safe(block.text), classes="report-text")]
        if isinstance(block, Table):
            return [Static(_table(block), classes="report-text report-table")]
        if isinstance(block, BulletList):
            lines = "\n".join(f"- {p.text}" for p in block.items)
            return [Static(safe(lines), classes="report-text")]
        if isinstance(block, Banner):  # never here: the screen leaves confidential items out
            return [Static(safe(block.text), classes="report-text")]
        return []

    def _sparklines(self, report: AnnualReport) -> list[Widget]:
        if not report.meetings:
            return []
        lines = [
            (
                "attendance",
                "People attending each meeting",
                [float(m.present) for m in report.meetings],
            ),
            (
                "length",
                "Minutes each meeting lasted",
                [float(m.actual_minutes or 0) for m in report.meetings],
            ),
        ]
        if report.ratings:
            lines.append(
                ("rating", "Average rating per rated meeting", [r[1] for r in report.ratings])
            )
        out: list[Widget] = []
        for key, label, values in lines:
            text = f"{label}, from zero: {_values(values)}"
            out.append(Static(safe(text), classes="spark-label", id=f"spark-{key}-label"))
            out.append(zero_based_sparkline(values, id=f"spark-{key}"))
        return out

    # --- keys -------------------------------------------------------------------------------

    async def action_year(self, step: int) -> None:
        assert self.year is not None
        try:
            self.year = check_year(self.year + step, self._today_year())
        except ValidationError as exc:
            self.notify(str(exc).replace("--year ", "Year "), severity="warning", markup=False)
            return
        await self.load()

    def action_export(self, fmt: str) -> None:
        if self.report is not None:
            self.export_report(self.report, fmt)

    @work(thread=True, exclusive=True)
    def export_report(self, report: AnnualReport, fmt: str) -> None:
        from ...report.service import render_report
        from ...services.output import write_export

        try:
            data = render_report(report, fmt, created=fapp(self).clock())
            name = suggested_filename(report.collaborative, report.year, fmt, False)
            target = free_path(self.export_dir / name)
            write_export(target, data, force=False)
        except (FacilitateError, ImportError, OSError) as exc:
            self.app.call_from_thread(fapp(self).report, exc)
            return
        self.app.call_from_thread(
            self.notify,
            f"{FORMAT_NAMES[fmt]} report of {report.year} written to {target} "
            "(confidential items counted, not described)",
            markup=False,
        )

    def action_back(self) -> None:
        self.dismiss(None)
