"""Action items: tasks taken by subcommittees or members, with a report-back date."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pendulum import Date, DateTime

from .common import ValidationError, new_id, optional_text, require_text


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(kw_only=True)
class ActionEvent:
    """One entry in an action's history: postponed, reassigned, closed."""

    at: DateTime
    what: str
    by: str = ""


@dataclass(kw_only=True)
class ActionItem:
    id: str = field(default_factory=lambda: new_id("act"))
    rev: int = 0
    meeting_id: str  # the meeting it was raised in
    agenda_item_id: str | None = None
    text: str
    subcommittee_id: str | None = None
    owner_id: str | None = None
    due: Date | None = None
    due_next_meeting: bool = False
    status: ActionStatus = ActionStatus.OPEN
    report_back: str = ""
    closed_at: DateTime | None = None
    history: list[ActionEvent] = field(default_factory=list)

    def validate(self) -> ActionItem:
        self.text = require_text(self.text, "Action text", max_len=2000)
        self.report_back = optional_text(self.report_back, "Report-back notes", max_len=10_000)
        if not self.subcommittee_id and not self.owner_id:
            raise ValidationError(
                "Action has neither an owner nor a subcommittee: pick at least one."
            )
        if self.due is None and not self.due_next_meeting:
            raise ValidationError("Action has no report-back date: give a date or 'next meeting'.")
        if self.due is not None and self.due_next_meeting:
            self.due_next_meeting = False
        return self

    def due_label(self) -> str:
        if self.due_next_meeting:
            return "next meeting"
        return self.due.to_date_string() if self.due else "-"

    def is_due_by(self, meeting_day: Date) -> bool:
        """Open and due for report-back at a meeting held on ``meeting_day``."""
        if self.status is not ActionStatus.OPEN:
            return False
        return self.due_next_meeting or (self.due is not None and self.due <= meeting_day)

    def is_overdue(self, today: Date) -> bool:
        return self.status is ActionStatus.OPEN and self.due is not None and self.due < today

    def close(self, status: ActionStatus, note: str, now: DateTime, by: str = "") -> None:
        if status is ActionStatus.OPEN:
            raise ValidationError("Closing an action needs 'done' or 'dropped'.")
        self.status = status
        self.report_back = optional_text(note, "Report-back notes", max_len=10_000)
        self.closed_at = now
        self.history.append(ActionEvent(at=now, what=f"marked {status.value}", by=by))

    def postpone(self, new_due: Date, reason: str, now: DateTime, by: str = "") -> None:
        reason = require_text(reason, "Reason for postponing", max_len=500)
        old = self.due_label()
        self.due, self.due_next_meeting = new_due, False
        self.history.append(
            ActionEvent(at=now, what=f"postponed from {old} to {new_due}: {reason}", by=by)
        )

    def reassign(self, owner_id: str | None, owner_name: str, now: DateTime, by: str = "") -> None:
        self.owner_id = owner_id
        self.history.append(ActionEvent(at=now, what=f"reassigned to {owner_name}", by=by))
