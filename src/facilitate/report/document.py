"""The annual report as an export document: headings, tables and charts (see minutes.blocks)."""

from __future__ import annotations

from ..domain.annual import AnnualReport, share
from ..domain.common import counted
from ..minutes.blocks import (
    Banner,
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
)
from .charts import BLUE, GREEN, GREY, ORANGE, RED, Bars, Chart, bar_chart

BANNER = "MEMBERS ONLY: this report describes confidential items. Do not circulate."


def _figure(chart: Chart, table: Table) -> Figure:
    return Figure(chart.title, chart.description, chart.svg, chart.png, table)


def _day(report: AnnualReport, n: int) -> str:
    return report.meetings[n].day.format("D MMM")


def report_document(
    report: AnnualReport, *, charts: bool = True, picture: str = "both"
) -> Document:
    """``charts=False`` leaves the pictures out (their values stay, as tables); ``picture``
    says which the charts are drawn as: "svg" (HTML), "png" (Word) or "both"."""
    shown = picture if charts else None
    blocks: list[Block] = [Heading(f"{report.collaborative}: the year {report.year}", 1)]
    if report.include_confidential:
        blocks.append(Banner(BANNER))
    blocks.append(
        Paragraph.of(
            f"Made on {report.today.format('D MMMM YYYY')}. "
            + (
                "Confidential items are described."
                if report.include_confidential
                else "Confidential items are counted but not described."
            )
        )
    )
    blocks += _meetings(report, shown)
    blocks += _attendance(report, shown)
    blocks += _trainings(report)
    blocks += _decisions(report)
    blocks += _actions(report, shown)
    blocks += _feedback(report, shown)
    return Document(
        title=f"{report.collaborative}: annual report {report.year}",
        blocks=tuple(blocks),
        confidential=report.include_confidential,
        banner=BANNER if report.include_confidential else "",
    )


def _meetings(report: AnnualReport, picture: str | None) -> list[Block]:
    out: list[Block] = [Heading("Meetings held", 2)]
    if not report.meetings:
        return [*out, Paragraph.of(f"No meeting was held in {report.year}.")]
    over = report.actual_minutes - report.planned_minutes
    out.append(
        Paragraph.of(
            Run(counted(report.held, "meeting"), bold=True),
            f" held, {report.actual_minutes} minutes in all against {report.planned_minutes}"
            f" planned ({'+' if over > 0 else ''}{over}).",
        )
    )
    rows = tuple(
        (
            m.day.format("YYYY-MM-DD"),
            m.title,
            str(m.planned_minutes),
            "-" if m.actual_minutes is None else str(m.actual_minutes),
            str(m.present),
            str(m.organizations),
        )
        for m in report.meetings
    )
    table = Table(
        ("Date", "Meeting", "Planned min", "Actual min", "Attending", "Organizations"),
        rows,
        numeric=frozenset({2, 3, 4, 5}),
    )
    if picture is None:
        return [*out, table]
    days = [_day(report, n) for n in range(report.held)]
    attendance = bar_chart(
        "attendance",
        "People attending each meeting",
        f"Bars from zero: people attending each of the {report.held} meetings of "
        f"{report.year}, from {min(m.present for m in report.meetings)} to "
        f"{max(m.present for m in report.meetings)}.",
        days,
        [Bars("Attending", [m.present for m in report.meetings], BLUE)],
        unit="people",
        picture=picture,
    )
    length = bar_chart(
        "length",
        "Meeting length: planned and actual",
        f"Pairs of bars per meeting: the planned and the actual length in minutes; "
        f"{report.actual_minutes} minutes held against {report.planned_minutes} planned.",
        days,
        [
            Bars("Planned", [m.planned_minutes for m in report.meetings], GREY),
            Bars("Actual", [m.actual_minutes or 0 for m in report.meetings], BLUE),
        ],
        unit="minutes",
        picture=picture,
    )
    return [*out, _figure(attendance, table), _figure(length, _length_table(report))]


def _length_table(report: AnnualReport) -> Table:
    return Table(
        ("Date", "Planned min", "Actual min"),
        tuple(
            (
                m.day.format("YYYY-MM-DD"),
                str(m.planned_minutes),
                "-" if m.actual_minutes is None else str(m.actual_minutes),
            )
            for m in report.meetings
        ),
        numeric=frozenset({1, 2}),
    )


def _attendance(report: AnnualReport, picture: str | None) -> list[Block]:
    out: list[Block] = [Heading("Attendance by organization", 2)]
    held = report.held
    org_table = Table(
        ("Organization", "Sector", "Meetings", "Share", "Attendances"),
        tuple(
            (o.name, o.sector.label, str(o.meetings), share(o.meetings, held), str(o.people))
            for o in report.organizations
        ),
        numeric=frozenset({2, 3, 4}),
    )
    out.append(org_table)
    out.append(Heading("Attendance by sector", 2))
    sector_table = Table(
        ("Sector", "Member organizations", "Meetings represented", "Share", "Attendances"),
        tuple(
            (
                s.sector.label,
                str(s.member_organizations),
                str(s.meetings),
                share(s.meetings, held),
                str(s.people),
            )
            for s in report.sectors
        ),
        numeric=frozenset({1, 2, 3, 4}),
    )
    if picture is not None and report.sectors and held:
        chart = bar_chart(
            "sectors",
            "Meetings each sector was represented at",
            f"Horizontal bars from zero to {held} (the meetings held): for each sector with a "
            "member organization, how many meetings it was represented at.",
            [s.sector.label for s in report.sectors],
            [Bars("Meetings", [s.meetings for s in report.sectors], GREEN)],
            horizontal=True,
            unit="meetings",
            picture=picture,
            limit=float(held) * 1.15,
        )
        out.append(_figure(chart, sector_table))
    else:
        out.append(sector_table)
    out.append(Heading("Sector coverage", 2))
    covered = len(report.sectors_covered)
    total = covered + len(report.sectors_gaps)
    out.append(
        Paragraph.field(
            "Sectors with a member organization", f"{covered} of {total} in the membership matrix"
        )
    )
    if report.sectors_gaps:
        out.append(Paragraph.field("No member organization", ""))
        out.append(BulletList(tuple(Paragraph.of(s.label) for s in report.sectors_gaps)))
    if report.sectors_unheard:
        out.append(Paragraph.field("A member, but represented at no meeting", ""))
        out.append(BulletList(tuple(Paragraph.of(s.label) for s in report.sectors_unheard)))
    return out


def _trainings(report: AnnualReport) -> list[Block]:
    out: list[Block] = [Heading("Trainings delivered", 2)]
    if not report.trainings:
        return [*out, Paragraph.of("No training was marked delivered this year.")]
    minutes = sum(t.minutes for t in report.trainings)
    out.append(Paragraph.of(f"{counted(len(report.trainings), 'training')}, {minutes} minutes."))
    out.append(
        Table(
            ("Date", "Training", "Topic", "Minutes", "Attendees"),
            tuple(
                (
                    t.day.format("YYYY-MM-DD"),
                    t.title,
                    t.topic or "-",
                    str(t.minutes),
                    str(t.attendees),
                )
                for t in report.trainings
            ),
            numeric=frozenset({3, 4}),
        )
    )
    return out


def _decisions(report: AnnualReport) -> list[Block]:
    out: list[Block] = [Heading("Decisions", 2)]
    total = report.decisions_total
    text = f"{counted(total, 'decision')} taken."
    if report.decisions_withheld:
        text += (
            f" {counted(report.decisions_withheld, 'decision')} under confidential items"
            " (counted, not described)."
        )
    out.append(Paragraph.of(text))
    if report.decisions:
        out.append(
            Table(
                ("Date", "Item", "Decision"),
                tuple((d.day.format("YYYY-MM-DD"), d.item, d.text) for d in report.decisions),
            )
        )
    return out


def _actions(report: AnnualReport, picture: str | None) -> list[Block]:
    out: list[Block] = [Heading("Action items by subcommittee", 2)]
    if not report.actions:
        return [*out, Paragraph.of("No action item was raised this year.")]
    opened = sum(r.opened for r in report.actions)
    on_time = sum(r.closed_on_time for r in report.actions)
    closed = sum(r.closed for r in report.actions)
    out.append(
        Paragraph.of(
            f"{counted(opened, 'action item')} raised at this year's meetings: {closed} closed "
            f"({on_time} on time), {sum(r.open for r in report.actions)} open, "
            f"{sum(r.overdue for r in report.actions)} overdue on "
            f"{report.today.format('D MMMM YYYY')}."
        )
    )
    table = Table(
        ("Subcommittee", "Opened", "Closed", "On time", "Open", "Overdue"),
        tuple(
            (
                r.name,
                str(r.opened),
                str(r.closed),
                str(r.closed_on_time),
                str(r.open),
                str(r.overdue),
            )
            for r in report.actions
        ),
        numeric=frozenset({1, 2, 3, 4, 5}),
    )
    if picture is None:
        return [*out, table]
    rows = report.actions
    chart = bar_chart(
        "actions",
        "Action items by subcommittee",
        "Stacked horizontal bars from zero, one per subcommittee: closed on time, closed "
        "late, open and not yet due, and overdue.",
        [r.name for r in rows],
        [
            Bars("Closed on time", [r.closed_on_time for r in rows], GREEN),
            Bars("Closed late", [r.closed - r.closed_on_time for r in rows], BLUE),
            Bars("Open", [r.open - r.overdue for r in rows], ORANGE),
            Bars("Overdue", [r.overdue for r in rows], RED),
        ],
        horizontal=True,
        stacked=True,
        unit="action items",
        picture=picture,
    )
    return [*out, _figure(chart, table)]


def _feedback(report: AnnualReport, picture: str | None) -> list[Block]:
    out: list[Block] = [Heading("Feedback", 2)]
    average = report.average_rating
    if average is None:
        return [*out, Paragraph.of("No rating was given this year.")]
    count = sum(n for _, _, n in report.ratings)
    out.append(Paragraph.of(f"Average rating {average:.1f} of 5, from {counted(count, 'rating')}."))
    table = Table(
        ("Date", "Average", "Ratings"),
        tuple((day.format("YYYY-MM-DD"), f"{avg:.1f}", str(n)) for day, avg, n in report.ratings),
        numeric=frozenset({1, 2}),
    )
    if picture is None:
        return [*out, table]
    chart = bar_chart(
        "ratings",
        "Average feedback rating per meeting",
        "Bars from zero to five: the average rating given at each meeting that was rated.",
        [day.format("D MMM") for day, _, _ in report.ratings],
        [Bars("Average rating", [avg for _, avg, _ in report.ratings], BLUE)],
        unit="rating (1-5)",
        picture=picture,
        limit=5.5,
    )
    return [*out, _figure(chart, table)]
