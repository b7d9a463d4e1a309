"""Correcting the record of a meeting: which fields of which records may be corrected, until
when, and what changed (for the audit log)."""

from __future__ import annotations

from typing import Any

from .actions import ActionItem
from .common import FacilitateError, ValidationError, counted
from .meeting import (
    AgendaItem,
    Decision,
    DecisionMethod,
    Feedback,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)

# What a correction may change, per kind of record (ids, revs, when it was recorded, the
# quorum it was taken under and an action's tracking history are never corrected here).
EDITABLE: dict[type, tuple[str, ...]] = {
    Decision: ("text", "method", "votes_for", "votes_against", "abstentions", "dissent"),
    ActionItem: ("text", "owner_id", "subcommittee_id", "due", "due_next_meeting"),
    Feedback: ("attendee", "rating", "comment"),
    AgendaItem: ("notes",),
}
DELETABLE = (Decision, ActionItem, Feedback)
KIND_NAMES = {
    Decision: "decision",
    ActionItem: "action item",
    Feedback: "feedback",
    AgendaItem: "notes",
}


class RecordClosedError(FacilitateError):
    """The minutes were approved: the record stands as approved."""


def require_correctable(meeting: Meeting, what: str = "the record") -> None:
    """A meeting's record can be corrected until its minutes are approved (and once it has
    started: a planned meeting has no record yet)."""
    if meeting.minutes_status is MinutesStatus.APPROVED:
        when = meeting.minutes_approved_on
        on = f" on {when.to_date_string()}" if when else ""
        raise RecordClosedError(
            f"The minutes of {meeting.title} were approved{on}: {what} can no longer be "
            "changed. Record a correction in the next meeting's minutes instead."
        )
    if meeting.status is MeetingStatus.PLANNED:
        raise RecordClosedError(f"{meeting.title} has not started: it has no record to correct.")


def check_vote_counts(corrected: Decision, attending: int | None) -> None:
    """A corrected vote is held to the room it was taken in: its counts (for, against,
    abstain) may not add up to more than the members attending then, as kept with the
    decision (``attending``; None: taken before anyone was marked in the roll call, so there
    is nothing to check against, as when it was recorded)."""
    if corrected.method is not DecisionMethod.VOTE or attending is None:
        return
    votes = corrected.votes_for + corrected.votes_against + corrected.abstentions
    if votes > attending:
        raise ValidationError(
            f"The counts add up to {counted(votes, 'vote')}, but "
            f"{counted(attending, 'member')} {'was' if attending == 1 else 'were'} attending "
            "when this decision was taken. Check the counts (for, against, abstain)."
        )


def changes_between(before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    """{field: (old, new)} for the correctable fields that differ."""
    fields = EDITABLE[type(after)]
    return {
        name: (getattr(before, name), getattr(after, name))
        for name in fields
        if getattr(before, name) != getattr(after, name)
    }


def removal(record: Any) -> dict[str, tuple[Any, Any]]:
    """{field: (old, None)}: what a deletion removes, for the log."""
    return {
        name: (getattr(record, name), None)
        for name in EDITABLE[type(record)]
        if getattr(record, name) not in (None, "", False, 0)
    }
