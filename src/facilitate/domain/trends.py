"""Between meetings: what each meeting looked like, trends across meetings, and when an action
counts as overdue.

Pure rules (pendulum only): the caller passes the records it loaded and "today" (or ``now`` and a
timezone), so every rule is testable at a fixed instant.

Overdue, in one sentence: an open action is overdue when its report-back day lies before today in
the collaborative's timezone. The report-back day is the action's date, or, for "next meeting"
actions, the local day of the first meeting scheduled after the one it was raised in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pendulum import Date, DateTime

from .actions import ActionItem, ActionStatus
from .meeting import (
    AgendaItem,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingStatus,
    average_rating,
    planned_total,
)
from .roster import Organization
from .speaking import SpeakingTurn, sector_label

DRIFT_WINDOW = 6  # meetings looked at for each organization's attendance rate


# --- today, report-back days and overdue -----------------------------------------------------


def local_today(now: DateTime, timezone: str) -> Date:
    """The calendar day it is at ``now`` in ``timezone`` (the collaborative's, for overdue)."""
    return now.in_timezone(timezone).date()


def meeting_local_day(meeting: Meeting) -> Date:
    return meeting.start.in_timezone(meeting.timezone).date()


def next_meeting_days(meetings: Iterable[Meeting]) -> dict[str, Date | None]:
    """For each meeting id: the local day of the next meeting after it (None for the last one).

    Computed once for a whole workspace, so looking up "next meeting" actions stays O(1).
    """
    ordered = sorted(meetings, key=lambda m: (m.start, m.id))
    out: dict[str, Date | None] = {}
    for n, meeting in enumerate(ordered):
        later = next((m for m in ordered[n + 1 :] if m.start > meeting.start), None)
        out[meeting.id] = meeting_local_day(later) if later is not None else None
    return out


def report_back_day(action: ActionItem, next_meeting_day: Date | None) -> Date | None:
    """When the action reports back: its date, or the next meeting's day for "next meeting".

    ``next_meeting_day`` is the day of the first meeting after the one the action was raised in
    (None when none is scheduled yet: such an action has no report-back day and is never overdue).
    """
    if action.due is not None:
        return action.due
    if action.due_next_meeting:
        return next_meeting_day
    return None


def is_overdue(action: ActionItem, today: Date, report_back: Date | None) -> bool:
    """Open, with a report-back day before ``today`` (a day due today is not overdue yet)."""
    return action.status is ActionStatus.OPEN and report_back is not None and report_back < today


def days_overdue(today: Date, report_back: Date | None) -> int:
    if report_back is None or report_back >= today:
        return 0
    return (today - report_back).in_days()


# --- one meeting at a glance ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingSummary:
    """The numbers a history table and the trends need for one meeting."""

    meeting_id: str
    title: str
    day: Date  # local day of the scheduled start
    status: MeetingStatus
    planned_minutes: int  # the scheduled slot
    agenda_minutes: int  # planned agenda total (deferred items left out)
    actual_minutes: int | None  # as held (None until it has been held)
    present: int  # people attending, guests included
    guests: int
    organization_ids: frozenset[str]  # member organizations represented
    decisions: int
    actions: int
    open_actions: int
    rating: float | None  # average feedback rating
    ratings: int  # how many ratings were given
    # Seconds on the floor per sector (stored sector values) in the speakers' queue and
    # rounds; empty when nobody had a timed turn.
    airtime: tuple[tuple[str, float], ...] = ()

    @property
    def held(self) -> bool:
        return self.status is MeetingStatus.ENDED

    @property
    def organizations(self) -> int:
        return len(self.organization_ids)

    @property
    def over_minutes(self) -> int | None:
        """Minutes longer (+) or shorter (-) than the scheduled slot."""
        if self.actual_minutes is None:
            return None
        return self.actual_minutes - self.planned_minutes

    def length_label(self) -> str:
        """``127/120 min (+7)`` as held, or the plan alone before the meeting."""
        if self.actual_minutes is None:
            return f"{self.planned_minutes} min planned"
        over = self.over_minutes or 0
        sign = f"+{over}" if over > 0 else str(over) if over < 0 else "on time"
        return f"{self.actual_minutes}/{self.planned_minutes} min ({sign})"


def actual_minutes(meeting: Meeting, items: Sequence[AgendaItem]) -> int | None:
    """Length of a held meeting: from its start to its end, else the time its items ran."""
    if meeting.started_at is not None and meeting.ended_at is not None:
        seconds = (meeting.ended_at - meeting.started_at).total_seconds()
        return max(0, round(seconds / 60))
    if meeting.status is not MeetingStatus.ENDED:
        return None
    spans = [s for i in items for s in i.spans if s.end is not None]
    if not spans:
        return None
    return max(0, round(sum((s.end - s.start).total_seconds() for s in spans if s.end) / 60))


def summarize_meeting(
    meeting: Meeting,
    items: Sequence[AgendaItem],
    attendance: Sequence[Attendance],
    decisions: Sequence[Decision],
    actions: Sequence[ActionItem],
    feedback: Sequence[Feedback],
    turns: Sequence[SpeakingTurn] = (),
) -> MeetingSummary:
    attending = [a for a in attendance if a.status.attending]
    ratings = [f for f in feedback if f.rating is not None]
    return MeetingSummary(
        meeting_id=meeting.id,
        title=meeting.title,
        day=meeting_local_day(meeting),
        status=meeting.status,
        planned_minutes=meeting.slot_minutes,
        agenda_minutes=planned_total(list(items)),
        actual_minutes=actual_minutes(meeting, items),
        present=len(attending),
        guests=sum(1 for a in attending if a.is_guest),
        organization_ids=frozenset(
            a.organization_id for a in attending if a.organization_id is not None
        ),
        decisions=len(decisions),
        actions=len(actions),
        open_actions=sum(1 for a in actions if a.status is ActionStatus.OPEN),
        rating=average_rating(list(feedback)),
        ratings=len(ratings),
        airtime=spoken_by_sector(turns),
    )


def spoken_by_sector(turns: Iterable[SpeakingTurn]) -> tuple[tuple[str, float], ...]:
    """Seconds spoken per sector in closed spans (a turn still running counts from when it
    ends: trends look at meetings held)."""
    out: dict[str, float] = {}
    for turn in turns:
        seconds = sum((s.end - s.start).total_seconds() for s in turn.spans if s.end is not None)
        if seconds > 0:
            out[turn.sector] = out.get(turn.sector, 0.0) + seconds
    return tuple(out.items())


# --- trends across meetings ----------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: Date
    value: float


@dataclass(frozen=True)
class Series:
    """One value per held meeting, oldest first (meetings without a value are left out)."""

    points: tuple[Point, ...]

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def last(self) -> float | None:
        return self.points[-1].value if self.points else None

    @property
    def average(self) -> float | None:
        if not self.points:
            return None
        return round(sum(self.values) / len(self.points), 2)

    @property
    def change(self) -> float | None:
        """Last value minus the one before it (None with fewer than two)."""
        if len(self.points) < 2:
            return None
        return round(self.points[-1].value - self.points[-2].value, 2)


def _series(summaries: Iterable[MeetingSummary], value: str) -> Series:
    points = []
    for s in summaries:
        if not s.held:
            continue
        v = getattr(s, value)
        if v is not None:
            points.append(Point(s.day, float(v)))
    return Series(tuple(points))


def attendance_series(summaries: Iterable[MeetingSummary]) -> Series:
    return _series(summaries, "present")


def organizations_series(summaries: Iterable[MeetingSummary]) -> Series:
    return _series(summaries, "organizations")


def rating_series(summaries: Iterable[MeetingSummary]) -> Series:
    """Average feedback rating per held meeting that collected ratings."""
    return _series(summaries, "rating")


def overrun_series(summaries: Iterable[MeetingSummary]) -> Series:
    """Actual minus planned minutes per held meeting (positive: ran long)."""
    return _series(summaries, "over_minutes")


@dataclass(frozen=True)
class LengthPoint:
    day: Date
    planned: int
    actual: int


def length_points(summaries: Iterable[MeetingSummary]) -> list[LengthPoint]:
    return [
        LengthPoint(s.day, s.planned_minutes, s.actual_minutes)
        for s in summaries
        if s.held and s.actual_minutes is not None
    ]


@dataclass(frozen=True)
class OrganizationTrend:
    """One organization's attendance over the last meetings (oldest first)."""

    organization_id: str
    name: str
    attended: tuple[bool, ...]

    @property
    def meetings(self) -> int:
        return len(self.attended)

    @property
    def count(self) -> int:
        return sum(self.attended)

    @property
    def rate(self) -> float:
        return self.count / self.meetings if self.attended else 0.0

    @property
    def drifting(self) -> bool:
        return is_drifting(self.attended)

    @property
    def absent(self) -> bool:
        return bool(self.attended) and not any(self.attended)

    @property
    def flag(self) -> str:
        if self.drifting:
            return "drifting away"
        if self.absent:
            return "not attending"
        return ""


def is_drifting(attended: Sequence[bool]) -> bool:
    """Came earlier in the window, but at most half the time in its recent half.

    The window is split in two (the older half gets the extra meeting when it is odd). An
    organization drifts away when it attended in the older half, attends less in the recent
    half, and came to no more than half of the recent meetings. One missed meeting among
    regular attendance is not drifting; an organization that only started coming is not either.
    """
    n = len(attended)
    if n < 2:
        return False
    recent_len = n // 2
    earlier, recent = attended[: n - recent_len], attended[n - recent_len :]
    earlier_rate = sum(earlier) / len(earlier)
    recent_rate = sum(recent) / len(recent)
    return earlier_rate > 0 and recent_rate < earlier_rate and recent_rate <= 0.5


def organization_attendance(
    summaries: Sequence[MeetingSummary],
    organizations: Iterable[Organization],
    window: int = DRIFT_WINDOW,
) -> list[OrganizationTrend]:
    """Each active organization's attendance at the last ``window`` held meetings.

    Drifting organizations first, then those not attending, then by rate (lowest first), name.
    """
    held = [s for s in summaries if s.held][-window:] if window > 0 else []
    trends = [
        OrganizationTrend(
            organization_id=o.id,
            name=o.name,
            attended=tuple(o.id in s.organization_ids for s in held),
        )
        for o in organizations
        if o.active
    ]
    trends.sort(key=lambda t: (not t.drifting, not t.absent, t.rate, t.name.lower()))
    return trends


@dataclass(frozen=True)
class SectorAirtime:
    """One sector's share of the time spoken across the held meetings that used the speakers'
    queue, beside how often it was in the room at those meetings."""

    sector: str  # the stored value (a Sector, or "guest" / "subcommittee")
    seconds: float
    share: float  # 0..1 of all time spoken at those meetings
    heard: int  # meetings at which it spoke
    present: int  # meetings at which a member organization of it attended
    meetings: int  # held meetings with timed turns
    last_share: float | None  # share at the latest of them (None: not there)

    @property
    def label(self) -> str:
        return sector_label(self.sector)


def airtime_by_sector(
    summaries: Sequence[MeetingSummary], organizations: Iterable[Organization]
) -> list[SectorAirtime]:
    """Share of airtime by sector across held meetings with timed turns, largest first; sectors
    present at those meetings but never heard are listed too (share 0), so silence shows."""
    held = [s for s in summaries if s.held and s.airtime]
    if not held:
        return []
    sector_of = {o.id: o.sector.value for o in organizations}
    seconds: dict[str, float] = {}
    heard: dict[str, int] = {}
    present: dict[str, int] = {}
    for s in held:
        for sector, spoken in s.airtime:
            seconds[sector] = seconds.get(sector, 0.0) + spoken
            heard[sector] = heard.get(sector, 0) + 1
        for sector in {sector_of[o] for o in s.organization_ids if o in sector_of}:
            present[sector] = present.get(sector, 0) + 1
            seconds.setdefault(sector, 0.0)
    total = sum(seconds.values())
    last = held[-1]
    last_total = sum(v for _k, v in last.airtime)
    last_by = dict(last.airtime)
    last_present = {sector_of[o] for o in last.organization_ids if o in sector_of}
    out = [
        SectorAirtime(
            sector=sector,
            seconds=value,
            share=value / total if total else 0.0,
            heard=heard.get(sector, 0),
            present=present.get(sector, 0),
            meetings=len(held),
            last_share=(
                last_by.get(sector, 0.0) / last_total
                if sector in last_by or sector in last_present
                else None
            ),
        )
        for sector, value in seconds.items()
    ]
    out.sort(key=lambda a: (-a.seconds, a.label.lower()))
    return out


@dataclass(frozen=True)
class Trends:
    attendance: Series
    organizations: Series
    rating: Series
    overrun: Series
    lengths: list[LengthPoint]
    by_organization: list[OrganizationTrend]
    window: int
    airtime: list[SectorAirtime] = field(default_factory=list)

    @property
    def drifting(self) -> list[OrganizationTrend]:
        return [t for t in self.by_organization if t.drifting]


def compute_trends(
    summaries: Sequence[MeetingSummary],
    organizations: Iterable[Organization],
    window: int = DRIFT_WINDOW,
) -> Trends:
    ordered = sorted(summaries, key=lambda s: (s.day, s.meeting_id))
    organizations = list(organizations)
    return Trends(
        attendance=attendance_series(ordered),
        organizations=organizations_series(ordered),
        rating=rating_series(ordered),
        overrun=overrun_series(ordered),
        lengths=length_points(ordered),
        by_organization=organization_attendance(ordered, organizations, window),
        window=min(window, sum(1 for s in ordered if s.held)),
        airtime=airtime_by_sector(ordered, organizations),
    )


def bar(fraction: float, width: int) -> str:
    """A text bar (``█████░░░░░``) for ``fraction`` of ``width`` cells; 0..1, clamped."""
    width = max(0, width)
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)
