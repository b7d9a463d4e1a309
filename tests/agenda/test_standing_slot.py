"""The standing slot: parsing the rule, and every generated date matching it (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import Date

from facilitate.domain.cadence import local_instant
from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import Meeting, MeetingStatus
from facilitate.domain.standing import (
    StandingKind,
    StandingRule,
    nth_weekday,
    parse_standing,
)
from facilitate.storage.workspace import Workspace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "second Thursday of the month, 10:00-12:00",
            StandingRule(StandingKind.NTH_WEEKDAY, 3, ordinal=2, start=(10, 0), end=(12, 0)),
        ),
        ("every 4 weeks on Tuesday", StandingRule(StandingKind.EVERY_N_WEEKS, 1, weeks=4)),
        ("first Monday, skip August", StandingRule(StandingKind.NTH_WEEKDAY, 0, skip=(8,))),
        (
            "Last Friday, 14:00 to 15:30; skip July and August",
            StandingRule(
                StandingKind.NTH_WEEKDAY, 4, ordinal=-1, start=(14, 0), end=(15, 30), skip=(7, 8)
            ),
        ),
        (
            "weekly on Wednesdays at 9:30",
            StandingRule(StandingKind.EVERY_N_WEEKS, 2, start=(9, 30)),
        ),
        ("every other week on Mon", StandingRule(StandingKind.EVERY_N_WEEKS, 0, weeks=2)),
        (
            "  SECOND   thursday 10:00–12:00 ",
            StandingRule(StandingKind.NTH_WEEKDAY, 3, ordinal=2, start=(10, 0), end=(12, 0)),
        ),
    ],
)
def test_rules_are_read_from_plain_text(text: str, expected: StandingRule) -> None:
    rule = parse_standing(text)
    assert rule == expected
    assert parse_standing(rule.describe()) == rule  # what it says can be read back


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("whenever we can", "Cannot read the standing slot"),
        ("second Thursday, 10:00-09:00", "ends before it starts"),
        ("second Thursday, 25:00-26:00", "not a time of day"),
        ("second Thursday, skip Augustus", "'augustus' is not a month"),
        ("fifth Thursday", "Cannot read the standing slot"),
        ("every 20 weeks on Monday", "outside 1-12"),
        ("second Thursday, in the library", "Cannot read 'in the library'"),
    ],
)
def test_unreadable_rules_get_one_clear_line(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_standing(text)
    message = str(err.value)
    assert says in message and "\n" not in message


def test_second_thursday_after_december_is_january_14() -> None:
    rule = parse_standing("second Thursday of the month, 10:00-12:00")
    assert rule.next_day(pendulum.date(2026, 12, 10)) == pendulum.date(2027, 1, 14)
    assert rule.next_day(pendulum.date(2027, 3, 11)) == pendulum.date(2027, 4, 8)  # not Sun 11


def test_skipped_month_is_jumped() -> None:
    rule = parse_standing("first Monday, skip August")
    assert rule.next_day(pendulum.date(2027, 7, 5)) == pendulum.date(2027, 9, 6)


def test_every_four_weeks_keeps_the_phase_of_the_last_meeting_on_its_weekday() -> None:
    rule = parse_standing("every 4 weeks on Tuesday")
    anchor = pendulum.date(2027, 1, 5)
    # The last meeting was moved to a Wednesday: the series keeps its Tuesdays.
    assert rule.next_day(pendulum.date(2027, 2, 3), anchor) == pendulum.date(2027, 3, 2)


RULES = st.one_of(
    st.builds(
        lambda o, w, skip: StandingRule(
            StandingKind.NTH_WEEKDAY, w, ordinal=o, skip=tuple(sorted(skip))
        ),
        st.sampled_from([1, 2, 3, 4, -1]),
        st.integers(0, 6),
        st.sets(st.integers(1, 12), max_size=4),
    ),
    st.builds(
        lambda n, w, skip: StandingRule(
            StandingKind.EVERY_N_WEEKS, w, weeks=n, skip=tuple(sorted(skip))
        ),
        st.integers(1, 12),
        st.integers(0, 6),
        st.sets(st.integers(1, 12), max_size=3),
    ),
)
DAYS = st.dates(min_value=pendulum.date(2000, 1, 1), max_value=pendulum.date(2090, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)
ZONES = st.sampled_from(
    ["America/Chicago", "Europe/London", "Australia/Sydney", "America/St_Johns", "UTC"]
)
TIMES = st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@settings(max_examples=300, deadline=None)
@given(rule=RULES, start=DAYS, zone=ZONES, at=TIMES)
def test_every_generated_date_matches_the_rule(
    rule: StandingRule, start: Date, zone: str, at: tuple[int, int]
) -> None:
    anchor = None
    if rule.kind is StandingKind.EVERY_N_WEEKS:
        anchor = start.add(days=(rule.weekday - int(start.day_of_week)) % 7)
    day = start
    previous = None
    for _ in range(14):  # a year and more, across both daylight-saving changes
        nxt = rule.next_day(day, anchor)
        assert nxt > day
        assert rule.matches(nxt, anchor), (rule, nxt)
        if rule.kind is StandingKind.NTH_WEEKDAY:
            # Nothing of the rule was skipped in between.
            probe = day.add(days=1)
            while probe < nxt:
                assert not rule.matches(probe), (rule, probe, nxt)
                probe = probe.add(days=1)
        if previous is not None and rule.kind is StandingKind.EVERY_N_WEEKS:
            assert (nxt - previous).in_days() % (7 * rule.weeks) == 0
        # The wall-clock time stays on the rule's day in the workspace's zone, DST or not.
        instant = local_instant(nxt, at[0], at[1], zone).in_timezone(zone)
        assert instant.date() == nxt
        assert (instant.hour, instant.minute) >= (at[0], at[1]) or instant.hour == at[0] + 1
        previous = nxt
        day = nxt


@given(
    year=st.integers(2000, 2090),
    month=st.integers(1, 12),
    weekday=st.integers(0, 6),
    ordinal=st.sampled_from([1, 2, 3, 4, -1]),
)
def test_nth_weekday_is_that_weekday_in_that_month(
    year: int, month: int, weekday: int, ordinal: int
) -> None:
    day = nth_weekday(year, month, weekday, ordinal)
    assert (day.year, day.month, int(day.day_of_week)) == (year, month, weekday)
    if ordinal == -1:
        assert day.add(days=7).month != month
    else:
        assert (day.day - 1) // 7 + 1 == ordinal


# --- the rule in use: meetings new, the sample, a moved meeting ------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from facilitate.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_meetings_new_on_the_sample_keeps_to_second_thursdays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "ws")
    assert _run(capsys, "--data", data, "init", "--sample")[0] == 0
    for _ in range(5):
        code, _out, err = _run(capsys, "--data", data, "meetings", "new")
        assert code == 0, err
    ws = Workspace.open(Path(data))
    planned = [m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED]
    days = [m.local(m.start) for m in planned]
    assert [d.format("ddd D MMM YYYY HH:mm") for d in days] == [
        "Thu 10 Dec 2026 10:00",
        "Thu 14 Jan 2027 10:00",
        "Thu 11 Feb 2027 10:00",
        "Thu 11 Mar 2027 10:00",
        "Thu 8 Apr 2027 10:00",  # not Sunday 11 April
        "Thu 13 May 2027 10:00",
    ]


def test_meetings_slot_sets_shows_and_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "ws")
    _run(capsys, "--data", data, "init", "--sample")
    code, out, _ = _run(capsys, "--data", data, "meetings", "slot", "every 4 weeks on Tuesday")
    assert code == 0 and "every 4 weeks on Tuesday" in out
    code, out, err = _run(capsys, "--data", data, "meetings", "slot", "fortnight-ish, Tuesdays")
    assert code == 2 and "Cannot read the standing slot" in err and len(err.splitlines()) == 1
    code, out, _ = _run(capsys, "--data", data, "meetings", "slot")
    assert "every 4 weeks on Tuesday" in out  # the refused rule did not replace it
    code, out, _ = _run(capsys, "--data", data, "meetings", "new")
    assert code == 0
    ws = Workspace.open(Path(data))
    last = ws.snapshot().meetings()[-1]
    assert last.local(last.start).day_of_week == 1  # a Tuesday


def test_a_meeting_moved_to_the_small_hours_does_not_move_the_inferred_slot() -> None:
    from facilitate.domain.cadence import next_meeting_slot
    from facilitate.domain.roster import Cadence

    tz = "America/Chicago"

    def held(y: int, mo: int, d: int, h: int, mi: int) -> Meeting:
        start = pendulum.datetime(y, mo, d, h, mi, tz=tz).in_timezone("UTC")
        return Meeting(title="m", start=start, end=start.add(hours=2), timezone=tz)

    meetings = [held(2026, 10, 8, 10, 0), held(2026, 11, 12, 10, 0), held(2026, 12, 10, 1, 5)]
    nxt = next_meeting_slot(meetings, Cadence(), tz).start.in_timezone(tz)
    assert nxt.format("HH:mm") == "10:00"
    rule = parse_standing("second Thursday of the month, 10:00-12:00")
    slot = next_meeting_slot(meetings, Cadence(), tz, standing=rule)
    assert slot.start.in_timezone(tz).format("ddd D MMM YYYY HH:mm") == "Thu 14 Jan 2027 10:00"
    assert (slot.end - slot.start).in_minutes() == 120


def test_profile_refuses_a_rule_it_cannot_read() -> None:
    from facilitate.domain.roster import Profile

    with pytest.raises(ValidationError, match="Cannot read the standing slot"):
        Profile(name="T", standing_slot="now and then").validate()
