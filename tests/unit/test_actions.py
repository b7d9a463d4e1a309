"""actions.py: who owns an action, when it is due, and its history."""

from __future__ import annotations

import copy
from typing import Any

import pendulum
import pytest
from pendulum import Date

from facilitate.domain.actions import ActionEvent, ActionItem, ActionStatus
from facilitate.domain.common import ValidationError

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


def action(**kwargs) -> ActionItem:
    fields: dict[str, Any] = {
        "meeting_id": "mtg-test",
        "text": "Draft the referral protocol",
        "owner_id": "mem-1",
    }
    fields.update(kwargs)
    return ActionItem(**fields)


# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize(
    ("owner", "sub"),
    [("mem-1", None), (None, "sub-1"), ("mem-1", "sub-1")],
)
def test_validate_accepts_owner_or_subcommittee(owner: str | None, sub: str | None) -> None:
    action(owner_id=owner, subcommittee_id=sub, due=pendulum.date(2026, 12, 1)).validate()


@pytest.mark.parametrize(("owner", "sub"), [(None, None), ("", ""), ("", None)])
def test_validate_needs_owner_or_subcommittee(owner: str | None, sub: str | None) -> None:
    with pytest.raises(ValidationError, match="neither an owner nor a subcommittee"):
        action(owner_id=owner, subcommittee_id=sub, due_next_meeting=True).validate()


def test_validate_needs_due_date_or_next_meeting() -> None:
    with pytest.raises(ValidationError, match="no report-back date"):
        action().validate()
    assert action(due_next_meeting=True).validate().due_next_meeting is True
    assert action(due=pendulum.date(2026, 12, 1)).validate().due == pendulum.date(2026, 12, 1)


def test_validate_an_explicit_date_wins_over_next_meeting() -> None:
    a = action(due=pendulum.date(2026, 12, 1), due_next_meeting=True).validate()
    assert a.due == pendulum.date(2026, 12, 1)
    assert a.due_next_meeting is False
    assert a.due_label() == "2026-12-01"


def test_validate_text() -> None:
    with pytest.raises(ValidationError, match="Action text is empty"):
        action(text=" ", due_next_meeting=True).validate()
    a = action(text="Call\x1b]52;c;eA==\x07 shelter", due_next_meeting=True).validate()
    assert a.text == "Call shelter"


def test_due_label() -> None:
    assert action(due_next_meeting=True).due_label() == "next meeting"
    assert action(due=pendulum.date(2027, 1, 5)).due_label() == "2027-01-05"
    assert action().due_label() == "-"


# --------------------------------------------------------------------------- is_due_by

MEETING_DAY = pendulum.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("due", "next_meeting", "expected"),
    [
        (pendulum.date(2026, 12, 10), False, True),  # on the meeting day
        (pendulum.date(2026, 12, 9), False, True),  # the day before
        (pendulum.date(2026, 11, 1), False, True),  # long before (overdue)
        (pendulum.date(2026, 12, 11), False, False),  # the day after
        (pendulum.date(2027, 1, 10), False, False),
        (None, True, True),  # next meeting
    ],
)
def test_is_due_by(due: Date | None, next_meeting: bool, expected: bool) -> None:
    assert action(due=due, due_next_meeting=next_meeting).is_due_by(MEETING_DAY) is expected


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED])
@pytest.mark.parametrize(
    ("due", "next_meeting"), [(pendulum.date(2026, 12, 1), False), (None, True)]
)
def test_closed_actions_are_never_due_or_overdue(
    status: ActionStatus, due: Date | None, next_meeting: bool
) -> None:
    a = action(due=due, due_next_meeting=next_meeting, status=status)
    assert a.is_due_by(MEETING_DAY) is False
    assert a.is_overdue(pendulum.date(2030, 1, 1)) is False


# --------------------------------------------------------------------------- is_overdue


@pytest.mark.parametrize(
    ("due", "today", "overdue"),
    [
        (pendulum.date(2026, 1, 31), pendulum.date(2026, 1, 31), False),
        (pendulum.date(2026, 1, 31), pendulum.date(2026, 2, 1), True),
        (pendulum.date(2026, 2, 28), pendulum.date(2026, 2, 28), False),
        (pendulum.date(2026, 2, 28), pendulum.date(2026, 3, 1), True),
        (pendulum.date(2028, 2, 28), pendulum.date(2028, 2, 29), True),  # leap day
        (pendulum.date(2028, 2, 29), pendulum.date(2028, 2, 29), False),
        (pendulum.date(2028, 2, 29), pendulum.date(2028, 3, 1), True),
        (pendulum.date(2026, 4, 30), pendulum.date(2026, 5, 1), True),
        (pendulum.date(2026, 5, 1), pendulum.date(2026, 4, 30), False),
        (pendulum.date(2026, 12, 31), pendulum.date(2027, 1, 1), True),
        (pendulum.date(2027, 1, 1), pendulum.date(2026, 12, 31), False),
    ],
)
def test_is_overdue_around_month_ends(due: Date, today: Date, overdue: bool) -> None:
    assert action(due=due).is_overdue(today) is overdue


def test_next_meeting_actions_are_never_overdue() -> None:
    assert action(due_next_meeting=True).is_overdue(pendulum.date(2099, 1, 1)) is False


@pytest.mark.parametrize(
    ("tz", "local_day", "overdue"),
    [
        ("UTC", pendulum.date(2026, 11, 30), False),
        ("Pacific/Auckland", pendulum.date(2026, 12, 1), True),  # UTC+13: already tomorrow
        ("Asia/Tokyo", pendulum.date(2026, 12, 1), True),
        ("America/Los_Angeles", pendulum.date(2026, 11, 30), False),  # UTC-8: still today
        ("Pacific/Honolulu", pendulum.date(2026, 11, 30), False),
    ],
)
def test_is_overdue_uses_the_local_date_the_caller_gives(
    tz: str, local_day: Date, overdue: bool
) -> None:
    # 23:30 UTC on Nov 30 is already Dec 1 in Auckland and Tokyo but still Nov 30 in the US.
    instant = pendulum.datetime(2026, 11, 30, 23, 30, tz="UTC")
    today = instant.in_timezone(tz).date()
    assert today == local_day
    a = action(due=pendulum.date(2026, 11, 30))
    assert a.is_overdue(today) is overdue
    # A meeting held that local day still expects the report-back either way.
    assert a.is_due_by(today) is True


def test_is_overdue_late_evening_in_the_americas() -> None:
    # 01:30 UTC on Mar 1 is still Feb 28 in New York: an action due Feb 28 is due, not overdue.
    instant = pendulum.datetime(2026, 3, 1, 1, 30, tz="UTC")
    a = action(due=pendulum.date(2026, 2, 28))
    assert a.is_overdue(instant.in_timezone("America/New_York").date()) is False
    assert a.is_overdue(instant.date()) is True


# --------------------------------------------------------------------------- history


def test_close_records_status_note_time_and_history() -> None:
    a = action(due=pendulum.date(2026, 12, 1))
    a.history.append(ActionEvent(at=NOW.subtract(days=3), what="created", by="Ana"))
    a.close(ActionStatus.DONE, "Protocol\x1b[31m adopted", NOW, by="Ben")
    assert a.status is ActionStatus.DONE
    assert a.report_back == "Protocol adopted"
    assert a.closed_at == NOW
    assert [e.what for e in a.history] == ["created", "marked done"]
    assert a.history[-1].at == NOW
    assert a.history[-1].by == "Ben"
    assert a.is_due_by(MEETING_DAY) is False


def test_close_as_dropped() -> None:
    a = action(due_next_meeting=True)
    a.close(ActionStatus.DROPPED, "", NOW)
    assert a.status is ActionStatus.DROPPED
    assert a.history[-1].what == "marked dropped"


def test_close_with_open_is_refused_and_changes_nothing() -> None:
    a = action(due=pendulum.date(2026, 12, 1), report_back="draft")
    before = copy.deepcopy(a)
    with pytest.raises(ValidationError, match="'done' or 'dropped'"):
        a.close(ActionStatus.OPEN, "note", NOW)
    assert a == before


def test_postpone_moves_the_date_and_keeps_history() -> None:
    a = action(due=pendulum.date(2026, 12, 1))
    a.postpone(pendulum.date(2027, 1, 15), "Waiting on the DA", NOW, by="Ana")
    a.postpone(pendulum.date(2027, 2, 1), "Holidays", NOW.add(days=30), by="Ben")
    assert a.due == pendulum.date(2027, 2, 1)
    assert a.due_next_meeting is False
    assert [e.what for e in a.history] == [
        "postponed from 2026-12-01 to 2027-01-15: Waiting on the DA",
        "postponed from 2027-01-15 to 2027-02-01: Holidays",
    ]
    assert [e.by for e in a.history] == ["Ana", "Ben"]
    assert a.history[1].at == NOW.add(days=30)


def test_postpone_from_next_meeting_clears_the_flag() -> None:
    a = action(due_next_meeting=True)
    a.postpone(pendulum.date(2027, 1, 15), "Needs data", NOW)
    assert a.due_next_meeting is False
    assert a.due == pendulum.date(2027, 1, 15)
    assert a.history[-1].what == "postponed from next meeting to 2027-01-15: Needs data"


@pytest.mark.parametrize("reason", ["", "   ", "\x1b[2J"])
def test_postpone_needs_a_reason_and_changes_nothing(reason: str) -> None:
    a = action(due=pendulum.date(2026, 12, 1))
    before = copy.deepcopy(a)
    with pytest.raises(ValidationError, match="Reason for postponing is empty"):
        a.postpone(pendulum.date(2027, 1, 15), reason, NOW)
    assert a == before


def test_reassign_keeps_history() -> None:
    a = action(due=pendulum.date(2026, 12, 1), subcommittee_id="sub-1")
    a.postpone(pendulum.date(2027, 1, 15), "Later", NOW)
    a.reassign("mem-9", "Dana Smith", NOW.add(minutes=5), by="Chair")
    a.reassign(None, "the subcommittee", NOW.add(minutes=6))
    assert a.owner_id is None
    assert a.subcommittee_id == "sub-1"
    assert [e.what for e in a.history] == [
        "postponed from 2026-12-01 to 2027-01-15: Later",
        "reassigned to Dana Smith",
        "reassigned to the subcommittee",
    ]
    assert a.history[1].by == "Chair"
    assert a.history[1].at == NOW.add(minutes=5)
