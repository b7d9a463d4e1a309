"""domain/cadence.py: the next meeting's date and time, and report-backs due."""

from __future__ import annotations

import pendulum
import pytest
from pendulum import Date

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.cadence import (
    RuleKind,
    SeriesRule,
    Slot,
    actions_due_at,
    infer_monthly_rule,
    local_instant,
    next_meeting_slot,
    nth_weekday,
    reported_at,
    step_day,
)
from facilitate.domain.meeting import Meeting, MeetingStatus
from facilitate.domain.roster import Cadence, CadenceUnit

NY = "America/New_York"
MONTHLY = Cadence(every=1, unit=CadenceUnit.MONTHS)
WEEKLY = Cadence(every=1, unit=CadenceUnit.WEEKS)


def meeting(
    y: int,
    m: int,
    d: int,
    h: int = 10,
    mi: int = 0,
    *,
    tz: str = NY,
    minutes: int = 120,
    mid: str | None = None,
    status: MeetingStatus = MeetingStatus.ENDED,
) -> Meeting:
    start = pendulum.datetime(y, m, d, h, mi, tz=tz).in_timezone("UTC")
    return Meeting(
        id=mid or f"mtg-{y}{m:02d}{d:02d}",
        title="T",
        start=start,
        end=start.add(minutes=minutes),
        timezone=tz,
        status=status,
    )


def local(instant: pendulum.DateTime, tz: str = NY) -> pendulum.DateTime:
    return instant.in_timezone(tz)


# --- month ends ---------------------------------------------------------------------------------


def test_jan_31_plus_one_month_is_feb_28() -> None:
    nxt = next_meeting_slot([meeting(2026, 1, 31)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2026, 2, 28)
    assert (local(nxt.start).hour, local(nxt.start).minute) == (10, 0)


def test_jan_31_plus_one_month_in_a_leap_year_is_feb_29() -> None:
    nxt = next_meeting_slot([meeting(2028, 1, 31)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2028, 2, 29)


def test_month_end_series_returns_to_the_31st_after_february() -> None:
    # Jan 31 -> Feb 28 (clamped) -> Mar 31, not Mar 28.
    nxt = next_meeting_slot([meeting(2026, 1, 31), meeting(2026, 2, 28)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2026, 3, 31)


def test_a_real_28th_stays_on_the_28th() -> None:
    nxt = next_meeting_slot([meeting(2026, 1, 28), meeting(2026, 2, 28)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2026, 3, 28)


def test_aug_31_plus_one_month_is_sep_30_and_then_oct_31() -> None:
    first = next_meeting_slot([meeting(2026, 8, 31)], MONTHLY, NY)
    assert local(first.start).date() == pendulum.date(2026, 9, 30)
    second = next_meeting_slot([meeting(2026, 8, 31), meeting(2026, 9, 30)], MONTHLY, NY)
    assert local(second.start).date() == pendulum.date(2026, 10, 31)


def test_year_end_rolls_over() -> None:
    nxt = next_meeting_slot([meeting(2026, 12, 17)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2027, 1, 17)


def test_every_two_months() -> None:
    nxt = next_meeting_slot([meeting(2026, 12, 31)], Cadence(every=2), NY)
    assert local(nxt.start).date() == pendulum.date(2027, 2, 28)


# --- weekday patterns ------------------------------------------------------------------------


def test_second_thursday_pattern_is_kept() -> None:
    # 8 Oct and 12 Nov 2026 are both second Thursdays: next is 10 Dec, not 12 Dec.
    nxt = next_meeting_slot([meeting(2026, 10, 8), meeting(2026, 11, 12)], MONTHLY, NY)
    assert local(nxt.start).date() == pendulum.date(2026, 12, 10)
    assert nxt.rule == SeriesRule(RuleKind.NTH_WEEKDAY, weekday=3, ordinal=2)
    assert "second Thursday" in nxt.explanation


def test_last_friday_pattern() -> None:
    # 24 Apr 2026 (4th and last Friday) and 29 May 2026 (5th and last): the last Friday.
    rule = infer_monthly_rule([pendulum.date(2026, 4, 24), pendulum.date(2026, 5, 29)])
    assert rule == SeriesRule(RuleKind.NTH_WEEKDAY, weekday=4, ordinal=-1)
    assert step_day(pendulum.date(2026, 5, 29), MONTHLY, rule) == pendulum.date(2026, 6, 26)


def test_single_meeting_keeps_day_of_month() -> None:
    rule = infer_monthly_rule([pendulum.date(2026, 11, 12)])
    assert rule == SeriesRule(RuleKind.DAY_OF_MONTH, day=12)


def test_irregular_gap_falls_back_to_day_of_month() -> None:
    rule = infer_monthly_rule([pendulum.date(2026, 8, 13), pendulum.date(2026, 11, 12)])
    assert rule.kind is RuleKind.DAY_OF_MONTH


@pytest.mark.parametrize(
    ("year", "month", "weekday", "ordinal", "expected"),
    [
        (2026, 12, 3, 2, Date(2026, 12, 10)),
        (2027, 1, 3, 2, Date(2027, 1, 14)),
        (2026, 2, 0, -1, Date(2026, 2, 23)),
        (2026, 3, 6, 1, Date(2026, 3, 1)),
    ],
)
def test_nth_weekday(year: int, month: int, weekday: int, ordinal: int, expected: Date) -> None:
    assert nth_weekday(year, month, weekday, ordinal) == expected


# --- daylight saving ----------------------------------------------------------------------------


def test_weekly_meeting_keeps_local_time_across_march_dst() -> None:
    # 3 Mar 2026 10:00 EST (15:00 UTC); DST starts 8 Mar: 10 Mar 10:00 EDT is 14:00 UTC.
    nxt = next_meeting_slot([meeting(2026, 3, 3)], WEEKLY, NY)
    assert local(nxt.start).format("YYYY-MM-DD HH:mm") == "2026-03-10 10:00"
    assert nxt.start.in_timezone("UTC").hour == 14
    assert (nxt.end - nxt.start).in_minutes() == 120


def test_monthly_meeting_keeps_local_time_across_november_dst() -> None:
    # 13 Oct 2026 10:00 EDT (14:00 UTC); DST ends 1 Nov: 13 Nov 10:00 EST is 15:00 UTC.
    nxt = next_meeting_slot([meeting(2026, 10, 13)], MONTHLY, NY)
    assert local(nxt.start).format("YYYY-MM-DD HH:mm") == "2026-11-13 10:00"
    assert nxt.start.in_timezone("UTC").hour == 15


def test_monthly_meeting_across_march_dst() -> None:
    nxt = next_meeting_slot([meeting(2026, 2, 12)], MONTHLY, NY)
    assert local(nxt.start).format("YYYY-MM-DD HH:mm") == "2026-03-12 10:00"
    assert nxt.start.in_timezone("UTC").hour == 14


def test_time_in_the_spring_forward_gap_moves_forward() -> None:
    instant = local_instant(pendulum.date(2026, 3, 8), 2, 30, NY)
    assert local(instant).format("HH:mm") == "03:30"


def test_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    instant = local_instant(pendulum.date(2026, 11, 1), 1, 30, NY)
    assert instant.in_timezone("UTC").format("HH:mm") == "05:30"  # 01:30 EDT


# --- non-UTC timezones --------------------------------------------------------------------------


def test_evening_meeting_in_los_angeles_keeps_its_local_day() -> None:
    # 18:30 in Los Angeles is 02:30 UTC the next day: the step is taken on the local day.
    tz = "America/Los_Angeles"
    nxt = next_meeting_slot([meeting(2026, 1, 31, 18, 30, tz=tz)], MONTHLY, tz)
    assert nxt.start.in_timezone(tz).format("YYYY-MM-DD HH:mm") == "2026-02-28 18:30"
    assert nxt.start.in_timezone("UTC").format("YYYY-MM-DD HH:mm") == "2026-03-01 02:30"


def test_early_meeting_in_sydney_across_april_dst_end() -> None:
    tz = "Australia/Sydney"
    nxt = next_meeting_slot([meeting(2026, 3, 26, 9, 0, tz=tz)], WEEKLY, tz)
    # DST ends 5 Apr 2026 in Sydney; 2 Apr is still AEDT, 9 Apr is AEST.
    assert nxt.start.in_timezone(tz).format("YYYY-MM-DD HH:mm") == "2026-04-02 09:00"
    later = next_meeting_slot([meeting(2026, 4, 2, 9, 0, tz=tz)], WEEKLY, tz)
    assert later.start.in_timezone(tz).format("YYYY-MM-DD HH:mm") == "2026-04-09 09:00"
    assert later.start.in_timezone("UTC").hour == 23  # 09:00 AEST = 23:00 UTC the day before


def test_explicit_date_and_slot_override() -> None:
    nxt = next_meeting_slot(
        [meeting(2026, 1, 13)],
        MONTHLY,
        NY,
        on_date=pendulum.date(2026, 2, 20),
        slot=Slot(14, 30, 90),
    )
    assert local(nxt.start).format("YYYY-MM-DD HH:mm") == "2026-02-20 14:30"
    assert (nxt.end - nxt.start).in_minutes() == 90


def test_without_earlier_meetings_one_step_from_today() -> None:
    nxt = next_meeting_slot([], MONTHLY, NY, today=pendulum.date(2026, 1, 31))
    assert local(nxt.start).format("YYYY-MM-DD HH:mm") == "2026-02-28 10:00"


# --- report-backs due ---------------------------------------------------------------------------


def action(aid: str, meeting_id: str, **kwargs: object) -> ActionItem:
    kwargs.setdefault("owner_id", "mem-a")
    return ActionItem(id=aid, meeting_id=meeting_id, text=aid, **kwargs)  # type: ignore[arg-type]


def test_due_on_or_before_the_meeting_day_and_next_meeting() -> None:
    jan = meeting(2026, 1, 31, mid="mtg-jan")
    feb = meeting(2026, 2, 28, mid="mtg-feb", status=MeetingStatus.PLANNED)
    actions = [
        action("a-before", "mtg-jan", due=pendulum.date(2026, 2, 20)),
        action("a-same-day", "mtg-jan", due=pendulum.date(2026, 2, 28)),
        action("a-after", "mtg-jan", due=pendulum.date(2026, 3, 1)),
        action("a-next", "mtg-jan", due_next_meeting=True),
        action("a-closed", "mtg-jan", due=pendulum.date(2026, 2, 1), status=ActionStatus.DONE),
        action("a-raised-here", "mtg-feb", due_next_meeting=True),
    ]
    due = {d.action.id: d.overdue for d in actions_due_at(actions, [jan, feb], feb)}
    assert due == {"a-before": True, "a-same-day": False, "a-next": False}


def test_meeting_day_is_the_local_day_in_a_non_utc_timezone() -> None:
    tz = "America/Los_Angeles"
    jan = meeting(2026, 1, 13, 18, 0, tz=tz, mid="mtg-jan")
    # 10 Feb 18:30 in Los Angeles is 11 Feb in UTC; an action due 11 Feb is not due yet.
    feb = meeting(2026, 2, 10, 18, 30, tz=tz, mid="mtg-feb", status=MeetingStatus.PLANNED)
    actions = [
        action("a-10", "mtg-jan", due=pendulum.date(2026, 2, 10)),
        action("a-11", "mtg-jan", due=pendulum.date(2026, 2, 11)),
    ]
    assert [d.action.id for d in actions_due_at(actions, [jan, feb], feb)] == ["a-10"]


def test_next_meeting_action_that_skipped_a_held_meeting_is_overdue() -> None:
    jan = meeting(2026, 1, 31, mid="mtg-jan")
    feb = meeting(2026, 2, 28, mid="mtg-feb")
    mar = meeting(2026, 3, 31, mid="mtg-mar", status=MeetingStatus.PLANNED)
    actions = [action("a-next", "mtg-jan", due_next_meeting=True)]
    (due,) = actions_due_at(actions, [jan, feb, mar], mar)
    assert due.overdue


def test_reported_at_lists_closed_actions_due_in_the_window() -> None:
    jan = meeting(2026, 1, 31, mid="mtg-jan")
    feb = meeting(2026, 2, 28, mid="mtg-feb")
    actions = [
        action("in-window", "mtg-jan", due=pendulum.date(2026, 2, 15), status=ActionStatus.DONE),
        action("next", "mtg-jan", due_next_meeting=True, status=ActionStatus.DROPPED),
        action("open-with-report", "mtg-jan", due=pendulum.date(2026, 2, 27), report_back="half"),
        action("open-silent", "mtg-jan", due=pendulum.date(2026, 2, 27)),
        action("too-early", "mtg-jan", due=pendulum.date(2026, 1, 20), status=ActionStatus.DONE),
        action("later", "mtg-jan", due=pendulum.date(2026, 3, 2), status=ActionStatus.DONE),
    ]
    got = {a.id for a, _ in reported_at(actions, [jan, feb], feb)}
    assert got == {"in-window", "next", "open-with-report"}
