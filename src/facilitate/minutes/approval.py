"""Approving minutes: a meeting's minutes start as a draft and are approved, usually under the
next meeting's "approval of previous minutes" item, with the date and any corrections."""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import Date

from ..domain.common import FacilitateError, ValidationError, optional_text, system_clock
from ..domain.meeting import AgendaItem, ItemKind, Meeting, MeetingStatus, MinutesStatus
from ..storage.workspace import Workspace


@dataclass(frozen=True)
class Approval:
    meeting: Meeting
    recorded_in: AgendaItem | None  # the next meeting's approval item, when there is one
    was_approved_on: Date | None  # the earlier approval date, when approved again


def approval_line(meeting: Meeting, on_date: Date, corrections: str) -> str:
    held = meeting.local(meeting.start).format("D MMMM YYYY")
    line = f"Minutes of {held} approved on {on_date.format('D MMMM YYYY')}"
    return line + (f" with corrections: {corrections}" if corrections else " without corrections.")


def approve_minutes(
    ws: Workspace,
    meeting_id: str,
    on_date: Date | None = None,
    corrections: str = "",
) -> Approval:
    """Mark a held meeting's minutes approved on ``on_date`` (default: today, in the meeting's
    timezone), with ``corrections`` (free text). The next meeting's "approval of previous
    minutes" item gets a note recording it."""
    corrections = optional_text(corrections, "Corrections", max_len=5000).strip()
    with ws.transaction() as tx:
        meeting = tx.get(Meeting, meeting_id)
        if meeting.status is MeetingStatus.PLANNED:
            raise FacilitateError(
                f"{meeting.title} ({meeting.id}) has not been held yet: there are no minutes "
                "to approve."
            )
        if meeting.status is MeetingStatus.LIVE:
            raise FacilitateError(
                f"{meeting.title} is still running: end it before approving its minutes."
            )
        today = system_clock().in_timezone(meeting.timezone).date()
        day = on_date or today
        if day > today:
            raise ValidationError(
                f"Approval date {day.to_date_string()} is in the future: minutes are approved "
                "on the day the members approve them; use --on with today or an earlier date."
            )
        held_on = meeting.local(meeting.start).date()
        if day < held_on:
            raise ValidationError(
                f"Approval date {day.to_date_string()} is before the meeting itself "
                f"({held_on.to_date_string()}): check --on."
            )
        earlier = meeting.minutes_approved_on
        meeting.minutes_status = MinutesStatus.APPROVED
        meeting.minutes_approved_on = day
        meeting.minutes_corrections = corrections
        tx.update(meeting)

        recorded: AgendaItem | None = None
        later = [m for m in tx.meetings() if m.start > meeting.start]
        if later:
            items = tx.all(AgendaItem, later[0].id)
            target = next((i for i in items if i.kind is ItemKind.MINUTES_APPROVAL), None)
            if target is not None:
                line = approval_line(meeting, day, corrections)
                if line not in target.notes:
                    target.notes = (target.notes.rstrip() + "\n" + line).strip()
                    tx.update(target)
                recorded = target
        return Approval(meeting=meeting, recorded_in=recorded, was_approved_on=earlier)
