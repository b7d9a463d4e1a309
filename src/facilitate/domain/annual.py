"""The year in numbers: what a task force reports to its funders and members each year.

Pure rules (pendulum only): the caller passes the meetings held in the year with their records,
the roster, the training library, every action item and "today". Confidential content is counted
but never described unless ``include_confidential``: decisions taken under a confidential item
(a case review) appear as a number, not as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import pendulum
from pendulum import Date, Timezone

from .actions import ActionItem, ActionStatus
from .matrix import membership_matrix
from .meeting import (
    AgendaItem,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingStatus,
    under_confidential,
)
from .roster import Roster, Sector
from .training import TrainingSnippet
from .trends import (
    MeetingSummary,
    report_back_day,
    summarize_meeting,
)

NO_SUBCOMMITTEE = "(no subcommittee)"


class MeetingRecords(Protocol):
    """One meeting held in the year, with what was recorded at it (storage's MeetingBundle)."""

    @property
    def meeting(self) -> Meeting: ...
    @property
    def items(self) -> Sequence[AgendaItem]: ...
    @property
    def attendance(self) -> Sequence[Attendance]: ...
    @property
    def decisions(self) -> Sequence[Decision]: ...
    @property
    def actions(self) -> Sequence[ActionItem]: ...
    @property
    def feedback(self) -> Sequence[Feedback]: ...


@dataclass(frozen=True)
class OrganizationAttendance:
    name: str
    sector: Sector
    meetings: int  # meetings of the year it was represented at
    people: int  # attendances (one per person per meeting)


@dataclass(frozen=True)
class SectorAttendance:
    sector: Sector
    meetings: int  # meetings where the sector was represented
    people: int
    member_organizations: int  # active member organizations filed under it


@dataclass(frozen=True)
class TrainingDelivered:
    day: Date
    title: str
    topic: str
    minutes: int
    attendees: int  # people attending the meeting it was delivered at


@dataclass(frozen=True)
class DecisionEntry:
    day: Date
    item: str
    text: str  # empty when withheld


@dataclass(frozen=True)
class SubcommitteeActions:
    name: str
    opened: int  # raised at a meeting of the year
    closed: int  # of those, done or dropped
    closed_on_time: int  # closed by their report-back day (or before one was set)
    overdue: int  # still open, report-back day before today
    open: int  # still open (overdue included)


@dataclass(frozen=True)
class AnnualReport:
    year: int
    collaborative: str
    today: Date
    meetings: list[MeetingSummary]  # held in the year, oldest first
    organizations: list[OrganizationAttendance]  # most often represented first
    sectors: list[SectorAttendance]  # in the order of the multi-sector response
    sectors_covered: list[Sector]  # with an active member organization
    sectors_gaps: list[Sector]  # of the response, with no member organization
    sectors_unheard: list[Sector]  # covered by a member but represented at no meeting
    trainings: list[TrainingDelivered]
    decisions: list[DecisionEntry]  # described ones
    decisions_withheld: int  # taken under confidential items, counted only
    actions: list[SubcommitteeActions]
    ratings: list[tuple[Date, float, int]]  # meeting day, average, how many
    include_confidential: bool

    @property
    def held(self) -> int:
        return len(self.meetings)

    @property
    def planned_minutes(self) -> int:
        return sum(m.planned_minutes for m in self.meetings)

    @property
    def actual_minutes(self) -> int:
        return sum(m.actual_minutes or 0 for m in self.meetings)

    @property
    def decisions_total(self) -> int:
        return len(self.decisions) + self.decisions_withheld

    @property
    def average_rating(self) -> float | None:
        count = sum(n for _, _, n in self.ratings)
        if not count:
            return None
        return sum(avg * n for _, avg, n in self.ratings) / count


@cache
def _zone(name: str) -> Timezone:
    """One zone object per name: pendulum reads the zone file again for every name it is
    given, which made a report's cost grow with the number of meetings in the workspace."""
    return pendulum.timezone(name)


def local_day(meeting: Meeting) -> Date:
    return meeting.start.in_timezone(_zone(meeting.timezone)).date()


def year_of(meeting: Meeting) -> int:
    return meeting.start.in_timezone(_zone(meeting.timezone)).year


def annual_report(
    year: int,
    held: Sequence[MeetingRecords],
    *,
    roster: Roster,
    snippets: Sequence[TrainingSnippet],
    all_meetings: Sequence[Meeting],
    all_actions: Sequence[ActionItem],
    today: Date,
    include_confidential: bool = False,
) -> AnnualReport:
    """The report for ``year``. ``held`` are the meetings that ended in that year (local time);
    ``all_meetings`` and ``all_actions`` give the report-back days of "next meeting" actions."""
    held = sorted(
        (r for r in held if r.meeting.status is MeetingStatus.ENDED and year_of(r.meeting) == year),
        key=lambda r: (r.meeting.start, r.meeting.id),
    )
    summaries = [
        summarize_meeting(r.meeting, r.items, r.attendance, r.decisions, r.actions, r.feedback)
        for r in held
    ]
    organizations, sectors = _attendance(held, roster)
    matrix = membership_matrix(roster)
    heard = {s.sector for s in sectors if s.meetings}
    decisions, withheld = _decisions(held, include_confidential)
    return AnnualReport(
        year=year,
        collaborative=roster.profile.name,
        today=today,
        meetings=summaries,
        organizations=organizations,
        sectors=sectors,
        sectors_covered=matrix.covered,
        sectors_gaps=matrix.gaps,
        sectors_unheard=[s for s in matrix.covered if s not in heard],
        trainings=_trainings(held, snippets),
        decisions=decisions,
        decisions_withheld=withheld,
        actions=_actions(held, roster, all_meetings, all_actions, today),
        ratings=[(m.day, m.rating, m.ratings) for m in summaries if m.rating is not None],
        include_confidential=include_confidential,
    )


def _attendance(
    held: Sequence[MeetingRecords], roster: Roster
) -> tuple[list[OrganizationAttendance], list[SectorAttendance]]:
    """Member organizations only: a guest's employer is not an organization represented."""
    org_meetings: dict[str, int] = {}
    org_people: dict[str, int] = {}
    sector_meetings: dict[Sector, int] = {}
    sector_people: dict[Sector, int] = {}
    for records in held:
        seen_orgs: set[str] = set()
        for a in records.attendance:
            if a.is_guest or not a.status.attending or a.organization_id is None:
                continue
            org = roster.org(a.organization_id)
            if org is None:
                continue
            org_people[org.id] = org_people.get(org.id, 0) + 1
            sector_people[org.sector] = sector_people.get(org.sector, 0) + 1
            seen_orgs.add(org.id)
        for org_id in seen_orgs:
            org_meetings[org_id] = org_meetings.get(org_id, 0) + 1
        for sector in {o.sector for o in (roster.org(i) for i in seen_orgs) if o is not None}:
            sector_meetings[sector] = sector_meetings.get(sector, 0) + 1
    organizations = [
        OrganizationAttendance(o.name, o.sector, org_meetings.get(o.id, 0), org_people.get(o.id, 0))
        for o in roster.organizations
        if o.active or o.id in org_meetings
    ]
    organizations.sort(key=lambda o: (-o.meetings, -o.people, o.name.casefold()))
    members: dict[Sector, int] = {}
    for org in roster.active_organizations():
        members[org.sector] = members.get(org.sector, 0) + 1
    sectors = [
        SectorAttendance(s, sector_meetings.get(s, 0), sector_people.get(s, 0), members.get(s, 0))
        for s in Sector
        if members.get(s) or sector_meetings.get(s)
    ]
    return organizations, sectors


def _trainings(
    held: Sequence[MeetingRecords], snippets: Sequence[TrainingSnippet]
) -> list[TrainingDelivered]:
    """Only what was marked delivered at a meeting of the year (the minutes' rule)."""
    out: list[TrainingDelivered] = []
    for records in held:
        meeting = records.meeting
        attendees = sum(1 for a in records.attendance if a.status.attending)
        day = local_day(meeting)
        for snippet in snippets:
            if snippet.delivered_at_meeting(meeting.id):
                out.append(
                    TrainingDelivered(day, snippet.title, snippet.topic, snippet.minutes, attendees)
                )
    return out


def _decisions(
    held: Sequence[MeetingRecords], include_confidential: bool
) -> tuple[list[DecisionEntry], int]:
    entries: list[DecisionEntry] = []
    withheld = 0
    for records in held:
        meeting = records.meeting
        day = local_day(meeting)
        by_id = {i.id: i for i in records.items}
        for decision in records.decisions:
            if not include_confidential and under_confidential(decision.agenda_item_id, by_id):
                withheld += 1
                continue
            item = by_id.get(decision.agenda_item_id or "")
            entries.append(DecisionEntry(day, item.title if item else "General", decision.text))
    return entries, withheld


def _actions(
    held: Sequence[MeetingRecords],
    roster: Roster,
    all_meetings: Sequence[Meeting],
    all_actions: Sequence[ActionItem],
    today: Date,
) -> list[SubcommitteeActions]:
    """Actions raised at a meeting of the year, by subcommittee (numbers only)."""
    held_ids = {r.meeting.id for r in held}
    next_days = _next_meeting_days([r.meeting for r in held], all_meetings)
    timezones = {r.meeting.id: r.meeting.timezone for r in held}
    counts: dict[str, list[int]] = {}
    for action in all_actions:
        if action.meeting_id not in held_ids:
            continue
        sub = roster.subcommittee(action.subcommittee_id) if action.subcommittee_id else None
        row = counts.setdefault(sub.name if sub else NO_SUBCOMMITTEE, [0, 0, 0, 0, 0])
        due = report_back_day(action, next_days.get(action.meeting_id))
        row[0] += 1
        if action.status is ActionStatus.OPEN:
            row[4] += 1
            if due is not None and due < today:
                row[3] += 1
            continue
        row[1] += 1
        closed = action.closed_at
        if due is None:  # "next meeting", none scheduled yet: it cannot have been late
            row[2] += 1
        elif closed is not None:
            zone = _zone(timezones.get(action.meeting_id, "UTC"))
            if closed.in_timezone(zone).date() <= due:
                row[2] += 1
    rows = [SubcommitteeActions(name, *values) for name, values in counts.items()]
    rows.sort(key=lambda r: (r.name == NO_SUBCOMMITTEE, r.name.casefold()))
    return rows


def _next_meeting_days(
    held: Sequence[Meeting], all_meetings: Sequence[Meeting]
) -> dict[str, Date | None]:
    """For each meeting held: the local day of the first meeting after it (None if none).

    Only the meetings from the year's first on are looked at, so ten years of history before
    it cost nothing (trends.next_meeting_days does the whole workspace, for the tracker)."""
    if not held:
        return {}
    first = min(m.start for m in held)
    later = sorted((m for m in all_meetings if m.start >= first), key=lambda m: (m.start, m.id))
    out: dict[str, Date | None] = {}
    for meeting in held:
        after = next((m for m in later if m.start > meeting.start), None)
        out[meeting.id] = local_day(after) if after is not None else None
    return out


def meetings_in_year(meetings: Sequence[Meeting], year: int) -> list[Meeting]:
    """Meetings held (ended) in ``year``, in each meeting's own time zone."""
    return [m for m in meetings if m.status is MeetingStatus.ENDED and year_of(m) == year]


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"
