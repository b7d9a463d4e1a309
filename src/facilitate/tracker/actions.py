"""The action tracker: every action item across all meetings, filtered in memory.

``load_tracker`` reads the workspace once; ``TrackerData.select`` filters and sorts without any
file access, so the screen stays responsive with ten years of meetings. Closing, postponing and
reassigning write one meeting file each, refuse a record someone else changed meanwhile (its
``rev``), and keep the action's history.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pendulum import Date, DateTime

from ..domain.actions import ActionItem, ActionStatus
from ..domain.common import ValidationError, clean_text, system_clock
from ..domain.meeting import Meeting
from ..domain.roster import Roster
from ..domain.trends import days_overdue, is_overdue, local_today, report_back_day
from ..storage.workspace import Workspace
from .loading import WorkspaceView, load_view, under_confidential

WITHHELD = "(confidential item: details withheld until unlocked)"

STATUS_CHOICES: dict[str, str] = {
    "open": "Open",
    "done": "Done",
    "dropped": "Dropped",
    "closed": "Done or dropped",
    "all": "All",
}
STATUS_CYCLE = ["open", "done", "dropped", "all"]


@dataclass
class ActionRow:
    """One action with what the tracker shows about it (names resolved, dates computed)."""

    action: ActionItem
    meeting: Meeting  # the meeting it was raised in
    confidential: bool
    report_back: Date | None
    overdue: bool
    days_overdue: int
    owner: str  # owner's name, or ""
    subcommittee: str  # subcommittee's name, or ""

    @property
    def id(self) -> str:
        return self.action.id

    @property
    def who(self) -> str:
        """Owner and subcommittee, as far as known: ``Ana Ortiz / Data and Protocols``."""
        return " / ".join(x for x in (self.owner, self.subcommittee) if x) or "-"

    @property
    def due_label(self) -> str:
        if self.report_back is not None:
            return self.report_back.to_date_string()
        if self.action.due_next_meeting:
            return "next mtg"
        return "-"

    def text(self, unlocked: bool) -> str:
        """The action's text, or a withheld marker for a confidential one while locked."""
        return WITHHELD if self.confidential and not unlocked else self.action.text

    def report_back_note(self, unlocked: bool) -> str:
        if self.confidential and not unlocked and self.action.report_back:
            return "(withheld)"
        return self.action.report_back

    def as_dict(self, unlocked: bool) -> dict[str, Any]:
        a = self.action
        return {
            "id": a.id,
            "status": a.status.value,
            "overdue": self.overdue,
            "report_back_date": self.report_back.to_date_string() if self.report_back else None,
            "due_next_meeting": a.due_next_meeting,
            "text": self.text(unlocked),
            "owner": self.owner,
            "subcommittee": self.subcommittee,
            "meeting_id": self.meeting.id,
            "meeting": self.meeting.title,
            "meeting_date": self.meeting.local(self.meeting.start).to_date_string(),
            "confidential": self.confidential,
            "report_back": self.report_back_note(unlocked),
            "history": [
                {
                    "at": e.at.isoformat(),
                    "what": e.what
                    if unlocked or not self.confidential
                    else e.what.split(":", 1)[0],
                    "by": e.by,
                }
                for e in a.history
            ],
        }


@dataclass(frozen=True)
class ActionFilter:
    status: str = "open"  # a key of STATUS_CHOICES
    subcommittee_id: str | None = None
    owner_id: str | None = None
    overdue_only: bool = False
    due_before: Date | None = None  # report-back day strictly before this day
    newest_first: bool = False  # sort by report-back date, latest first

    def __post_init__(self) -> None:
        if self.status not in STATUS_CHOICES:
            raise ValidationError(
                f"Unknown status filter {self.status!r}: use " + ", ".join(STATUS_CHOICES) + "."
            )

    def matches(self, row: ActionRow) -> bool:
        status = row.action.status
        if self.status == "closed" and status is ActionStatus.OPEN:
            return False
        if self.status not in ("all", "closed") and status.value != self.status:
            return False
        if self.subcommittee_id and row.action.subcommittee_id != self.subcommittee_id:
            return False
        if self.owner_id and row.action.owner_id != self.owner_id:
            return False
        if self.overdue_only and not row.overdue:
            return False
        return not (
            self.due_before is not None
            and (row.report_back is None or row.report_back >= self.due_before)
        )

    @property
    def is_default(self) -> bool:
        return self == ActionFilter()

    def describe(self, roster: Roster) -> str:
        parts = [STATUS_CHOICES[self.status].lower()]
        if self.overdue_only:
            parts.append("overdue")
        if self.subcommittee_id:
            sub = roster.subcommittee(self.subcommittee_id)
            parts.append(f"subcommittee {sub.name if sub else self.subcommittee_id}")
        if self.owner_id:
            owner = roster.member(self.owner_id)
            parts.append(f"owner {owner.name if owner else self.owner_id}")
        if self.due_before is not None:
            parts.append(f"due before {self.due_before.to_date_string()}")
        order = "latest first" if self.newest_first else "soonest first"
        return ", ".join(parts) + f"; {order}"


def sort_key(row: ActionRow) -> tuple[Any, ...]:
    """Report-back date, soonest first; actions without one last; then oldest meeting first."""
    return (
        row.report_back is None,
        row.report_back or Date(1, 1, 1),
        row.meeting.start,
        row.action.id,
    )


@dataclass
class TrackerData:
    view: WorkspaceView
    today: Date
    rows: list[ActionRow] = field(default_factory=list)

    @property
    def roster(self) -> Roster:
        return self.view.roster

    def select(self, flt: ActionFilter | None = None) -> list[ActionRow]:
        """Rows matching ``flt`` sorted by report-back date (in memory, no file access)."""
        flt = flt or ActionFilter()
        found = [r for r in self.rows if flt.matches(r)]
        found.sort(key=sort_key)
        if flt.newest_first:
            dated = [r for r in found if r.report_back is not None]
            undated = [r for r in found if r.report_back is None]
            found = list(reversed(dated)) + undated
        return found

    def row(self, action_id: str) -> ActionRow | None:
        return next((r for r in self.rows if r.action.id == action_id), None)

    def counts(self) -> dict[str, int]:
        return {
            "all": len(self.rows),
            "open": sum(1 for r in self.rows if r.action.status is ActionStatus.OPEN),
            "overdue": sum(1 for r in self.rows if r.overdue),
        }

    def replace_action(self, action: ActionItem) -> ActionRow:
        """Put a saved action back in place (after close/postpone/reassign) without reloading."""
        for n, row in enumerate(self.rows):
            if row.action.id == action.id:
                self.rows[n] = make_row(
                    action, row.meeting, row.confidential, self.view, self.today
                )
                return self.rows[n]
        raise KeyError(action.id)

    def set_today(self, today: Date) -> None:
        """Recompute overdue flags for another day (the clock moved on) without reloading."""
        self.today = today
        self.rows = [
            make_row(r.action, r.meeting, r.confidential, self.view, today) for r in self.rows
        ]


def make_row(
    action: ActionItem, meeting: Meeting, confidential: bool, view: WorkspaceView, today: Date
) -> ActionRow:
    roster = view.roster
    owner = roster.member(action.owner_id) if action.owner_id else None
    sub = roster.subcommittee(action.subcommittee_id) if action.subcommittee_id else None
    day = report_back_day(action, view.next_days().get(meeting.id))
    overdue = is_overdue(action, today, day)
    return ActionRow(
        action=action,
        meeting=meeting,
        confidential=confidential,
        report_back=day,
        overdue=overdue,
        days_overdue=days_overdue(today, day) if overdue else 0,
        owner=owner.name if owner else "",
        subcommittee=sub.name if sub else "",
    )


def load_tracker(
    ws: Workspace, now: DateTime | None = None, *, view: WorkspaceView | None = None
) -> TrackerData:
    """Every action item in the workspace, ready to filter. ``now`` defaults to the real clock;
    "today" is taken in the collaborative's timezone."""
    view = view or load_view(ws)
    today = local_today(now or system_clock(), view.roster.profile.timezone)
    return tracker_from_view(view, today)


def tracker_from_view(view: WorkspaceView, today: Date) -> TrackerData:
    rows: list[ActionRow] = []
    for bundle in view.bundles:
        items = {i.id: i for i in bundle.items}
        for action in bundle.actions:
            confidential = under_confidential(action.agenda_item_id, items)
            rows.append(make_row(action, bundle.meeting, confidential, view, today))
    return TrackerData(view=view, today=today, rows=rows)


# --- changes ---------------------------------------------------------------------------------


def _save(ws: Workspace, action: ActionItem, change: Callable[[ActionItem], None]) -> ActionItem:
    """Apply ``change`` to a copy and save it; the caller's object is left as it was."""
    mine = copy.deepcopy(action)
    change(mine)
    with ws.transaction() as tx:
        tx.update(mine)
    return mine


def _require_open(action: ActionItem, doing: str) -> None:
    if action.status is not ActionStatus.OPEN:
        raise ValidationError(
            f"This action is already {action.status.value}; only open actions can be {doing}."
        )


def close_action(
    ws: Workspace,
    action: ActionItem,
    status: ActionStatus,
    note: str,
    now: DateTime,
    *,
    by: str = "",
) -> ActionItem:
    """Mark an open action done or dropped, with the report-back note (required)."""
    _require_open(action, "closed")
    if status is ActionStatus.OPEN:
        raise ValidationError("Closing an action needs 'done' or 'dropped'.")
    if not clean_text(note).strip():
        what = "what was done" if status is ActionStatus.DONE else "why it was dropped"
        raise ValidationError(f"Report-back note is empty: say {what}.")
    return _save(ws, action, lambda a: a.close(status, note, now, by=by))


def postpone_action(
    ws: Workspace,
    action: ActionItem,
    new_due: Date,
    reason: str,
    now: DateTime,
    today: Date,
    *,
    by: str = "",
) -> ActionItem:
    """Move the report-back date; the old date and the reason are kept in the history."""
    _require_open(action, "postponed")
    if new_due < today:
        raise ValidationError(
            f"New report-back date {new_due.to_date_string()} is in the past: pick today or later."
        )
    if action.due is not None and new_due == action.due:
        raise ValidationError(
            f"The report-back date is already {new_due.to_date_string()}: pick another date."
        )
    return _save(ws, action, lambda a: a.postpone(new_due, reason, now, by=by))


def reassign_action(
    ws: Workspace,
    action: ActionItem,
    owner_id: str | None,
    roster: Roster,
    now: DateTime,
    *,
    by: str = "",
) -> ActionItem:
    """Give the action to another member (or, with a subcommittee, to no one in particular)."""
    _require_open(action, "reassigned")
    if owner_id == action.owner_id:
        raise ValidationError("That person already owns this action: pick someone else.")
    if owner_id is None:
        sub = roster.subcommittee(action.subcommittee_id) if action.subcommittee_id else None
        if sub is None:
            raise ValidationError(
                "This action has no subcommittee, so it needs an owner: pick a member."
            )
        name = f"{sub.name} (no individual owner)"
    else:
        member = roster.member(owner_id)
        if member is None:
            raise ValidationError(f"No member with id {owner_id!r}: pick one from the roster.")
        if not member.active:
            raise ValidationError(f"{member.name} is no longer active: pick an active member.")
        name = member.name
    return _save(ws, action, lambda a: a.reassign(owner_id, name, now, by=by))


def with_filter(flt: ActionFilter, **changes: Any) -> ActionFilter:
    return replace(flt, **changes)
