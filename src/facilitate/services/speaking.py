"""The speakers' queue and rounds around the table, on a live meeting.

Every step is one locked transaction, saved at once and written to the audit log like the other
live steps (``services/live.py``): a kill -9 loses nothing, and on restart the running turn's
time is recomputed from its stored start instants. The turn's time runs only while its item
runs: ``LiveMeeting.pause`` closes its span, ``resume`` opens a new one, and moving to another
item or ending the meeting ends it (spoke).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pendulum import DateTime

from ..domain.common import ValidationError, optional_text, require_text
from ..domain.meeting import AgendaItem, Attendance, AttendanceStatus, ItemKind, Meeting
from ..domain.roster import Roster, Subcommittee
from ..domain.speaking import (
    GUEST_SECTOR,
    MAX_NOTE,
    ROUND_KINDS,
    SUBCOMMITTEE_SECTOR,
    Airtime,
    RoundBy,
    RoundProgress,
    SpeakerClock,
    SpeakingRound,
    SpeakingTurn,
    TurnStatus,
    end_turn,
    limit_seconds,
    moved,
    next_position,
    note_line,
    on_item,
    pass_floor,
    reorder,
    require_limit,
    round_progress,
    round_split,
    speaker_clock,
    speaking,
    waiting,
)
from ..domain.speaking import airtime as count_airtime
from ..storage.workspace import MeetingBundle, Transaction, Workspace
from .live import LiveMeeting, _require_running


@dataclass(frozen=True)
class RoundView:
    round: SpeakingRound
    turns: list[SpeakingTurn]  # the round's turns in order
    left: list[SpeakingTurn]  # queued or speaking
    will_end_on_time: bool  # if every turn left takes its share
    over_seconds: float  # how far past the item's planned time, if not

    @classmethod
    def of(cls, round_: SpeakingRound, progress: RoundProgress) -> RoundView:
        return cls(
            round=round_,
            turns=progress.turns,
            left=progress.left,
            will_end_on_time=progress.on_time,
            over_seconds=progress.over_seconds,
        )


@dataclass(frozen=True)
class SpeakingView:
    """What the queue panel shows for the current item."""

    item_id: str | None
    current: SpeakingTurn | None  # holding the floor (on any item)
    clock: SpeakerClock | None  # the current turn's clock against its limit
    waiting: list[SpeakingTurn] = field(default_factory=list)  # the current item's, in order
    done: list[SpeakingTurn] = field(default_factory=list)  # the current item's, in order
    limit_seconds: int | None = None  # the per-speaker limit on the current item
    round: RoundView | None = None  # the current item's open (or last) round


class Speakers:
    """The queue of one live meeting (see the module docstring)."""

    def __init__(self, live: LiveMeeting) -> None:
        self.live = live

    @property
    def meeting_id(self) -> str:
        return self.live.meeting_id

    def _roster(self, tx: Transaction) -> Roster:
        return self.live._roster_for_quorum(tx)

    def _running_meeting(self, tx: Transaction) -> Meeting:
        meeting = tx.get(Meeting, self.meeting_id)
        _require_running(meeting)
        return meeting

    def _item(self, tx: Transaction, meeting: Meeting, item_id: str | None) -> AgendaItem:
        item_id = item_id or meeting.current_item_id
        if not item_id:
            raise ValidationError(
                "No agenda item is running: start an item first (speakers are queued on an item)."
            )
        return tx.get(AgendaItem, item_id, self.meeting_id)

    # --- the queue ----------------------------------------------------------------------------

    def enqueue(self, attendance_id: str, item_id: str | None = None) -> SpeakingTurn:
        """Put someone in the room in the queue of ``item_id`` (the current item by default).

        Refused, with a message saying why, for someone not in the room (not marked present,
        absent, excused, left early, stepped out) or already waiting or speaking on the item."""
        with self.live.ws.transaction() as tx:
            meeting = self._running_meeting(tx)
            item = self._item(tx, meeting, item_id)
            person = tx.get(Attendance, attendance_id, self.meeting_id)
            _require_in_room(person)
            turns = tx.all(SpeakingTurn, self.meeting_id)
            for turn in on_item(turns, item.id):
                if turn.attendance_id == person.id and not turn.status.done:
                    where = "speaking" if turn.status is TurnStatus.SPEAKING else "in the queue"
                    raise ValidationError(f"{person.name} is already {where} on {item.title}.")
            roster = self._roster(tx)
            org = roster.org(person.organization_id) if person.organization_id else None
            sector = org.sector.value if org is not None and not person.is_guest else GUEST_SECTOR
            turn = SpeakingTurn(
                meeting_id=self.meeting_id,
                item_id=item.id,
                attendance_id=person.id,
                name=person.name,
                organization=person.organization_name or (org.name if org else ""),
                sector=sector,
                position=next_position(turns, item.id),
                confidential=bool(item.confidential),
            )
            return tx.add(turn)

    def next_speaker(
        self, *, at: DateTime | None = None, round_id: str | None = None
    ) -> SpeakingTurn | None:
        """The one speaking is done (spoke); the first waiting on the current item gets the
        floor (with ``round_id``: the round's next turn, ahead of people queued outside the
        round, in the same save). Its time runs while the item runs (not while the meeting is
        paused). Returns the new speaker, or None when nobody is waiting. ``at``: the instant
        the meeting screen drew the change (it draws first and saves right after that
        frame)."""
        with self.live.ws.transaction() as tx:
            meeting = self._running_meeting(tx)
            now = at or self.live.now()
            turns = tx.all(SpeakingTurn, self.meeting_id)
            item = (
                tx.get(AgendaItem, meeting.current_item_id, self.meeting_id)
                if meeting.current_item_id and waiting(turns, meeting.current_item_id)
                else None
            )
            changed, turn = pass_floor(turns, item, now, round_id=round_id)
            saved = [tx.update(t) for t in changed]
            return saved[-1] if turn is not None else None

    def withdraw(self, turn_id: str) -> None:
        """Take a waiting turn out of the queue (nothing is kept of it: it never spoke)."""
        with self.live.ws.transaction() as tx:
            self._running_meeting(tx)
            turn = tx.get(SpeakingTurn, turn_id, self.meeting_id)
            if turn.status is not TurnStatus.QUEUED:
                raise ValidationError(
                    f"{turn.name} is {turn.status.value}, not waiting: only a waiting turn can "
                    "be withdrawn (end a turn with next speaker, or mark it)."
                )
            tx.delete(turn)

    def move(self, turn_id: str, offset: int) -> None:
        """Move a waiting turn ``offset`` places (negative: earlier) in its item's queue."""
        with self.live.ws.transaction() as tx:
            self._running_meeting(tx)
            turn = tx.get(SpeakingTurn, turn_id, self.meeting_id)
            queue = waiting(tx.all(SpeakingTurn, self.meeting_id), turn.item_id)
            # The waiting turns swap places among the positions they hold (turns done keep
            # theirs, and with them the order they spoke in).
            for changed in reorder(queue, moved(queue, turn_id, offset)):
                tx.update(changed)

    def set_limit(self, item_id: str, minutes: int | None) -> AgendaItem:
        """The per-speaker limit on one item, in minutes: 0 for no limit, None for the
        profile's default."""
        value = require_limit(minutes)
        with self.live.ws.transaction() as tx:
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            if item.speaker_limit_minutes == value:
                return item
            item.speaker_limit_minutes = value
            return tx.update(item)

    # --- rounds -------------------------------------------------------------------------------

    def start_round(self, item_id: str | None = None) -> SpeakingRound:
        """A round around the table on an information-sharing or report-back item: one turn per
        member organization in the room (per subcommittee on a report-back item), queued in
        the roster's (alphabetical) order, the item's remaining time divided among them."""
        with self.live.ws.transaction() as tx:
            meeting = self._running_meeting(tx)
            item = self._item(tx, meeting, item_id)
            if item.kind not in ROUND_KINDS:
                raise ValidationError(
                    f"{item.title} is a {item.kind.label.lower()} item: rounds are for "
                    "information sharing and report-backs. Queue speakers one by one instead."
                )
            turns = tx.all(SpeakingTurn, self.meeting_id)
            if any(t.round_id and not t.status.done for t in on_item(turns, item.id)):
                raise ValidationError(
                    f"A round on {item.title} is still going: finish it (mark or skip the turns "
                    "left) before starting another."
                )
            now = self.live.now()
            by = (
                RoundBy.SUBCOMMITTEE if item.kind is ItemKind.REPORT_BACKS else RoundBy.ORGANIZATION
            )
            round_ = SpeakingRound(
                meeting_id=self.meeting_id, item_id=item.id, by=by, started_at=now
            )
            if by is RoundBy.SUBCOMMITTEE:
                new = self._subcommittee_turns(tx, item, round_)
            else:
                new = self._organization_turns(tx, item, round_)
            remaining = item.planned_minutes * 60 - item.elapsed_seconds(now)
            round_.turn_seconds = round_split(remaining, len(new))
            position = next_position(turns, item.id)
            for n, turn in enumerate(new):
                turn.position = position + n
            tx.add(round_)
            if new:
                tx.replace_all([], new)
            return round_

    def _organization_turns(
        self, tx: Transaction, item: AgendaItem, round_: SpeakingRound
    ) -> list[SpeakingTurn]:
        roster = self._roster(tx)
        here = [a for a in tx.all(Attendance, self.meeting_id) if a.in_room and not a.is_guest]
        out = []
        for org in sorted(roster.active_organizations(), key=lambda o: o.name.lower()):
            people = sorted((a for a in here if a.organization_id == org.id), key=lambda a: a.name)
            if not people:
                continue
            out.append(
                SpeakingTurn(
                    meeting_id=self.meeting_id,
                    item_id=item.id,
                    attendance_id=people[0].id,
                    name=people[0].name,
                    organization=org.name,
                    sector=org.sector.value,
                    round_id=round_.id,
                    confidential=bool(item.confidential),
                )
            )
        if not out:
            raise ValidationError(
                "No member organization is marked in the room: take the roll call (i) before "
                "starting a round."
            )
        return out

    def _subcommittee_turns(
        self, tx: Transaction, item: AgendaItem, round_: SpeakingRound
    ) -> list[SpeakingTurn]:
        subcommittees = sorted(tx.all(Subcommittee), key=lambda s: s.name.lower())
        if not subcommittees:
            raise ValidationError(
                "The task force has no subcommittees to report back: add them in the roster, or "
                "queue speakers one by one."
            )
        here = {a.member_id: a for a in tx.all(Attendance, self.meeting_id) if a.in_room}
        out = []
        for sub in subcommittees:
            chair = here.get(sub.chair_id) if sub.chair_id else None
            out.append(
                SpeakingTurn(
                    meeting_id=self.meeting_id,
                    item_id=item.id,
                    attendance_id=None,
                    subcommittee_id=sub.id,
                    name=chair.name if chair is not None else sub.name,
                    organization=sub.name,
                    sector=SUBCOMMITTEE_SECTOR,
                    round_id=round_.id,
                    confidential=bool(item.confidential),
                )
            )
        return out

    def mark(self, turn_id: str, status: TurnStatus, note: str = "") -> SpeakingTurn:
        """Mark a turn spoke, passed or skipped (ending it if it is speaking). A note is kept
        with the turn and added to the item's notes under the organization's name."""
        if not status.done:
            raise ValidationError(
                f"A turn is marked spoke, passed or skipped, not {status.value}: use next "
                "speaker to give someone the floor."
            )
        text = optional_text(note, "Turn note", max_len=MAX_NOTE).strip()
        with self.live.ws.transaction() as tx:
            self._running_meeting(tx)
            turn = tx.get(SpeakingTurn, turn_id, self.meeting_id)
            end_turn(turn, self.live.now(), status)
            if text:
                turn.note = f"{turn.note}\n{text}" if turn.note else text
                item = tx.get(AgendaItem, turn.item_id, self.meeting_id)
                line = note_line(turn, text)
                item.notes = f"{item.notes.rstrip()}\n{line}" if item.notes.strip() else line
                tx.update(item)
            return tx.update(turn)

    # --- reading ------------------------------------------------------------------------------

    def view(self, bundle: MeetingBundle | None = None) -> SpeakingView:
        """The queue of the current item: who speaks, their clock, who waits, who is done, the
        limit and the item's round."""
        tx = self.live.ws.snapshot()
        bundle = bundle if bundle is not None else tx.bundle(self.meeting_id)
        now = self.live.now()
        item = bundle.item(bundle.meeting.current_item_id)
        current = speaking(bundle.turns)
        rounds = {r.id: r for r in bundle.rounds}
        if item is None:
            clock = speaker_clock(current, None, now) if current is not None else None
            return SpeakingView(item_id=None, current=current, clock=clock)
        default = self._roster(tx).profile.speaker_limit_minutes
        mine = on_item(bundle.turns, item.id)
        item_rounds = sorted(
            (r for r in bundle.rounds if r.item_id == item.id),
            key=lambda r: (r.started_at is None, r.started_at.isoformat() if r.started_at else ""),
        )
        round_ = item_rounds[-1] if item_rounds else None
        round_view = None
        if round_ is not None:
            round_view = RoundView.of(round_, round_progress(round_, bundle.turns, item, now))
        clock = None
        if current is not None:
            limit_round = rounds.get(current.round_id) if current.round_id else None
            owner = bundle.item(current.item_id) or item
            clock = speaker_clock(current, limit_seconds(owner, default, limit_round), now)
        return SpeakingView(
            item_id=item.id,
            current=current,
            clock=clock,
            waiting=[t for t in mine if t.status is TurnStatus.QUEUED],
            done=[t for t in mine if t.status.done],
            limit_seconds=limit_seconds(item, default),
            round=round_view,
        )

    def airtime(self, bundle: MeetingBundle | None = None) -> Airtime:
        """Time spoken in this meeting by sector and organization, and the sectors in the room
        not heard yet."""
        tx = self.live.ws.snapshot()
        bundle = bundle if bundle is not None else tx.bundle(self.meeting_id)
        roster = self._roster(tx)
        return count_airtime(bundle.turns, self.live.now(), present_sectors(bundle, roster))


def present_sectors(bundle: MeetingBundle, roster: Roster) -> list[str]:
    """The sectors of the member organizations in the room now, in ``Sector`` order."""
    from ..domain.meeting import summarize_attendance

    return [s.value for s in summarize_attendance(bundle.attendance, roster).sectors]


def _require_in_room(person: Attendance) -> None:
    if person.in_room:
        return
    if person.stepped_out:
        why = "stepped out of the room"
    elif person.status is AttendanceStatus.EXPECTED:
        why = "not marked present yet: mark them present in the roll call (i) first"
    else:
        why = f"marked {person.status.label.lower()}"
    raise ValidationError(f"{person.name} is {why}; only people in the room can be queued.")


def forget_speaker(ws: Workspace, meeting_id: str, name: str) -> list[SpeakingTurn]:
    """Delete every speaking turn of the person called ``name`` at one meeting (a request to
    erase their data): one transaction, each deletion in the audit log (without the name when
    the item was confidential). Names match without case, accents or extra spaces. Refused,
    with nothing deleted, when no turn of that meeting has that name."""
    from ..domain.record import same_name

    wanted = require_text(name, "Speaker name")
    with ws.transaction() as tx:
        tx.get(Meeting, meeting_id)
        turns = [t for t in tx.all(SpeakingTurn, meeting_id) if same_name(t.name, wanted)]
        if not turns:
            raise ValidationError(
                f"No speaking turn of {wanted!r} at meeting {meeting_id}: check the name as the "
                "minutes' attendance lists it (case and accents do not matter)."
            )
        for turn in turns:
            tx.delete(turn)
        return turns
