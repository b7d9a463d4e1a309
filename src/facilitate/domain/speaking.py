"""The speakers' queue, rounds around the table, and airtime by sector.

A speaking turn is one person (or, in a report-back round, one subcommittee) given the floor on
one agenda item. Its time is kept like an item's: a list of spans from stored UTC instants, so a
crash, a restart or a paused meeting never miscounts it. A turn only runs while its item runs:
pausing the meeting closes the running turn's span, resuming opens a new one, and leaving the
item or ending the meeting ends the turn.

Who spoke is personal data (name, organization, sector, item, start and end instants): the
turn copies the name, organization and sector when it is queued, so the record stays true when
the roster changes later, and nothing else about the person is kept.

Pure: pendulum and the domain only. The service (``services/speaking.py``) persists.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pendulum import DateTime

from .common import ValidationError, new_id, optional_text, require_text
from .meeting import AgendaItem, ItemKind, TimeSpan
from .roster import Sector
from .timer import WARNING_FRACTION, TimerState, fmt_mmss

# Turns that belong to no member sector: a guest (their employer is not a member of the task
# force) and a subcommittee reporting back in a round.
GUEST_SECTOR = "guest"
SUBCOMMITTEE_SECTOR = "subcommittee"
PSEUDO_SECTOR_LABELS = {GUEST_SECTOR: "Guests", SUBCOMMITTEE_SECTOR: "Subcommittee reports"}
MAX_NOTE = 2000  # a short note per turn
MAX_LIMIT_MINUTES = 120
# Items a round around the table is for.
ROUND_KINDS = (ItemKind.INFORMATION_SHARING, ItemKind.REPORT_BACKS)


def sector_label(sector: str) -> str:
    """A stored sector value as people read it ("Law enforcement (local)", "Guests")."""
    if sector in PSEUDO_SECTOR_LABELS:
        return PSEUDO_SECTOR_LABELS[sector]
    try:
        return Sector(sector).label
    except ValueError:
        return sector or "Unknown"


def _sector_order(sector: str) -> tuple[int, str]:
    values = [s.value for s in Sector]
    if sector in values:
        return values.index(sector), ""
    return len(values) + (sector == GUEST_SECTOR), sector


class TurnStatus(StrEnum):
    QUEUED = "queued"
    SPEAKING = "speaking"
    SPOKE = "spoke"
    PASSED = "passed"
    SKIPPED = "skipped"

    @property
    def done(self) -> bool:
        return self in (TurnStatus.SPOKE, TurnStatus.PASSED, TurnStatus.SKIPPED)

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(kw_only=True)
class SpeakingTurn:
    """One turn on the floor, stored in the meeting file (table "turns")."""

    id: str = field(default_factory=lambda: new_id("trn"))
    rev: int = 0
    meeting_id: str
    item_id: str
    attendance_id: str | None = None  # None for a subcommittee's turn in a report-back round
    name: str
    organization: str = ""  # copied at queue time (the record stays true)
    sector: str = GUEST_SECTOR  # a Sector value, GUEST_SECTOR or SUBCOMMITTEE_SECTOR
    status: TurnStatus = TurnStatus.QUEUED
    position: int = 0  # order in the queue / round (per item)
    spans: list[TimeSpan] = field(default_factory=list)
    round_id: str | None = None
    note: str = ""
    confidential: bool = False  # the item's flag when the turn was queued
    subcommittee_id: str | None = None

    def validate(self) -> SpeakingTurn:
        self.name = require_text(self.name, "Speaker name")
        self.organization = optional_text(self.organization, "Organization", max_len=200)
        self.note = optional_text(self.note, "Turn note", max_len=MAX_NOTE).strip()
        valid = {s.value for s in Sector} | set(PSEUDO_SECTOR_LABELS)
        if self.sector not in valid:
            raise ValidationError(
                f"Speaking turn of {self.name!r} has an unknown sector {self.sector!r}: use one "
                f"of {', '.join(sorted(valid))}."
            )
        for n, span in enumerate(self.spans):
            if span.end is None and n != len(self.spans) - 1:
                raise ValidationError(
                    f"Speaking turn of {self.name!r} has an open time span before its last one."
                )
            if span.end is not None and span.end < span.start:
                raise ValidationError(
                    f"Speaking turn of {self.name!r} has a time span ending before it starts."
                )
        if self.running and self.status is not TurnStatus.SPEAKING:
            raise ValidationError(
                f"Speaking turn of {self.name!r} is {self.status.value} but its time is still "
                "running: close its last span or mark it speaking."
            )
        return self

    @property
    def running(self) -> bool:
        return bool(self.spans) and self.spans[-1].end is None

    @property
    def started_at(self) -> DateTime | None:
        return self.spans[0].start if self.spans else None

    @property
    def ended_at(self) -> DateTime | None:
        if not self.spans or self.running:
            return None
        return self.spans[-1].end

    def elapsed_seconds(self, now: DateTime) -> float:
        return sum(span.seconds(now) for span in self.spans)

    @property
    def speaker(self) -> str:
        """Who holds the floor, as a list shows it: the organization, else the name."""
        return self.organization or self.name


class RoundBy(StrEnum):
    ORGANIZATION = "organization"
    SUBCOMMITTEE = "subcommittee"


@dataclass(kw_only=True)
class SpeakingRound:
    """A round around the table on one item (table "rounds")."""

    id: str = field(default_factory=lambda: new_id("rnd"))
    rev: int = 0
    meeting_id: str
    item_id: str
    by: RoundBy = RoundBy.ORGANIZATION
    turn_seconds: int = 0  # the item's remaining time divided among the turns at the start
    started_at: DateTime | None = None

    def validate(self) -> SpeakingRound:
        if isinstance(self.turn_seconds, bool) or not isinstance(self.turn_seconds, int):
            raise ValidationError(f"Round turn length {self.turn_seconds!r} is not whole seconds.")
        if not 0 <= self.turn_seconds <= 24 * 3600:
            raise ValidationError(
                f"Round turn length of {self.turn_seconds} seconds is outside 0-86400."
            )
        return self


# --- clocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerClock:
    """A turn's clock against its limit: the item's colours at 80 % and 100 %. Without a limit
    it counts up and never warns."""

    limit_seconds: int | None
    elapsed_seconds: float
    running: bool

    @property
    def planned_seconds(self) -> int:
        return self.limit_seconds or 0

    @property
    def remaining_seconds(self) -> float | None:
        if not self.limit_seconds:
            return None
        return self.limit_seconds - self.elapsed_seconds

    @property
    def state(self) -> TimerState:
        if not self.running and self.elapsed_seconds == 0:
            return TimerState.IDLE
        if not self.limit_seconds:
            return TimerState.NORMAL
        if self.elapsed_seconds >= self.limit_seconds:
            return TimerState.OVERRUN
        if self.elapsed_seconds >= WARNING_FRACTION * self.limit_seconds:
            return TimerState.WARNING
        return TimerState.NORMAL

    @property
    def progress(self) -> float:
        if not self.limit_seconds:
            return 0.0
        return min(1.0, self.elapsed_seconds / self.limit_seconds)

    @property
    def display(self) -> str:
        """Remaining m:ss (rounded up), "over by m:ss", or the time taken when there is no
        limit."""
        remaining = self.remaining_seconds
        if remaining is None:
            return fmt_mmss(self.elapsed_seconds)
        if remaining > 0:
            return fmt_mmss(math.ceil(remaining - 1e-9))
        return f"over by {fmt_mmss(-remaining)}"


def speaker_clock(turn: SpeakingTurn, limit_seconds: int | None, now: DateTime) -> SpeakerClock:
    return SpeakerClock(
        limit_seconds=limit_seconds or None,
        elapsed_seconds=turn.elapsed_seconds(now),
        running=turn.running,
    )


def limit_seconds(
    item: AgendaItem, default_minutes: int | None, round_: SpeakingRound | None = None
) -> int | None:
    """The per-speaker limit on ``item``: a round's share, else the item's own limit, else the
    profile's default. 0 or None: no limit."""
    if round_ is not None:
        return round_.turn_seconds or None
    minutes = item.speaker_limit_minutes
    if minutes is None:
        minutes = default_minutes
    return minutes * 60 if minutes else None


def require_limit(minutes: object) -> int | None:
    """A per-speaker limit in whole minutes (0: none), or None (the profile's default)."""
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError(
            f"Speaker limit must be a whole number of minutes, not {minutes!r}: enter 0-"
            f"{MAX_LIMIT_MINUTES} (0 for no limit)."
        )
    if not 0 <= minutes <= MAX_LIMIT_MINUTES:
        raise ValidationError(
            f"Speaker limit of {minutes} minutes is outside 0-{MAX_LIMIT_MINUTES}: enter 0 for "
            "no limit, or a number of minutes."
        )
    return minutes


# --- the queue -----------------------------------------------------------------------------------


def on_item(turns: Iterable[SpeakingTurn], item_id: str | None) -> list[SpeakingTurn]:
    """The turns of one item in speaking order."""
    return sorted((t for t in turns if t.item_id == item_id), key=lambda t: (t.position, t.id))


def waiting(turns: Iterable[SpeakingTurn], item_id: str | None) -> list[SpeakingTurn]:
    return [t for t in on_item(turns, item_id) if t.status is TurnStatus.QUEUED]


def speaking(turns: Iterable[SpeakingTurn]) -> SpeakingTurn | None:
    """The turn holding the floor (at most one per meeting)."""
    return next((t for t in turns if t.status is TurnStatus.SPEAKING), None)


def next_position(turns: Iterable[SpeakingTurn], item_id: str) -> int:
    return max((t.position for t in turns if t.item_id == item_id), default=0) + 1


def end_turn(turn: SpeakingTurn, now: DateTime, status: TurnStatus = TurnStatus.SPOKE) -> None:
    """Close the turn's running span and mark it done."""
    pause_turn(turn, now)
    turn.status = status


def pause_turn(turn: SpeakingTurn, now: DateTime) -> None:
    if turn.running:
        turn.spans[-1].end = max(now, turn.spans[-1].start)


def run_turn(turn: SpeakingTurn, now: DateTime) -> None:
    """Give the floor: the turn is speaking and its time runs (the caller checks that its
    item runs)."""
    turn.status = TurnStatus.SPEAKING
    if not turn.running:
        turn.spans.append(TimeSpan(start=now))


def pass_floor(
    turns: list[SpeakingTurn],
    item: AgendaItem | None,
    now: DateTime,
    *,
    round_id: str | None = None,
) -> tuple[list[SpeakingTurn], SpeakingTurn | None]:
    """Next speaker: the one speaking is done (spoke) and the first waiting on ``item`` (the
    current item) gets the floor, its time running only while the item runs. With
    ``round_id``: the round's first waiting turn, ahead of anyone queued on the item outside
    the round (who keep their places). Returns the turns changed and the new speaker (None
    when nobody waits). The service's save and the meeting screen's drawing of it ahead of
    the save both go through here."""
    changed: list[SpeakingTurn] = []
    current = speaking(turns)
    if current is not None:
        end_turn(current, now)
        changed.append(current)
    queue = waiting(turns, item.id) if item is not None else []
    if round_id is not None:
        queue = [t for t in queue if t.round_id == round_id]
    if item is None or not queue:
        return changed, None
    turn = queue[0]
    turn.status = TurnStatus.SPEAKING
    if item.running:
        run_turn(turn, now)
    changed.append(turn)
    return changed, turn


def reorder(before: list[SpeakingTurn], after: list[SpeakingTurn]) -> list[SpeakingTurn]:
    """Give the turns of ``after`` (``before`` in a new order) the positions ``before`` held,
    in order; returns those whose position changed."""
    positions = sorted(t.position for t in before)
    if len(set(positions)) != len(positions):  # (a hand-edited file): make them distinct
        positions = list(range(positions[0] if positions else 1, len(positions) + 1))
    changed = []
    for position, turn in zip(positions, after, strict=True):
        if turn.position != position:
            turn.position = position
            changed.append(turn)
    return changed


def moved(turns: list[SpeakingTurn], turn_id: str, offset: int) -> list[SpeakingTurn]:
    """``turns`` (the waiting list in order) with ``turn_id`` moved by ``offset`` places,
    clamped at both ends."""
    ids = [t.id for t in turns]
    if turn_id not in ids:
        raise ValidationError("That speaker is no longer waiting: only waiting turns move.")
    index = ids.index(turn_id)
    target = max(0, min(len(turns) - 1, index + offset))
    out = list(turns)
    out.insert(target, out.pop(index))
    return out


def note_line(turn: SpeakingTurn, note: str) -> str:
    """The line a turn's note adds to the item's notes, under the organization's name."""
    return f"{turn.speaker}: {note}"


def round_split(remaining_seconds: float, turns: int) -> int:
    """Whole seconds per turn when ``remaining_seconds`` are divided among ``turns``."""
    if turns <= 0:
        return 0
    return max(0, int(remaining_seconds // turns))


@dataclass(frozen=True)
class RoundProgress:
    """Who is left in a round and whether the item will end on time."""

    turns: list[SpeakingTurn]
    left: list[SpeakingTurn]  # queued or speaking, in order
    projected_seconds: float  # item time used + what the turns left need
    planned_seconds: int

    @property
    def on_time(self) -> bool:
        return self.projected_seconds <= self.planned_seconds

    @property
    def over_seconds(self) -> float:
        return max(0.0, self.projected_seconds - self.planned_seconds)


def round_progress(
    round_: SpeakingRound, turns: Iterable[SpeakingTurn], item: AgendaItem, now: DateTime
) -> RoundProgress:
    """A round's turns, those left, and the item's projected time if each turn left takes its
    share (the one speaking: what is left of its share)."""
    mine = [t for t in on_item(turns, item.id) if t.round_id == round_.id]
    left = [t for t in mine if not t.status.done]
    need = 0.0
    for turn in left:
        need += max(0.0, round_.turn_seconds - turn.elapsed_seconds(now))
    return RoundProgress(
        turns=mine,
        left=left,
        projected_seconds=item.elapsed_seconds(now) + need,
        planned_seconds=item.planned_minutes * 60,
    )


# --- airtime --------------------------------------------------------------------------------------


@dataclass
class Airtime:
    """Seconds spoken, by sector (stored values, in the order of ``Sector``) and by
    organization (in order of first speaking)."""

    by_sector: dict[str, float] = field(default_factory=dict)
    by_organization: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    sectors_not_heard: list[str] = field(default_factory=list)  # present, no time spoken yet

    def share(self, sector: str) -> float:
        """0..1 of the total spoken by ``sector``."""
        if self.total_seconds <= 0:
            return 0.0
        return self.by_sector.get(sector, 0.0) / self.total_seconds


def airtime(
    turns: Iterable[SpeakingTurn], now: DateTime, present_sectors: Iterable[str] = ()
) -> Airtime:
    """Time spoken in ``turns`` (any status: a turn's spans are the time it had the floor).
    ``present_sectors``: the sectors in the room, for those not heard yet."""
    ordered_turns = sorted(
        (t for t in turns if t.spans), key=lambda t: (t.spans[0].start, t.position, t.id)
    )
    sectors: dict[str, float] = {}
    orgs: dict[str, float] = {}
    total = 0.0
    for turn in ordered_turns:
        seconds = turn.elapsed_seconds(now)
        total += seconds
        sectors[turn.sector] = sectors.get(turn.sector, 0.0) + seconds
        orgs[turn.speaker] = orgs.get(turn.speaker, 0.0) + seconds
    by_sector = {s: sectors[s] for s in sorted(sectors, key=_sector_order)}
    heard = {s for s, seconds in sectors.items() if seconds > 0}
    not_heard: list[str] = []
    for sector in present_sectors:
        value = str(sector)
        if value not in heard and value not in not_heard:
            not_heard.append(value)
    return Airtime(
        by_sector=by_sector,
        by_organization=orgs,
        total_seconds=total,
        sectors_not_heard=not_heard,
    )


def who_spoke(turns: Iterable[SpeakingTurn], item_id: str) -> list[str]:
    """The organizations (or names) that spoke on an item, in order of first speaking, each
    once. Passed, skipped and queued turns are left out."""
    spoke = [
        t
        for t in turns
        if t.item_id == item_id and t.status in (TurnStatus.SPOKE, TurnStatus.SPEAKING)
    ]

    def order(turn: SpeakingTurn) -> tuple[int, str, int, str]:
        # Timed turns by when they started; a round turn marked spoke untimed, by its place.
        start = turn.spans[0].start.isoformat() if turn.spans else ""
        return (0 if turn.spans else 1, start, turn.position, turn.id)

    out: list[str] = []
    for turn in sorted(spoke, key=order):
        if turn.speaker not in out:
            out.append(turn.speaker)
    return out
