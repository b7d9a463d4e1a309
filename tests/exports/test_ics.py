"""Calendar files: they parse with icalendar and hold the stored instants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from icalendar import Calendar

from facilitate.agenda.planner import plan_next_meeting
from facilitate.agenda.render import render_agenda
from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.meeting import Meeting
from facilitate.minutes.ics import WITHHELD_ACTION, actions_to_ics
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import small_workspace

NOW = pendulum.datetime(2026, 1, 20, 12, 0, tz="UTC")


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def as_utc(value: dt.datetime) -> dt.datetime:
    assert value.tzinfo is not None
    return value.astimezone(dt.UTC)


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/Amsterdam", "Asia/Kolkata", "UTC"])
def test_agenda_ics_holds_the_stored_instants(tmp_path: Path, tz: str) -> None:
    small = small_workspace(tmp_path / "ws", tz=tz)
    meeting = small.ws.snapshot().get(Meeting, small.upcoming)
    (event,) = events(render_agenda(small.ws, small.upcoming, "ics", now=NOW))
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert as_utc(start) == dt.datetime.fromtimestamp(meeting.start.timestamp(), tz=dt.UTC)
    assert as_utc(end) == dt.datetime.fromtimestamp(meeting.end.timestamp(), tz=dt.UTC)
    assert as_utc(start).astimezone(dt.UTC).hour == meeting.start.in_timezone("UTC").hour
    assert str(event["UID"]) == f"{small.upcoming}@facilitate"
    assert str(event["SUMMARY"]) == "February meeting"
    assert as_utc(event.decoded("DTSTAMP")) == dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)
    description = str(event["DESCRIPTION"])
    assert "1. 10:00 Opening (5 min)" in description
    assert "Case review (30 min, confidential)" in description


def test_agenda_ics_across_dst_keeps_local_ten_oclock(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    planned = plan_next_meeting(small.ws, now=NOW).meeting  # 10 March 2026, after the DST switch
    (event,) = events(render_agenda(small.ws, planned.id, "ics", now=NOW))
    start = as_utc(event.decoded("DTSTART"))
    assert start == dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
    assert start.astimezone(pendulum.timezone("America/New_York")).hour == 10


def test_actions_to_ics_all_day_entries(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    tx = small.ws.snapshot()
    actions = tx.all_actions()
    data = actions_to_ics(
        actions,
        tx.roster(),
        next_meeting=pendulum.date(2026, 2, 10),
        confidential_item_ids={"itm-mtg-past-02"},
        now=NOW,
    )
    got = {str(e["UID"]): e for e in events(data)}
    assert set(got) == {"act-budget@facilitate", "act-secret@facilitate"}  # closed one left out
    budget = got["act-budget@facilitate"]
    assert budget.decoded("DTSTART") == dt.date(2026, 2, 1)
    assert budget.decoded("DTEND") == dt.date(2026, 2, 2)
    assert not isinstance(budget.decoded("DTSTART"), dt.datetime)
    assert str(budget["SUMMARY"]) == "Report back: Send the budget to the county"
    assert "Owner: Victim Services / Ann Officer" in str(budget["DESCRIPTION"])
    secret = got["act-secret@facilitate"]
    assert secret.decoded("DTSTART") == dt.date(2026, 2, 10)
    assert WITHHELD_ACTION in str(secret["SUMMARY"])
    assert "RT-4711" not in data.decode()


def test_actions_to_ics_options(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    tx = small.ws.snapshot()
    data = actions_to_ics(tx.all_actions(), tx.roster(), include_closed=True, now=NOW)
    uids = {str(e["UID"]) for e in events(data)}
    # Without a next-meeting date the "next meeting" action has no day: left out.
    assert uids == {"act-budget@facilitate", "act-done@facilitate"}
    empty = actions_to_ics([], tx.roster(), now=NOW)
    assert events(empty) == []
    assert Calendar.from_ical(empty)["X-WR-CALNAME"] == "Riverside Task Force"


def test_actions_to_ics_is_stable(tmp_path: Path) -> None:
    ws: Workspace = small_workspace(tmp_path / "ws").ws
    tx = ws.snapshot()
    action = ActionItem(
        id="act-x",
        meeting_id="mtg-past",
        text="Long\nsecond line",
        owner_id="mem-ann",
        due=pendulum.date(2026, 12, 31),
        status=ActionStatus.OPEN,
    )
    one = actions_to_ics([action], tx.roster(), now=NOW)
    assert one == actions_to_ics([action], tx.roster(), now=NOW)
    (event,) = events(one)
    assert str(event["SUMMARY"]) == "Report back: Long"
    assert event.decoded("DTEND") == dt.date(2027, 1, 1)
