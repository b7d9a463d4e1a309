"""Running a meeting: every step is one locked transaction, persisted as it happens.

The UI calls these functions; they load fresh records, apply a domain rule and save. A crash
at any moment loses nothing: the live state (current item, open time spans, attendance, notes)
is all on disk, and elapsed times are recomputed from stored instants on restart.

Two instances may run the same meeting (a facilitator and a note-taker). Steps that set a value
(go to an item, pause, pin) are idempotent, so acting on a screen a second out of date does the
expected thing. Notes are checked against the text the screen last loaded: if someone else saved
different notes since, nothing is written and NotesConflictError carries both versions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pendulum import Date, DateTime

from ..domain.actions import ActionItem
from ..domain.common import Clock, ValidationError, counted, optional_text, system_clock
from ..domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Feedback,
    Meeting,
    MeetingStatus,
    summarize_attendance,
)
from ..domain.replan import ReplanProposal, apply_replan, propose_replan
from ..domain.roster import Organization, Roster
from ..domain.speaking import SpeakingTurn, TurnStatus, end_turn, pause_turn, run_turn
from ..domain.timer import back_out as drop_visit
from ..domain.timer import close_open_span, leave_item, open_span, ordered
from ..domain.training import Delivery, TrainingSnippet
from ..storage import audit
from ..storage.errors import StaleRecordError, StorageError
from ..storage.index import FileKey, file_key
from ..storage.workspace import MeetingBundle, Transaction, Workspace

R = TypeVar("R")


class NotesConflictError(StaleRecordError):
    """Someone else saved different notes for this item since this screen loaded them."""

    def __init__(
        self, item: AgendaItem, *, base: str, mine: str, changed_by: dict[str, Any] | None
    ) -> None:
        theirs = item
        mine_item = copy.deepcopy(item)
        mine_item.notes = mine
        super().__init__("Agenda item", item.id, mine_item, theirs)
        self.item_title = item.title
        self.base_text = base
        self.mine_text = mine
        self.theirs_text = item.notes
        self.changed_by = changed_by
        who = ""
        if changed_by:
            who = f" ({changed_by.get('user', '?')} at {changed_by.get('at', '?')})"
        self.args = (
            f"Someone else{who} changed these notes while you were typing. Nothing was "
            "overwritten: choose which version to keep.",
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class LiveMeeting:
    ws: Workspace
    meeting_id: str
    clock: Clock = system_clock
    # The profile and organizations the quorum is counted from, with the key of the file they
    # were read from (collaborative.json changes rarely during a meeting).
    _quorum_roster: tuple[FileKey | None, Roster] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def now(self) -> DateTime:
        return self.clock().in_timezone("UTC")

    def load(self) -> MeetingBundle:
        return self.ws.snapshot().bundle(self.meeting_id)

    # --- start ------------------------------------------------------------------------------

    def start(self, *, move_to_now: bool = False) -> Meeting:
        """Mark the meeting live and create the expected attendance list from the roster.

        ``move_to_now``: a planned meeting held on another day than scheduled (see
        ``scheduled_elsewhen``) is moved to start now, keeping its length, so its clock, end
        and projection are about today."""
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            if meeting.status is MeetingStatus.ENDED:
                raise ValidationError(f"{meeting.title} has already ended; it cannot restart.")
            if meeting.status is MeetingStatus.PLANNED:
                now = self.now()
                if move_to_now:
                    length = (meeting.end - meeting.start).total_seconds()
                    meeting.start = now.start_of("minute")
                    meeting.end = meeting.start.add(seconds=length)
                meeting.status = MeetingStatus.LIVE
                meeting.started_at = now
                tx.update(meeting)
            self._ensure_expected(tx)
            return meeting

    def _ensure_expected(self, tx: Transaction) -> None:
        roster = tx.roster()
        existing = {a.member_id for a in tx.all(Attendance, self.meeting_id)}
        for member in roster.active_members():
            if member.id in existing:
                continue
            org = roster.org(member.organization_id)
            tx.add(
                Attendance(
                    meeting_id=self.meeting_id,
                    member_id=member.id,
                    name=member.name,
                    role=member.role,
                    organization_id=member.organization_id,
                    organization_name=org.name if org else "",
                )
            )

    def acknowledge_confidentiality(self) -> None:
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            meeting.confidentiality_ack_at = self.now()
            tx.update(meeting)

    # --- attendance ---------------------------------------------------------------------------

    def mark(self, attendance_id: str, status: AttendanceStatus) -> Attendance:
        with self.ws.transaction() as tx:
            record = tx.get(Attendance, attendance_id, self.meeting_id)
            record.status = status
            return tx.update(record)

    def step_out(self, attendance_ids: list[str], item_id: str | None) -> list[Attendance]:
        """Mark people out of the room for a confidential item (recorded for the minutes)."""
        with self.ws.transaction() as tx:
            changed = []
            for attendance_id in attendance_ids:
                record = tx.get(Attendance, attendance_id, self.meeting_id)
                if record.stepped_out:
                    continue
                record.stepped_out = True
                if item_id and item_id not in record.stepped_out_during:
                    record.stepped_out_during.append(item_id)
                changed.append(tx.update(record))
            return changed

    def step_in(self) -> list[Attendance]:
        """Everyone who stepped out is back in the room."""
        with self.ws.transaction() as tx:
            changed = []
            for record in tx.all(Attendance, self.meeting_id):
                if record.stepped_out:
                    record.stepped_out = False
                    changed.append(tx.update(record))
            return changed

    def toggle_introduced(self, attendance_id: str) -> Attendance:
        with self.ws.transaction() as tx:
            record = tx.get(Attendance, attendance_id, self.meeting_id)
            if not record.introduced and record.status in (
                AttendanceStatus.ABSENT,
                AttendanceStatus.EXCUSED,
            ):
                raise ValidationError(
                    f"{record.name} is marked {record.status.label.lower()}: mark them "
                    "present (p) before introducing them."
                )
            record.introduced = not record.introduced
            if record.introduced and record.status is AttendanceStatus.EXPECTED:
                record.status = AttendanceStatus.PRESENT
            return tx.update(record)

    def add_guest(self, name: str, role: str, organization: str) -> Attendance:
        with self.ws.transaction() as tx:
            return tx.add(
                Attendance(
                    meeting_id=self.meeting_id,
                    name=name,
                    role=role,
                    organization_name=organization,
                    status=AttendanceStatus.PRESENT,
                )
            )

    # --- agenda flow ----------------------------------------------------------------------------

    def goto(self, item_id: str | None) -> Meeting:
        """Stop the running item (closing its span) and start ``item_id`` (a new span)."""
        with self.ws.transaction() as tx:
            return self._goto(tx, item_id, tx.all(AgendaItem, self.meeting_id))

    def _goto(self, tx: Transaction, item_id: str | None, items: list[AgendaItem]) -> Meeting:
        now = self.now()
        meeting = tx.get(Meeting, self.meeting_id)
        _require_running(meeting)
        target = None
        for item in items:
            if item.id == item_id:
                target = item
            elif item.running:
                leave_item(item, now)
                tx.update(item)
        if item_id is not None:
            if target is None:
                target = tx.get(AgendaItem, item_id, self.meeting_id)
            if not target.running:
                open_span(target, now)
                tx.update(target)
        self._turns_follow(tx, target if item_id is not None else None, now)
        meeting.current_item_id = item_id
        meeting.paused = False
        return tx.update(meeting)

    def _turns_follow(self, tx: Transaction, item: AgendaItem | None, now: DateTime) -> None:
        """A speaking turn runs only while its item runs: moving to another item (or to none)
        ends the turn (spoke); staying on its item, it runs again if it was paused."""
        for turn in tx.all(SpeakingTurn, self.meeting_id):
            if turn.status is not TurnStatus.SPEAKING:
                continue
            if item is None or turn.item_id != item.id:
                end_turn(turn, now)
                tx.update(turn)
            elif item.running and not turn.running:
                run_turn(turn, now)
                tx.update(turn)

    def back_out(self, item_id: str, to_id: str | None) -> Meeting:
        """Step back from ``item_id`` to ``to_id`` as if it had not been entered (Esc at the
        case-review reminder): it stays pending however long the reminder was up."""
        with self.ws.transaction() as tx:
            items = tx.all(AgendaItem, self.meeting_id)
            for item in items:
                if item.id == item_id and item.running:
                    drop_visit(item, self.now())
                    tx.update(item)
            return self._goto(tx, to_id, items)

    def step(self, offset: int) -> AgendaItem | None:
        """Move to the next (+1) or previous (-1) item. Returns the new item, or None at an end.

        One transaction: the items are read once, under the lock, and the move is one save."""
        with self.ws.transaction() as tx:
            every = tx.all(AgendaItem, self.meeting_id)
            items = [i for i in ordered(every) if not i.deferred]
            meeting = tx.get(Meeting, self.meeting_id)
            ids = [i.id for i in items]
            if not ids:
                return None
            if meeting.current_item_id in ids:
                index = ids.index(meeting.current_item_id) + offset
            else:
                index = 0 if offset > 0 else len(ids) - 1
            if not 0 <= index < len(ids):
                return None
            self._goto(tx, ids[index], every)
            return items[index]

    def pause(self) -> Meeting:
        now = self.now()
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            _require_running(meeting)
            for item in tx.all(AgendaItem, self.meeting_id):
                if item.running:
                    close_open_span(item, now)
                    tx.update(item)
            for turn in tx.all(SpeakingTurn, self.meeting_id):
                if turn.running:  # the speaker keeps the floor; their clock stops
                    pause_turn(turn, now)
                    tx.update(turn)
            meeting.paused = True
            return tx.update(meeting)

    def resume(self) -> Meeting:
        now = self.now()
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            _require_running(meeting)
            item = None
            if meeting.current_item_id:
                item = tx.get(AgendaItem, meeting.current_item_id, self.meeting_id)
                open_span(item, now)
                tx.update(item)
            self._turns_follow(tx, item, now)
            meeting.paused = False
            return tx.update(meeting)

    def save_notes(self, item_id: str, text: str, *, base: str | None = None) -> AgendaItem:
        """Save an item's notes. Only the notes field is touched, so a concurrent save of the
        item's timer by another step never conflicts with typing.

        ``base`` is the text the screen last loaded or saved. If the stored notes are neither
        ``base`` nor ``text``, someone else changed them meanwhile: nothing is written and
        NotesConflictError carries both versions. ``base=None`` overwrites (the resolved text
        after a conflict is saved with ``base`` = the other version instead).
        """
        notes = optional_text(text, "Notes")
        with self.ws.transaction() as tx:
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            if item.notes == notes:
                return item  # nothing to write (and nothing to log)
            if base is not None and item.notes != optional_text(base, "Notes"):
                changed_by = audit.last_change(self.ws.audit_path, item.id)
                raise NotesConflictError(item, base=base, mine=notes, changed_by=changed_by)
            item.notes = notes
            return tx.update(item)

    def toggle_pin(self, item_id: str) -> AgendaItem:
        with self.ws.transaction() as tx:
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            item.pinned = not item.pinned
            return tx.update(item)

    def set_pinned(self, item_id: str, pinned: bool) -> AgendaItem:
        """Pin or unpin (idempotent: pressing x on a screen that is a second old does what the
        screen showed, even if someone else pinned the item meanwhile)."""
        with self.ws.transaction() as tx:
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            if item.pinned == pinned:
                return item
            item.pinned = pinned
            return tx.update(item)

    def save(self, record: R) -> R:
        """Save an edited record of this meeting (a decision, an action, an attendance...).

        Refused with StaleRecordError (both versions attached) if someone else saved the
        record after it was loaded: an edit made on an out-of-date screen never overwrites.
        """
        if getattr(record, "meeting_id", self.meeting_id) != self.meeting_id:
            raise StorageError("That record belongs to another meeting; it was not saved.")
        with self.ws.transaction() as tx:
            return tx.update(record)

    # --- re-plan ------------------------------------------------------------------------------

    def propose(self, *, min_minutes: int = 2, allow_defer: bool = True) -> ReplanProposal:
        bundle = self.load()
        return propose_replan(
            bundle.meeting,
            bundle.items,
            self.now(),
            min_minutes=min_minutes,
            allow_defer=allow_defer,
        )

    def apply(self, proposal: ReplanProposal) -> list[AgendaItem]:
        """Apply exactly the proposal shown (refused if the agenda changed since)."""
        with self.ws.transaction() as tx:
            items = tx.all(AgendaItem, self.meeting_id)
            by_id = {i.id: i for i in items}
            for change in proposal.changes:
                item = by_id.get(change.item_id)
                if item is None or item.planned_minutes != change.old_minutes or item.started:
                    raise ValidationError(
                        "The agenda changed since the proposal was made: propose again."
                    )
            changed = apply_replan(items, proposal)
            for item in changed:
                tx.update(item)
            return changed

    # --- capture -----------------------------------------------------------------------------

    def add_decision(self, decision: Decision) -> Decision:
        """Record a decision, with whether the roll call shows a quorum now. Once anyone is
        marked (before the roll call there is nothing to check against), a vote's counts may
        not add up to more than the members attending: walk-in guests do not vote."""
        decision.meeting_id = self.meeting_id
        decision.recorded_at = self.now()
        with self.ws.transaction() as tx:
            attendance = tx.all(Attendance, self.meeting_id)
            marked = [a for a in attendance if a.status.attending]
            if marked:
                roster = self._roster_for_quorum(tx)
                summary = summarize_attendance(attendance, roster)
                decision.quorum_met = summary.quorum_met
                decision.attending = summary.members_present
                decision.organizations_present = summary.member_organizations
            if decision.method is DecisionMethod.VOTE and marked:
                votes = decision.votes_for + decision.votes_against + decision.abstentions
                voters = sum(1 for a in attendance if a.may_vote)
                if votes > voters:
                    guests = sum(1 for a in attendance if a.in_room and a.is_guest)
                    gone = sum(1 for a in marked if not a.in_room and not a.is_guest)
                    raise ValidationError(
                        f"The counts add up to {votes} votes, but the roll call has "
                        f"{counted(voters, 'member')} attending"
                        + (f" (and {counted(guests, 'guest')}, who do not vote)" if guests else "")
                        + (f"; {counted(gone, 'member')} left or stepped out" if gone else "")
                        + ". Check the counts, or mark the others in the roll call first (i)."
                    )
            return tx.add(decision)

    def _roster_for_quorum(self, tx: Transaction) -> Roster:
        """The profile and the organizations, which is all the quorum needs: the whole roster
        of ten years took ~1.5 ms to decode at every decision. Read again whenever
        collaborative.json is not the file they were read from (its key is taken first, so a
        change while reading is never missed; within a transaction no one else writes)."""
        key = file_key(self.ws.collaborative_path)
        cached = self._quorum_roster
        if cached is not None and key is not None and cached[0] == key:
            return cached[1]
        roster = Roster(profile=tx.profile(), organizations=tx.all(Organization))
        self._quorum_roster = (key, roster)
        return roster

    def add_action(self, action: ActionItem) -> ActionItem:
        action.meeting_id = self.meeting_id
        with self.ws.transaction() as tx:
            return tx.add(action)

    def deliver_training(self, snippet_id: str, item_id: str | None) -> TrainingSnippet:
        now = self.now()
        with self.ws.transaction() as tx:
            snippet = tx.get(TrainingSnippet, snippet_id)
            snippet.deliveries.append(Delivery(meeting_id=self.meeting_id, delivered_at=now))
            if item_id:
                item = tx.get(AgendaItem, item_id, self.meeting_id)
                if item.training_id != snippet_id:
                    item.training_id = snippet_id
                    tx.update(item)
            return tx.update(snippet)

    def add_feedback(self, attendee: str, rating: int | None, comment: str) -> Feedback:
        with self.ws.transaction() as tx:
            return tx.add(
                Feedback(
                    meeting_id=self.meeting_id, attendee=attendee, rating=rating, comment=comment
                )
            )

    def set_next_meeting(self, start: DateTime) -> Meeting:
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            if start <= meeting.start:
                raise ValidationError("The next meeting must be after this one.")
            meeting.next_meeting_start = start.in_timezone("UTC")
            return tx.update(meeting)

    def end(self) -> Meeting:
        now = self.now()
        with self.ws.transaction() as tx:
            meeting = tx.get(Meeting, self.meeting_id)
            for item in tx.all(AgendaItem, self.meeting_id):
                if item.running:
                    close_open_span(item, now)
                    tx.update(item)
            self._turns_follow(tx, None, now)  # the one speaking has spoken
            meeting.status = MeetingStatus.ENDED
            meeting.ended_at = now
            meeting.paused = False
            meeting.current_item_id = None
            ended = tx.update(meeting)
            from .record import freeze_ended

            freeze_ended(tx, ended, now)  # the minutes' roster as it is now, kept
            return ended

    def plan_next_meeting(self) -> Meeting | None:
        """After the end: the next meeting, on the date set with ``set_next_meeting`` at this
        meeting's time of day, with the standard agenda (as ``facilitate meetings new``).
        None when no date was set or a later meeting exists already (it is the next one)."""
        from ..agenda.planner import plan_next_meeting

        tx = self.ws.snapshot()
        meeting = tx.get(Meeting, self.meeting_id)
        if meeting.next_meeting_start is None:
            return None
        if any(other.start > meeting.start for other in tx.meetings()):
            return None
        from ..domain.cadence import Slot, usual_slot
        from ..domain.standing import standing_rule

        local = meeting.next_meeting_start.in_timezone(meeting.timezone)
        usual = usual_slot(tx.meetings(), meeting.timezone, standing_rule(tx.profile()))
        slot = Slot(local.hour, local.minute, usual.minutes)  # the time set on the close screen
        return plan_next_meeting(self.ws, on_date=local.date(), slot=slot, now=self.now()).meeting


def _require_running(meeting: Meeting) -> None:
    """The timer steps are refused once the meeting has ended (perhaps on another screen):
    they would reopen time spans of an ended meeting."""
    if meeting.status is MeetingStatus.ENDED:
        raise ValidationError(
            f"{meeting.title} has ended (perhaps on another screen): its agenda and timers "
            "can no longer change. Notes can still be saved."
        )


def today_in(meeting: Meeting, now: DateTime) -> Date:
    return now.in_timezone(meeting.timezone).date()


def scheduled_elsewhen(meeting: Meeting, now: DateTime) -> bool:
    """A planned meeting being started on another day than the one it is scheduled for (in
    its timezone): its clock would measure against that day."""
    return meeting.status is MeetingStatus.PLANNED and meeting.local(
        meeting.start
    ).date() != today_in(meeting, now)
