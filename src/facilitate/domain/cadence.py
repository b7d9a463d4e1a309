"""When the next meeting falls, and which actions are due for report-back at a meeting.

Pure rules (pendulum only). Every step is taken in the collaborative's local time, so a meeting
at 10:00 stays at 10:00 on the wall clock across daylight-saving changes, and the UTC instant
moves instead.

Monthly series follow the pattern of the previous meetings:

- "the second Thursday" when the last two meetings fell on the same weekday and week of their
  month (or both on the last such weekday of the month);
- otherwise the same day of the month, clamped to short months (Jan 31 -> Feb 28) and restored
  afterwards (Feb 28 -> Mar 31 when the series started on the 31st).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pendulum
from pendulum import Date, DateTime

from .actions import ActionItem, ActionStatus
from .meeting import Meeting, MeetingStatus
from .roster import Cadence, CadenceUnit
from .standing import StandingRule

DEFAULT_START_HOUR = 10
DEFAULT_MINUTES = 120

_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class RuleKind(StrEnum):
    DAY_OF_MONTH = "day_of_month"
    NTH_WEEKDAY = "nth_weekday"
    EVERY_N_WEEKS = "every_n_weeks"


@dataclass(frozen=True)
class SeriesRule:
    """How a series of meetings falls on the calendar."""

    kind: RuleKind
    day: int = 1  # DAY_OF_MONTH: the anchor day (1-31), clamped to short months
    weekday: int = 0  # NTH_WEEKDAY: 0 = Monday ... 6 = Sunday
    ordinal: int = 1  # NTH_WEEKDAY: 1-4, or -1 for the last one of the month

    def describe(self) -> str:
        if self.kind is RuleKind.NTH_WEEKDAY:
            return f"the {_ORDINALS[self.ordinal]} {_WEEKDAYS[self.weekday]} of the month"
        if self.kind is RuleKind.DAY_OF_MONTH:
            return f"day {self.day} of the month" + (
                " (or the month's last day)" if self.day > 28 else ""
            )
        return "the same weekday"


def _days_in_month(year: int, month: int) -> int:
    return pendulum.date(year, month, 1).days_in_month


def _ordinal(day: Date) -> int:
    return (day.day - 1) // 7 + 1


def _is_last_weekday(day: Date) -> bool:
    return day.day + 7 > day.days_in_month


def _month_gap(a: Date, b: Date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def infer_monthly_rule(local_days: Sequence[Date], every: int = 1) -> SeriesRule:
    """The calendar pattern of a monthly series, from its meeting days (oldest first).

    Needs the last two meetings ``every`` months apart to recognise a weekday pattern; with a
    single meeting (or an irregular gap) the series keeps the last meeting's day of the month.
    """
    if not local_days:
        raise ValueError("infer_monthly_rule needs at least one meeting day")
    last = local_days[-1]
    if len(local_days) >= 2:
        prev = local_days[-2]
        # Same day of the month, or a month end clamped from a later day (Jan 31 -> Feb 28):
        # a day-of-month series, whatever the weekdays happen to be.
        clamped = last.day == last.days_in_month and prev.day > last.day
        same_day = prev.day == last.day or clamped
        if (
            not same_day
            and _month_gap(prev, last) == every
            and prev.day_of_week == last.day_of_week
        ):
            if (
                _is_last_weekday(prev)
                and _is_last_weekday(last)
                and (_ordinal(prev) != _ordinal(last) or _ordinal(last) > 4)
            ):
                return SeriesRule(RuleKind.NTH_WEEKDAY, weekday=int(last.day_of_week), ordinal=-1)
            if _ordinal(prev) == _ordinal(last) and _ordinal(last) <= 4 and prev.day != last.day:
                return SeriesRule(
                    RuleKind.NTH_WEEKDAY, weekday=int(last.day_of_week), ordinal=_ordinal(last)
                )
    anchor = last.day
    if last.day == last.days_in_month:
        # A clamped month end (Feb 28 after Jan 31): go back to the series' own day.
        for earlier in reversed(local_days[:-1]):
            if earlier.day > anchor:
                anchor = earlier.day
            if earlier.day != earlier.days_in_month:
                break
    return SeriesRule(RuleKind.DAY_OF_MONTH, day=anchor)


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> Date:
    """The ``ordinal``-th ``weekday`` (0 = Monday) of a month; ordinal -1 is the last one."""
    if ordinal == -1:
        last = pendulum.date(year, month, _days_in_month(year, month))
        return last.subtract(days=(int(last.day_of_week) - weekday) % 7)
    first = pendulum.date(year, month, 1)
    offset = (weekday - int(first.day_of_week)) % 7
    return first.add(days=offset + 7 * (ordinal - 1))


def step_day(last: Date, cadence: Cadence, rule: SeriesRule | None = None) -> Date:
    """The day one cadence step after ``last`` (a local date), following ``rule`` if given."""
    if cadence.unit is CadenceUnit.WEEKS:
        return last.add(weeks=cadence.every)
    target = pendulum.date(last.year, last.month, 1).add(months=cadence.every)
    if rule is not None and rule.kind is RuleKind.NTH_WEEKDAY:
        return nth_weekday(target.year, target.month, rule.weekday, rule.ordinal)
    day = rule.day if rule is not None and rule.kind is RuleKind.DAY_OF_MONTH else last.day
    return pendulum.date(target.year, target.month, min(day, target.days_in_month))


@dataclass(frozen=True)
class Slot:
    """A local time slot: start time of day and length."""

    hour: int = DEFAULT_START_HOUR
    minute: int = 0
    minutes: int = DEFAULT_MINUTES


def slot_of(meeting: Meeting, timezone: str) -> Slot:
    local = meeting.start.in_timezone(timezone)
    return Slot(local.hour, local.minute, meeting.slot_minutes)


def usual_slot(previous: Sequence[Meeting], timezone: str, standing: StandingRule | None) -> Slot:
    """The standing time of day and length: the rule's when it states them, else the most
    common among the last five meetings (ties: the latest), so one meeting moved to 01:05
    does not move the next one there."""
    recent = sorted(previous, key=lambda m: m.start)[-5:]
    seen = [slot_of(m, timezone) for m in recent]
    usual = max(reversed(seen), key=seen.count) if seen else Slot()
    if standing is None or standing.start is None:
        return usual
    return Slot(standing.start[0], standing.start[1], standing.minutes or usual.minutes)


def local_instant(day: Date, hour: int, minute: int, timezone: str) -> DateTime:
    """Wall-clock ``hour:minute`` on ``day`` in ``timezone``, as UTC.

    A time that does not exist on that day (the spring-forward gap) moves forward by the gap,
    as clocks do; an ambiguous time (the autumn fold) takes the first occurrence.
    """
    first = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=timezone, fold=0)
    if (first.hour, first.minute) == (hour, minute):
        return first.in_timezone("UTC")
    later = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=timezone, fold=1)
    return later.in_timezone("UTC")


@dataclass(frozen=True)
class NextMeeting:
    start: DateTime  # UTC
    end: DateTime  # UTC
    rule: SeriesRule | None
    explanation: str


def next_meeting_slot(
    previous: Sequence[Meeting],
    cadence: Cadence,
    timezone: str,
    *,
    on_date: Date | None = None,
    slot: Slot | None = None,
    today: Date | None = None,
    standing: StandingRule | None = None,
) -> NextMeeting:
    """Start and end of the next meeting, one cadence step after the last of ``previous``.

    ``previous`` are the earlier meetings (any order). The time slot is the last meeting's
    local start time and length unless ``slot`` is given. ``on_date`` overrides the day.
    Without earlier meetings and without ``on_date`` the meeting goes one step after ``today``.
    """
    ordered = sorted(previous, key=lambda m: m.start)
    last = ordered[-1] if ordered else None
    use_slot = slot or usual_slot(ordered, timezone, standing)
    rule: SeriesRule | None = None
    if on_date is not None:
        day = on_date
        why = f"on {day.format('dddd D MMMM YYYY')} as asked"
    elif standing is not None:
        days = [m.start.in_timezone(timezone).date() for m in ordered]
        after = days[-1] if days else today
        if today is not None and after is not None and after < today:
            after = today.subtract(days=1)  # never a day already past
        if after is None:
            raise ValueError("next_meeting_slot needs on_date or today without earlier meetings")
        on_weekday = [d for d in days if int(d.day_of_week) == standing.weekday]
        day = standing.next_day(after, on_weekday[-1] if on_weekday else None)
        why = f"the standing slot: {standing.describe()}"
    elif last is None:
        if today is None:
            raise ValueError("next_meeting_slot needs on_date or today without earlier meetings")
        day = step_day(today, cadence)
        why = f"one {_step_name(cadence)} from today (no earlier meeting)"
    else:
        days = [m.start.in_timezone(timezone).date() for m in ordered]
        if cadence.unit is CadenceUnit.MONTHS:
            rule = infer_monthly_rule(days, cadence.every)
        day = step_day(days[-1], cadence, rule)
        why = f"{cadence.describe()} after {days[-1].format('D MMMM YYYY')}" + (
            f", on {rule.describe()}" if rule is not None else ""
        )
    start = local_instant(day, use_slot.hour, use_slot.minute, timezone)
    return NextMeeting(
        start=start, end=start.add(minutes=use_slot.minutes), rule=rule, explanation=why
    )


def _step_name(cadence: Cadence) -> str:
    unit = "week" if cadence.unit is CadenceUnit.WEEKS else "month"
    return unit if cadence.every == 1 else f"{cadence.every} {unit}s"


# --- report-backs due ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueAction:
    action: ActionItem
    raised_in: Meeting
    overdue: bool


def meeting_day(meeting: Meeting) -> Date:
    """The calendar day of a meeting in its own timezone."""
    return meeting.start.in_timezone(meeting.timezone).date()


def actions_due_at(
    actions: Sequence[ActionItem], meetings: Sequence[Meeting], meeting: Meeting
) -> list[DueAction]:
    """Open actions from earlier meetings that report back at ``meeting``.

    Due: a report-back date on or before the meeting's local day, or "next meeting". Overdue:
    a date before the meeting's day, or a "next meeting" action that already skipped a meeting
    that was held in between. Actions raised at this meeting or later ones are not included.
    """
    by_id = {m.id: m for m in meetings}
    day = meeting_day(meeting)
    held = sorted(
        (m for m in meetings if m.status is not MeetingStatus.PLANNED and m.start < meeting.start),
        key=lambda m: m.start,
    )
    out: list[DueAction] = []
    for action in actions:
        raised = by_id.get(action.meeting_id)
        if raised is None or raised.start >= meeting.start or raised.id == meeting.id:
            continue
        if not action.is_due_by(day):
            continue
        if action.due_next_meeting:
            overdue = any(raised.start < m.start < meeting.start for m in held)
        else:
            overdue = action.is_overdue(day)
        out.append(DueAction(action=action, raised_in=raised, overdue=overdue))
    out.sort(key=lambda d: (d.action.due or day, d.raised_in.start, d.action.id))
    return out


def reported_at(
    actions: Sequence[ActionItem], meetings: Sequence[Meeting], meeting: Meeting
) -> list[tuple[ActionItem, Meeting]]:
    """Actions from earlier meetings whose report-back fell due at ``meeting`` and that were
    closed or have report-back text: what the minutes list as "report-backs received".

    Due at this meeting: "next meeting" actions raised at the meeting just before it, or dated
    actions due after the previous meeting's day and on or before this one's.
    """
    by_id = {m.id: m for m in meetings}
    earlier = sorted((m for m in meetings if m.start < meeting.start), key=lambda m: m.start)
    previous = earlier[-1] if earlier else None
    prev_day = meeting_day(previous) if previous is not None else None
    day = meeting_day(meeting)
    out: list[tuple[ActionItem, Meeting]] = []
    for action in actions:
        raised = by_id.get(action.meeting_id)
        if raised is None or raised.start >= meeting.start:
            continue
        if action.status is ActionStatus.OPEN and not action.report_back.strip():
            continue
        if action.due_next_meeting:
            due_here = previous is not None and raised.id == previous.id
        else:
            due_here = (
                action.due is not None
                and action.due <= day
                and (prev_day is None or action.due > prev_day)
            )
        if due_here:
            out.append((action, raised))
    out.sort(key=lambda pair: (pair[1].start, pair[0].due or day, pair[0].id))
    return out
