"""Timer arithmetic. Everything is computed from stored instants and an injected clock:
no ticks are counted, so a restart, a crash or a sleeping laptop never causes drift."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from pendulum import DateTime

from .meeting import AgendaItem, Meeting

WARNING_FRACTION = 0.8
# An item entered and left within this many seconds was passed over, not held: its visit
# leaves no time behind (a quick double "n", a step back from the case-review reminder).
GRACE_SECONDS = 30


class TimerState(StrEnum):
    IDLE = "idle"
    NORMAL = "normal"
    WARNING = "warning"
    OVERRUN = "overrun"


def fmt_mmss(seconds: float) -> str:
    """Whole seconds, floored, as m:ss (or h:mm:ss from an hour up)."""
    total = max(0, math.floor(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class ItemClock:
    planned_seconds: int
    elapsed_seconds: float
    running: bool

    @property
    def remaining_seconds(self) -> float:
        return self.planned_seconds - self.elapsed_seconds

    @property
    def state(self) -> TimerState:
        if not self.running and self.elapsed_seconds == 0:
            return TimerState.IDLE
        if self.elapsed_seconds >= self.planned_seconds:
            return TimerState.OVERRUN
        if self.elapsed_seconds >= WARNING_FRACTION * self.planned_seconds:
            return TimerState.WARNING
        return TimerState.NORMAL

    @property
    def progress(self) -> float:
        """0..1 of the planned time used (capped at 1)."""
        if self.planned_seconds <= 0:
            return 1.0
        return min(1.0, self.elapsed_seconds / self.planned_seconds)

    @property
    def display(self) -> str:
        """The countdown: remaining m:ss, or "over by m:ss" once the planned time is used.

        Remaining time is rounded up so the display reads 0:00 exactly at the planned end.
        """
        remaining = self.remaining_seconds
        if remaining > 0:
            return fmt_mmss(math.ceil(remaining - 1e-9))
        return f"over by {fmt_mmss(-remaining)}"


def seconds_to_next_change(elapsed_seconds: float) -> float:
    """How long until a running countdown shows a new value: remaining time is shown rounded
    up and overrun rounded down, both from whole planned seconds, so the display changes
    exactly when the elapsed time crosses a whole second. Always in (0, 1]."""
    fraction = elapsed_seconds % 1.0
    return 1.0 - fraction if fraction > 0 else 1.0


def item_clock(item: AgendaItem, now: DateTime) -> ItemClock:
    return ItemClock(
        planned_seconds=item.planned_minutes * 60,
        elapsed_seconds=item.elapsed_seconds(now),
        running=item.running,
    )


def crossed_into_overrun(before: TimerState, after: TimerState) -> bool:
    """True exactly once per crossing: the moment to ring the bell."""
    return after is TimerState.OVERRUN and before is not TimerState.OVERRUN


def ordered(items: list[AgendaItem]) -> list[AgendaItem]:
    return sorted(items, key=lambda i: (i.position, i.id))


def remaining_items(items: list[AgendaItem], current_id: str | None) -> list[AgendaItem]:
    """Items still to come: not yet started, not deferred, and not the current one.

    An item skipped over (the facilitator jumped past it) is still to come wherever it sits:
    it is taken up later or deferred explicitly. An item that was started and left has used
    its turn; its leftover time counts again only while it is current (a revisit)."""
    return [i for i in ordered(items) if not i.deferred and not i.started and i.id != current_id]


@dataclass(frozen=True)
class MeetingClock:
    now: DateTime
    scheduled_start: DateTime
    scheduled_end: DateTime
    projected_end: DateTime
    elapsed_seconds: float

    @property
    def behind_minutes(self) -> int:
        """Whole minutes the projected end lies past the scheduled end (rounded up)."""
        over = (self.projected_end - self.scheduled_end).total_seconds()
        return max(0, math.ceil(over / 60 - 1e-9))

    @property
    def on_track(self) -> bool:
        return self.behind_minutes == 0

    @property
    def status_text(self) -> str:
        return "on track" if self.on_track else f"behind by {self.behind_minutes} min"


def meeting_clock(meeting: Meeting, items: list[AgendaItem], now: DateTime) -> MeetingClock:
    """Projected end = now (or the scheduled start, if later) + the planned time still to come."""
    current = next((i for i in items if i.id == meeting.current_item_id), None)
    remaining = 0.0
    if current is not None and not current.deferred:
        remaining += max(0.0, current.planned_minutes * 60 - current.elapsed_seconds(now))
    remaining += sum(
        i.planned_minutes * 60 for i in remaining_items(items, meeting.current_item_id)
    )
    base = now if meeting.started_at is not None else max(now, meeting.start)
    if meeting.ended_at is not None:
        base, remaining = meeting.ended_at, 0.0
    elapsed = 0.0
    if meeting.started_at is not None:
        stop = meeting.ended_at or now
        elapsed = max(0.0, (stop - meeting.started_at).total_seconds())
    return MeetingClock(
        now=now,
        scheduled_start=meeting.start,
        scheduled_end=meeting.end,
        projected_end=base.add(seconds=remaining),
        elapsed_seconds=elapsed,
    )


# --- Live transitions (pure: they change the given objects, the caller persists them) ---


def close_open_span(item: AgendaItem, now: DateTime) -> None:
    if item.running:
        item.spans[-1].end = max(now, item.spans[-1].start)


def open_span(item: AgendaItem, now: DateTime) -> None:
    from .meeting import TimeSpan

    if not item.running:
        item.spans.append(TimeSpan(start=now))


def leave_item(item: AgendaItem, now: DateTime, *, grace: float = GRACE_SECONDS) -> None:
    """Close the running span of an item being left. A visit shorter than ``grace`` seconds
    is dropped: the item keeps its turn (still pending, its planned time still projected and
    re-planned, no "Used" time). Earlier spans of a revisited item are kept."""
    if not item.running:
        return
    close_open_span(item, now)
    if item.spans[-1].seconds(now) < grace:
        item.spans.pop()


def back_out(item: AgendaItem, now: DateTime) -> None:
    """Undo entering an item (the room was not ready for it): its last visit is dropped
    however long the reminder was up."""
    if item.running:
        item.spans.pop()
