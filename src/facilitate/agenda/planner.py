"""Preparing the next meeting: date from the cadence, the standard agenda, report-backs due,
a training suggestion, and members' agenda proposals.

Service functions take a ``Workspace`` (they open their own transaction) or a ``Transaction``
(read-only helpers); the CLI and the TUI call the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pendulum
from pendulum import Date, DateTime

from ..domain.actions import ActionItem
from ..domain.cadence import NextMeeting, Slot, actions_due_at, next_meeting_slot
from ..domain.common import FacilitateError, ValidationError, system_clock
from ..domain.meeting import (
    AgendaItem,
    AgendaProposal,
    ItemKind,
    Meeting,
    MeetingStatus,
    ProposalStatus,
    planned_total,
    under_confidential,
)
from ..domain.roster import Roster
from ..domain.standing import standing_rule
from ..domain.training import TrainingSnippet, least_recently_delivered
from ..storage.workspace import Transaction, Workspace
from .templates import scaled_template

# Items are inserted before the first of these (new business goes before decisions and close).
_TAIL_KINDS = (ItemKind.DECISIONS, ItemKind.FEEDBACK, ItemKind.CLOSING)


# --- report-backs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportBackEntry:
    action_id: str
    text: str
    owner: str
    subcommittee: str
    due: str
    raised_on: str
    overdue: bool
    confidential: bool  # raised under a confidential agenda item


@dataclass(frozen=True)
class ReportBackGroup:
    subcommittee: str  # "" when the action has no subcommittee
    owner: str  # "" when the action has no owner
    entries: tuple[ReportBackEntry, ...]

    @property
    def label(self) -> str:
        parts = [p for p in (self.subcommittee, self.owner) if p]
        return " — ".join(parts) if parts else "Unassigned"

    @property
    def overdue(self) -> int:
        return sum(1 for e in self.entries if e.overdue)


def _names(roster: Roster, action: ActionItem) -> tuple[str, str]:
    sub = roster.subcommittee(action.subcommittee_id) if action.subcommittee_id else None
    owner = roster.member(action.owner_id) if action.owner_id else None
    sub_name = sub.name if sub else ("(former subcommittee)" if action.subcommittee_id else "")
    owner_name = owner.name if owner else ("(former member)" if action.owner_id else "")
    return sub_name, owner_name


def report_backs_due(tx: Transaction, meeting_id: str) -> list[ReportBackGroup]:
    """Open actions due for report-back at this meeting, grouped by subcommittee and owner.

    Groups are ordered by subcommittee (actions without one last) and owner; entries by date.
    """
    meeting = tx.get(Meeting, meeting_id)
    meetings = tx.meetings()
    roster = tx.roster()
    due = actions_due_at(tx.all_actions(), meetings, meeting)
    items: dict[str, dict[str, AgendaItem]] = {}  # per meeting raised in: its agenda by id
    groups: dict[tuple[str, str], list[ReportBackEntry]] = {}
    for entry in due:
        raised = entry.raised_in
        if raised.id not in items:
            items[raised.id] = {i.id: i for i in tx.all(AgendaItem, raised.id)}
        sub_name, owner_name = _names(roster, entry.action)
        groups.setdefault((sub_name, owner_name), []).append(
            ReportBackEntry(
                action_id=entry.action.id,
                text=entry.action.text,
                owner=owner_name,
                subcommittee=sub_name,
                due=entry.action.due_label(),
                raised_on=raised.local(raised.start).format("D MMMM YYYY"),
                overdue=entry.overdue,
                confidential=under_confidential(entry.action.agenda_item_id, items[raised.id]),
            )
        )
    ordered = sorted(groups, key=lambda k: (k[0] == "", k[0].lower(), k[1] == "", k[1].lower()))
    return [ReportBackGroup(k[0], k[1], tuple(groups[k])) for k in ordered]


# --- training ----------------------------------------------------------------------------------


def suggest_training(tx: Transaction, minutes: int | None) -> list[TrainingSnippet]:
    """Snippets that fit ``minutes``, least recently delivered first (never delivered first)."""
    return least_recently_delivered(tx.all(TrainingSnippet), minutes)


_SLOT_TITLE = re.compile(
    r"^training(?:\s+(?:slot|snippet|session|item|time))?(?:\s*\((?:tbd|tbc|to be confirmed)\))?$",
    re.IGNORECASE,
)


def training_slot(items: list[AgendaItem]) -> AgendaItem | None:
    """The item created as the meeting's training slot: a training item holding a snippet, or
    one titled just "Training" (the template's). A training item with a title of its own (an
    imported "Training: labour indicators", say) is not a slot to fill."""
    for item in items:
        if item.kind is not ItemKind.TRAINING or item.deferred:
            continue
        if item.training_id is not None or _SLOT_TITLE.match(item.title.strip()):
            return item
    return None


@dataclass(frozen=True)
class TrainingPlacement:
    item: AgendaItem
    added: bool  # a new training item (the meeting had no training slot)


def place_training(
    ws: Workspace, meeting_id: str, snippet_id: str | None = None
) -> TrainingPlacement:
    """Put a snippet (or the best suggestion) in the meeting's training slot, or, when it has
    none, in a new training item before decisions, feedback and close. Never changes another
    item's title."""
    with ws.transaction() as tx:
        bundle = tx.bundle(meeting_id)
        _require_not_started(bundle.meeting, bundle.items)
        slot = training_slot(bundle.items)
        if snippet_id:
            snippet = tx.get(TrainingSnippet, snippet_id)
        else:
            choices = suggest_training(tx, slot.planned_minutes if slot else None)
            if not choices:
                raise FacilitateError(
                    f"No training snippet fits the {slot.planned_minutes}-minute training slot."
                    if slot
                    else "The training library has no snippet to suggest."
                )
            snippet = choices[0]
        if slot is not None:
            slot.training_id = snippet.id
            slot.title = f"Training: {snippet.title}"
            tx.update(slot)
            return TrainingPlacement(slot, added=False)
        items = [i for i in bundle.items if not i.deferred]
        at = next((i.position for i in items if i.kind in _TAIL_KINDS), None)
        if at is None:
            at = max((i.position for i in bundle.items), default=-1) + 1
        for later in bundle.items:
            if later.position >= at:
                later.position += 1
                tx.update(later)
        item = AgendaItem(
            meeting_id=meeting_id,
            position=at,
            title=f"Training: {snippet.title}",
            kind=ItemKind.TRAINING,
            planned_minutes=snippet.minutes,
            training_id=snippet.id,
        )
        tx.add(item)
        return TrainingPlacement(item, added=True)


def use_training(ws: Workspace, meeting_id: str, snippet_id: str | None = None) -> AgendaItem:
    """Put a snippet (or the best suggestion) in the training slot (see ``place_training``)."""
    return place_training(ws, meeting_id, snippet_id).item


# --- the next meeting --------------------------------------------------------------------------


@dataclass
class PlannedMeeting:
    meeting: Meeting
    items: list[AgendaItem]
    explanation: str
    training: TrainingSnippet | None = None
    carried_items: list[str] = field(default_factory=list)
    carried_proposals: list[str] = field(default_factory=list)
    report_backs: list[ReportBackGroup] = field(default_factory=list)


def default_title(local_start: DateTime) -> str:
    return f"Task force meeting, {local_start.format('MMMM YYYY')}"


def plan_next_meeting(
    ws: Workspace,
    *,
    on_date: Date | None = None,
    slot: Slot | None = None,
    title: str | None = None,
    location: str | None = None,
    with_template: bool = True,
    now: DateTime | None = None,
) -> PlannedMeeting:
    """Create the next meeting one cadence step after the last one, with the standard agenda.

    The time slot (local start time and length) is the last meeting's unless ``slot`` is given;
    ``on_date`` (a local date) overrides the cadence. Items the last meeting moved to the next
    meeting and proposals it deferred are carried over.
    """
    now = now or system_clock()
    with ws.transaction() as tx:
        profile = tx.profile()
        tz = profile.timezone
        meetings = tx.meetings()
        nxt: NextMeeting = next_meeting_slot(
            meetings,
            profile.cadence,
            tz,
            on_date=on_date,
            slot=slot,
            today=now.in_timezone(tz).date(),
            standing=standing_rule(profile),
        )
        for m in meetings:
            if m.start < nxt.end and nxt.start < m.end:
                local = m.local(m.start).format("YYYY-MM-DD HH:mm")
                raise FacilitateError(
                    f"{m.title} ({m.id}) already takes {local} {m.timezone}: choose another "
                    "date with --date."
                )
        last = meetings[-1] if meetings else None
        local_start = nxt.start.in_timezone(tz)
        meeting = Meeting(
            title=title or default_title(local_start),
            start=nxt.start,
            end=nxt.end,
            timezone=tz,
            location=location if location is not None else (last.location if last else ""),
            facilitator=last.facilitator if last else "",
            note_taker=last.note_taker if last else "",
        )
        tx.add(meeting)
        result = PlannedMeeting(meeting=meeting, items=[], explanation=nxt.explanation)
        last_items = tx.all(AgendaItem, last.id) if last else []
        if with_template:
            result.items, result.training, result.carried_items = _template_items(
                tx, meeting, last, last_items
            )
            for item in result.items:
                tx.add(item)
        if last is not None:
            for proposal in tx.all(AgendaProposal, last.id):
                if proposal.status is ProposalStatus.DEFERRED:
                    tx.add(_carry_proposal(proposal, meeting.id))
                    result.carried_proposals.append(proposal.title)
        result.report_backs = report_backs_due(tx, meeting.id)
        return result


def _template_items(
    tx: Transaction, meeting: Meeting, last: Meeting | None, last_items: list[AgendaItem]
) -> tuple[list[AgendaItem], TrainingSnippet | None, list[str]]:
    deferred = [i for i in last_items if i.deferred]
    training: TrainingSnippet | None = None
    carried: list[str] = []
    items: list[AgendaItem] = []
    for t in scaled_template(meeting.slot_minutes):
        item = AgendaItem(
            meeting_id=meeting.id,
            title=t.title,
            kind=t.kind,
            planned_minutes=t.minutes,
            confidential=t.confidential,
        )
        if t.kind is ItemKind.MINUTES_APPROVAL and last is not None:
            item.title = (
                f"Approval of previous minutes ({last.local(last.start).format('D MMMM YYYY')})"
            )
        if t.kind is ItemKind.TRAINING:
            carried_training = next(
                (i for i in deferred if i.kind is ItemKind.TRAINING and i.training_id), None
            )
            snippet = None
            if carried_training is not None:
                snippet = tx.find(TrainingSnippet, carried_training.training_id or "")
                if snippet is not None:
                    carried.append(carried_training.title)
            if snippet is None:
                choices = suggest_training(tx, t.minutes)
                snippet = choices[0] if choices else None
            if snippet is not None:
                training = snippet
                item.training_id = snippet.id
                item.title = f"Training: {snippet.title}"
        items.append(item)
    # Other items the last meeting moved here go in before decisions and the close.
    template_titles = {i.title.lower() for i in items}
    extra = []
    for old in deferred:
        if old.kind is ItemKind.TRAINING or old.title.lower() in template_titles:
            continue
        extra.append(
            AgendaItem(
                meeting_id=meeting.id,
                title=old.title,
                kind=old.kind,
                planned_minutes=old.planned_minutes,
                presenter=old.presenter,
                confidential=old.confidential,
                notes="Carried over from the previous meeting.",
            )
        )
        carried.append(old.title)
    items = _insert_before_tail(items, extra)
    for n, item in enumerate(items):
        item.position = n
    return items, training, carried


def _insert_before_tail(items: list[AgendaItem], extra: list[AgendaItem]) -> list[AgendaItem]:
    at = next(
        (n for n, i in enumerate(items) if i.kind in _TAIL_KINDS and not i.deferred), len(items)
    )
    return items[:at] + extra + items[at:]


def _carry_proposal(proposal: AgendaProposal, meeting_id: str) -> AgendaProposal:
    return AgendaProposal(
        id=proposal.id,
        meeting_id=meeting_id,
        title=proposal.title,
        minutes=proposal.minutes,
        proposed_by=proposal.proposed_by,
        confidential=proposal.confidential,
        submitted_at=proposal.submitted_at,
    )


# --- proposals --------------------------------------------------------------------------------


def _require_not_started(meeting: Meeting, items: list[AgendaItem] | None = None) -> None:
    if meeting.status is MeetingStatus.ENDED:
        raise FacilitateError(
            f"{meeting.title} has already been held: use the next meeting instead."
        )
    if meeting.status is MeetingStatus.LIVE or any(i.started for i in items or []):
        raise FacilitateError(
            f"{meeting.title} is under way: change its agenda in the meeting screen."
        )


def submit_proposal(
    ws: Workspace,
    meeting_id: str,
    title: str,
    *,
    minutes: int = 10,
    by: str = "",
    confidential: bool = False,
    now: DateTime | None = None,
) -> AgendaProposal:
    """Queue a member's agenda proposal for the facilitator to accept, edit or defer."""
    with ws.transaction() as tx:
        meeting = tx.get(Meeting, meeting_id)
        if meeting.status is MeetingStatus.ENDED:
            raise FacilitateError(
                f"{meeting.title} has already been held: propose the item for the next meeting."
            )
        proposal = AgendaProposal(
            meeting_id=meeting_id,
            title=title,
            minutes=minutes,
            proposed_by=by,
            confidential=confidential,
            submitted_at=now or system_clock(),
        )
        return tx.add(proposal)


def list_proposals(tx: Transaction, meeting_id: str) -> list[AgendaProposal]:
    """All proposals for a meeting: pending first, then by submission time."""
    tx.get(Meeting, meeting_id)
    order = {ProposalStatus.PENDING: 0, ProposalStatus.DEFERRED: 1, ProposalStatus.ACCEPTED: 2}
    epoch = pendulum.datetime(1970, 1, 1, tz="UTC")
    return sorted(
        tx.all(AgendaProposal, meeting_id),
        key=lambda p: (order[p.status], p.submitted_at or epoch, p.id),
    )


def _get_proposal(tx: Transaction, meeting_id: str, proposal_id: str) -> AgendaProposal:
    found = tx.find(AgendaProposal, proposal_id, meeting_id)
    if found is None:
        ids = ", ".join(p.id for p in tx.all(AgendaProposal, meeting_id)) or "none"
        raise ValidationError(
            f"No proposal {proposal_id!r} for this meeting (its proposals: {ids})."
        )
    return found


def accept_proposal(
    ws: Workspace,
    meeting_id: str,
    proposal_id: str,
    *,
    title: str | None = None,
    minutes: int | None = None,
    confidential: bool | None = None,
    presenter: str | None = None,
) -> AgendaItem:
    """Turn a proposal into an agenda item (optionally edited), placed before decisions/close."""
    with ws.transaction() as tx:
        bundle = tx.bundle(meeting_id)
        _require_not_started(bundle.meeting, bundle.items)
        proposal = _get_proposal(tx, meeting_id, proposal_id)
        if proposal.status is ProposalStatus.ACCEPTED:
            raise FacilitateError(
                f"Proposal {proposal.id} ({proposal.title}) is already on the agenda."
            )
        item = AgendaItem(
            meeting_id=meeting_id,
            title=title if title is not None else proposal.title,
            kind=ItemKind.OTHER,
            planned_minutes=minutes if minutes is not None else proposal.minutes,
            presenter=presenter if presenter is not None else proposal.proposed_by,
            confidential=proposal.confidential if confidential is None else confidential,
        )
        ordered = _insert_before_tail(list(bundle.items), [item])
        for n, existing in enumerate(ordered):
            if existing is item:
                existing.position = n
            elif existing.position != n:
                existing.position = n
                tx.update(existing)
        tx.add(item)
        proposal.status = ProposalStatus.ACCEPTED
        tx.update(proposal)
        return item


@dataclass(frozen=True)
class Deferred:
    proposal: AgendaProposal
    moved_to: Meeting | None  # the later planned meeting it now waits in, if any


def defer_proposal(ws: Workspace, meeting_id: str, proposal_id: str) -> Deferred:
    """Defer a proposal: it waits in the next planned meeting (or is carried over when that
    meeting is created with ``meetings new``)."""
    with ws.transaction() as tx:
        meeting = tx.get(Meeting, meeting_id)
        proposal = _get_proposal(tx, meeting_id, proposal_id)
        if proposal.status is ProposalStatus.ACCEPTED:
            raise FacilitateError(
                f"Proposal {proposal.id} is already on the agenda: remove the item instead."
            )
        if proposal.status is ProposalStatus.DEFERRED:
            raise FacilitateError(f"Proposal {proposal.id} has already been deferred.")
        later = [
            m
            for m in tx.meetings()
            if m.start > meeting.start and m.status is MeetingStatus.PLANNED
        ]
        moved_to = None
        if later and tx.find(AgendaProposal, proposal.id, later[0].id) is None:
            moved_to = later[0]
            tx.add(_carry_proposal(proposal, moved_to.id))
        proposal.status = ProposalStatus.DEFERRED
        tx.update(proposal)
        return Deferred(proposal, moved_to)


# --- summaries -----------------------------------------------------------------------------------


def slot_summary(meeting: Meeting, items: list[AgendaItem]) -> str:
    total = planned_total(items)
    slot = meeting.slot_minutes
    if total == slot:
        fit = "exactly fills the slot"
    elif total < slot:
        fit = f"{slot - total} min to spare"
    else:
        fit = f"{total - slot} min over the slot"
    return f"{total} of {slot} min ({fit})"
