"""Build and render the annual report from a workspace (no Textual: the CLI and the app use it)."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
from pendulum import DateTime

from ..domain.annual import AnnualReport, annual_report, meetings_in_year
from ..domain.common import ValidationError
from ..domain.training import TrainingSnippet
from ..domain.trends import local_today
from ..storage.workspace import Transaction

FORMATS = ("md", "html", "docx")
FIRST_YEAR = 1970

Progress = Callable[[int, int], None]  # (meetings read, meetings to read)


def check_year(year: int, today_year: int) -> int:
    if not FIRST_YEAR <= year <= today_year + 1:
        raise ValidationError(
            f"--year {year} is out of range: give a year from {FIRST_YEAR} to {today_year + 1}."
        )
    return year


def build_report(
    tx: Transaction,
    year: int,
    *,
    include_confidential: bool = False,
    now: DateTime | None = None,
    progress: Progress | None = None,
) -> AnnualReport:
    """The report of ``year``: reads only the meetings held in it (plus the meeting list, the
    roster, the training library and the action items, for report-back days)."""
    roster = tx.roster()
    today = local_today(now or pendulum.now("UTC"), roster.profile.timezone)
    meetings = tx.meetings()
    held = meetings_in_year(meetings, year)
    bundles = []
    for n, meeting in enumerate(held, start=1):
        bundles.append(tx.bundle(meeting.id))
        if progress is not None:
            progress(n, len(held))
    return annual_report(
        year,
        bundles,
        roster=roster,
        snippets=tx.all(TrainingSnippet),
        all_meetings=meetings,
        all_actions=[a for b in bundles for a in b.actions],
        today=today,
        include_confidential=include_confidential,
    )


def render_report(report: AnnualReport, fmt: str, *, created: DateTime | None = None) -> bytes:
    from ..minutes.blocks import to_html, to_markdown
    from .document import report_document

    if fmt not in FORMATS:
        raise ValidationError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt == "md":
        return to_markdown(report_document(report, charts=False)).encode("utf-8")
    if fmt == "html":
        return to_html(report_document(report, picture="svg")).encode("utf-8")
    doc = report_document(report, picture="png")
    from ..minutes.docx import to_docx

    return to_docx(doc, created=created)


def suggested_filename(collaborative: str, year: int, fmt: str, confidential: bool) -> str:
    from ..minutes.export import slug

    tail = "-confidential" if confidential else ""
    return f"{slug(collaborative) or 'facilitate'}-report-{year}{tail}.{fmt}"
