"""Trend computations and the overdue rules: pure, at fixed instants, across time zones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pendulum
import pytest

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Feedback,
    Meeting,
    MeetingStatus,
    TimeSpan,
)
from facilitate.domain.roster import Organization
from facilitate.domain.trends import (
    MeetingSummary,
    bar,
    compute_trends,
    days_overdue,
    is_drifting,
    is_overdue,
    local_today,
    next_meeting_days,
    organization_attendance,
    report_back_day,
    summarize_meeting,
)

CHICAGO = "America/Chicago"
AMSTERDAM = "Europe/Amsterdam"


def action(**kwargs) -> ActionItem:
    base: dict[str, Any] = {"meeting_id": "mtg-a", "text": "Do it", "owner_id": "mem-1"}
    base.update(kwargs)
    return ActionItem(**base)


def meeting(mid: str, start: pendulum.DateTime, tz: str = CHICAGO, **kwargs) -> Meeting:
    return Meeting(id=mid, title=mid, start=start, end=start.add(hours=2), timezone=tz, **kwargs)


# --- today and overdue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "now,tz,expected",
    [
        # 03:00 UTC on the 11th is still the evening of the 10th in Chicago...
        (pendulum.datetime(2026, 12, 11, 3, 0, tz="UTC"), CHICAGO, (2026, 12, 10)),
        # ...and already the 11th in Amsterdam.
        (pendulum.datetime(2026, 12, 11, 3, 0, tz="UTC"), AMSTERDAM, (2026, 12, 11)),
        # The night the clocks go back in Chicago (1 Nov 2026): 00:30 CDT is 05:30 UTC.
        (pendulum.datetime(2026, 11, 1, 5, 30, tz="UTC"), CHICAGO, (2026, 11, 1)),
        # Just before local midnight in summer time.
        (pendulum.datetime(2026, 7, 1, 4, 59, tz="UTC"), CHICAGO, (2026, 6, 30)),
    ],
)
def test_local_today_is_the_collaboratives_calendar_day(now, tz, expected):
    assert local_today(now, tz) == pendulum.date(*expected)


def test_overdue_depends_on_the_collaboratives_timezone():
    a = action(due=pendulum.date(2026, 12, 10))
    now = pendulum.datetime(2026, 12, 11, 3, 0, tz="UTC")
    chicago_today = local_today(now, CHICAGO)  # still 10 Dec: due today, not overdue
    amsterdam_today = local_today(now, AMSTERDAM)  # 11 Dec: a day late
    assert not is_overdue(a, chicago_today, report_back_day(a, None))
    assert is_overdue(a, amsterdam_today, report_back_day(a, None))
    assert days_overdue(amsterdam_today, a.due) == 1
    assert days_overdue(chicago_today, a.due) == 0


@pytest.mark.parametrize(
    "status,due,today,expected",
    [
        (ActionStatus.OPEN, (2026, 12, 9), (2026, 12, 10), True),
        (ActionStatus.OPEN, (2026, 12, 10), (2026, 12, 10), False),  # due today: not yet
        (ActionStatus.OPEN, (2026, 12, 11), (2026, 12, 10), False),
        (ActionStatus.DONE, (2026, 1, 1), (2026, 12, 10), False),  # closed is never overdue
        (ActionStatus.DROPPED, (2026, 1, 1), (2026, 12, 10), False),
    ],
)
def test_overdue_rule(status, due, today, expected):
    a = action(due=pendulum.date(*due), status=status)
    assert is_overdue(a, pendulum.date(*today), report_back_day(a, None)) is expected


def test_next_meeting_actions_report_back_at_the_next_meetings_local_day():
    # The next meeting starts at 03:00 UTC on 11 Dec: 21:00 on 10 Dec in Chicago.
    first = meeting("mtg-a", pendulum.datetime(2026, 11, 12, 16, tz="UTC"))
    second = meeting("mtg-b", pendulum.datetime(2026, 12, 11, 3, tz="UTC"))
    days = next_meeting_days([second, first])
    assert days == {"mtg-a": pendulum.date(2026, 12, 10), "mtg-b": None}
    a = action(due_next_meeting=True)
    day = report_back_day(a, days["mtg-a"])
    assert day == pendulum.date(2026, 12, 10)
    assert not is_overdue(a, pendulum.date(2026, 12, 10), day)
    assert is_overdue(a, pendulum.date(2026, 12, 11), day)


def test_next_meeting_action_without_a_scheduled_meeting_is_never_overdue():
    a = action(due_next_meeting=True)
    assert report_back_day(a, None) is None
    assert not is_overdue(a, pendulum.date(2099, 1, 1), None)


def test_a_postponed_action_is_no_longer_overdue():
    a = action(due=pendulum.date(2026, 11, 1))
    today = pendulum.date(2026, 12, 10)
    assert is_overdue(a, today, a.due)
    a.postpone(pendulum.date(2026, 12, 20), "waiting for the budget", pendulum.now("UTC"))
    assert not is_overdue(a, today, report_back_day(a, None))
    assert "postponed from 2026-11-01 to 2026-12-20" in a.history[-1].what


# --- one meeting ---------------------------------------------------------------------------


def _held(
    mid: str,
    start: pendulum.DateTime,
    *,
    minutes_held: int,
    orgs: list[str],
    guests: int = 0,
    ratings: Sequence[int | None] = (),
    status: MeetingStatus = MeetingStatus.ENDED,
) -> MeetingSummary:
    m = meeting(mid, start, status=status)
    if status is MeetingStatus.ENDED:
        m.started_at, m.ended_at = start, start.add(minutes=minutes_held)
    attendance = [
        Attendance(
            meeting_id=mid,
            member_id=f"mem-{n}",
            name=f"P{n}",
            organization_id=org,
            status=AttendanceStatus.PRESENT,
        )
        for n, org in enumerate(orgs)
    ]
    attendance += [
        Attendance(meeting_id=mid, name=f"Guest {n}", status=AttendanceStatus.REMOTE)
        for n in range(guests)
    ]
    attendance.append(
        Attendance(meeting_id=mid, member_id="mem-x", name="Away", status=AttendanceStatus.ABSENT)
    )
    feedback = [Feedback(meeting_id=mid, rating=r, comment="c") for r in ratings]
    return summarize_meeting(m, [], attendance, [], [], feedback)


def test_summarize_meeting_counts_and_length():
    start = pendulum.datetime(2026, 10, 8, 15, tz="UTC")
    m = meeting("mtg-a", start, status=MeetingStatus.ENDED)
    m.started_at, m.ended_at = start.add(minutes=2), start.add(minutes=129)
    items = [
        AgendaItem(meeting_id="mtg-a", title="A", planned_minutes=60),
        AgendaItem(meeting_id="mtg-a", title="B", planned_minutes=50, deferred=True),
    ]
    attendance = [
        Attendance(
            meeting_id="mtg-a",
            member_id="m1",
            name="A",
            organization_id="org-1",
            status=AttendanceStatus.PRESENT,
        ),
        Attendance(
            meeting_id="mtg-a",
            member_id="m2",
            name="B",
            organization_id="org-1",
            status=AttendanceStatus.LATE,
        ),
        Attendance(
            meeting_id="mtg-a",
            member_id="m3",
            name="C",
            organization_id="org-2",
            status=AttendanceStatus.EXCUSED,
        ),
        Attendance(meeting_id="mtg-a", name="Guest", status=AttendanceStatus.PRESENT),
    ]
    decisions = [Decision(meeting_id="mtg-a", text="Yes")]
    actions = [action(due=pendulum.date(2026, 11, 1)), action(due=pendulum.date(2026, 11, 1))]
    actions[1].status = ActionStatus.DONE
    feedback = [
        Feedback(meeting_id="mtg-a", rating=5),
        Feedback(meeting_id="mtg-a", rating=3),
        Feedback(meeting_id="mtg-a", comment="no rating"),
    ]
    s = summarize_meeting(m, items, attendance, decisions, actions, feedback)
    assert s.day == pendulum.date(2026, 10, 8)
    assert (s.present, s.guests, s.organizations) == (3, 1, 1)
    assert (s.decisions, s.actions, s.open_actions) == (1, 2, 1)
    assert (s.rating, s.ratings) == (4.0, 2)
    assert (s.planned_minutes, s.agenda_minutes, s.actual_minutes) == (120, 60, 127)
    assert s.over_minutes == 7
    assert s.length_label() == "127/120 min (+7)"


def test_length_of_a_held_meeting_without_start_and_end_comes_from_its_items():
    start = pendulum.datetime(2026, 10, 8, 15, tz="UTC")
    m = meeting("mtg-a", start, status=MeetingStatus.ENDED)
    item = AgendaItem(
        meeting_id="mtg-a",
        title="A",
        spans=[
            TimeSpan(start=start, end=start.add(minutes=30)),
            TimeSpan(start=start.add(minutes=40), end=start.add(minutes=55)),
        ],
    )
    assert summarize_meeting(m, [item], [], [], [], []).actual_minutes == 45
    planned = meeting("mtg-b", start)
    s = summarize_meeting(planned, [item], [], [], [], [])
    assert s.actual_minutes is None and s.over_minutes is None
    assert s.length_label() == "120 min planned"


# --- trends --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attended,drifting",
    [
        ("", False),
        ("1", False),
        ("11", False),
        ("10", True),  # came, then missed the latest meeting
        ("01", False),  # only started coming
        ("111111", False),
        ("111110", False),  # one missed meeting is not drifting
        ("111100", True),
        ("111010", True),
        ("101010", True),
        ("000000", False),  # never came: "not attending", not drifting
        ("000011", False),
        ("110101", False),
    ],
)
def test_is_drifting(attended, drifting):
    assert is_drifting([c == "1" for c in attended]) is drifting


def test_organization_attendance_over_the_last_six_held_meetings():
    orgs = [
        Organization(id="org-a", name="Always"),
        Organization(id="org-d", name="Drifter"),
        Organization(id="org-n", name="Never"),
        Organization(id="org-x", name="Gone", active=False),
    ]
    start = pendulum.datetime(2026, 1, 8, 16, tz="UTC")
    summaries = []
    for k in range(8):
        present = ["org-a"] + (["org-d"] if k < 6 else [])
        summaries.append(
            _held(f"m{k}", start.add(months=k), minutes_held=120, orgs=[*present, "org-x"])
        )
    # A planned meeting at the end does not count.
    summaries.append(
        _held("m9", start.add(months=9), minutes_held=0, orgs=[], status=MeetingStatus.PLANNED)
    )
    trends = organization_attendance(summaries, orgs)
    assert [t.name for t in trends] == ["Drifter", "Never", "Always"]
    drifter, never, always = trends
    assert drifter.attended == (True, True, True, True, False, False)
    assert drifter.drifting and drifter.flag == "drifting away"
    assert (drifter.count, drifter.meetings, round(drifter.rate, 2)) == (4, 6, 0.67)
    assert never.absent and not never.drifting and never.flag == "not attending"
    assert always.rate == 1.0 and always.flag == ""


def test_compute_trends_series():
    start = pendulum.datetime(2026, 1, 8, 16, tz="UTC")
    summaries = [
        _held("m1", start, minutes_held=130, orgs=["o1", "o2"], guests=1, ratings=[4, 5]),
        _held("m2", start.add(months=1), minutes_held=115, orgs=["o1"], ratings=[]),
        _held("m3", start.add(months=2), minutes_held=120, orgs=["o1", "o2", "o3"], ratings=[3]),
        _held("m4", start.add(months=3), minutes_held=0, orgs=[], status=MeetingStatus.PLANNED),
    ]
    t = compute_trends(summaries, [Organization(id="o1", name="One")])
    assert t.attendance.values == [3, 1, 3]
    assert t.organizations.values == [2, 1, 3]
    assert t.rating.values == [4.5, 3.0]  # the meeting without ratings is left out
    assert t.overrun.values == [10, -5, 0]
    assert [(p.planned, p.actual) for p in t.lengths] == [(120, 130), (120, 115), (120, 120)]
    assert t.attendance.last == 3 and t.attendance.change == 2
    assert t.attendance.average == round(7 / 3, 2)
    assert t.window == 3
    assert t.drifting == []


def test_compute_trends_with_no_meetings():
    t = compute_trends([], [Organization(id="o1", name="One")])
    assert t.attendance.values == [] and t.attendance.last is None and t.attendance.change is None
    assert t.window == 0
    assert t.by_organization[0].attended == ()
    assert not t.by_organization[0].drifting


@pytest.mark.parametrize(
    "fraction,width,expected",
    [(0, 4, "░░░░"), (0.5, 4, "██░░"), (1, 4, "████"), (2, 3, "███"), (-1, 2, "░░")],
)
def test_bar(fraction, width, expected):
    assert bar(fraction, width) == expected
