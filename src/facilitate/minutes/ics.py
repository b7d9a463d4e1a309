"""Calendar (.ics) files, with the icalendar library (imported only when used).

- ``meeting_to_ics``: the meeting as one event, its agenda in the description.
- ``actions_to_ics``: report-back dates of action items as all-day entries.

Instants are written in UTC, so every calendar shows them at the right local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from pendulum import Date, DateTime

from ..domain.actions import ActionItem, ActionStatus
from ..domain.common import system_clock
from ..domain.meeting import Meeting
from ..domain.roster import Roster
from .blocks import safe

PRODID = "-//facilitate//task force meetings//EN"
WITHHELD_ACTION = "Report-back due on an action from a confidential item (details withheld)"


def _utc(instant: DateTime) -> dt.datetime:
    return dt.datetime.fromtimestamp(instant.timestamp(), tz=dt.UTC)


def _date(day: Date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", safe(name))
    return cal


def meeting_to_ics(
    meeting: Meeting,
    description: str,
    *,
    collaborative: str = "",
    now: DateTime | None = None,
) -> bytes:
    """One VEVENT for the meeting: start/end in UTC, the agenda as plain-text description."""
    from icalendar import Event

    cal = _calendar(collaborative)
    event = Event()
    event.add("uid", f"{meeting.id}@facilitate")
    event.add("dtstamp", _utc(now or system_clock()))
    event.add("dtstart", _utc(meeting.start))
    event.add("dtend", _utc(meeting.end))
    summary = safe(meeting.title)
    event.add("summary", summary)
    if meeting.location:
        event.add("location", safe(meeting.location))
    event.add("description", safe(description))
    event.add("status", "CONFIRMED")
    event.add("class", "PRIVATE")
    cal.add_component(event)
    return bytes(cal.to_ical())


def actions_to_ics(
    actions: Iterable[ActionItem],
    roster: Roster,
    *,
    next_meeting: Date | None = None,
    confidential_item_ids: Collection[str] = frozenset(),
    include_closed: bool = False,
    now: DateTime | None = None,
    calendar_name: str | None = None,
) -> bytes:
    """Report-back dates as all-day calendar entries, one per action.

    Actions due "next meeting" are placed on ``next_meeting`` when given, else left out.
    Actions raised under an item in ``confidential_item_ids`` keep their date and owner but
    not their text. Closed actions are left out unless ``include_closed``.
    """
    from icalendar import Event

    stamp = _utc(now or system_clock())
    cal = _calendar(calendar_name if calendar_name is not None else roster.profile.name)
    for action in sorted(actions, key=lambda a: (a.due or next_meeting or dt.date.max, a.id)):
        if action.status is not ActionStatus.OPEN and not include_closed:
            continue
        day = (
            action.due
            if action.due is not None
            else (next_meeting if action.due_next_meeting else None)
        )
        if day is None:
            continue
        owner = roster.member(action.owner_id) if action.owner_id else None
        sub = roster.subcommittee(action.subcommittee_id) if action.subcommittee_id else None
        who = " / ".join(x for x in (sub.name if sub else "", owner.name if owner else "") if x)
        withheld = (
            action.agenda_item_id is not None and action.agenda_item_id in confidential_item_ids
        )
        text = WITHHELD_ACTION if withheld else safe(action.text)
        first_line = text.split("\n", 1)[0]
        summary = f"Report back: {first_line[:120]}" + ("…" if len(first_line) > 120 else "")
        event = Event()
        event.add("uid", f"{action.id}@facilitate")
        event.add("dtstamp", stamp)
        event.add("dtstart", _date(day))
        event.add("dtend", _date(day.add(days=1)))
        event.add("summary", summary)
        details = [text]
        if who:
            details.append(f"Owner: {safe(who)}")
        if action.due_next_meeting:
            details.append("Due at the next meeting.")
        if action.status is not ActionStatus.OPEN:
            details.append(f"Status: {action.status.value}")
        event.add("description", "\n".join(details))
        event.add("transp", "TRANSPARENT")
        event.add("class", "PRIVATE")
        cal.add_component(event)
    return bytes(cal.to_ical())
