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


def leave_item(
    item: AgendaItem,
    now: DateTime,
    *,
    grace: float = GRACE_SECONDS,
    visit_from: DateTime | None = None,
) -> None:
    """Close the running span of an item being left. A visit that used less than ``grace``
    seconds of meeting time is dropped: the item keeps its turn (still pending, its planned
    time still projected and re-planned, no "Used" time). The visit is the spans from
    ``visit_from`` on (an item paused and resumed has several), or the last span when it is
    not given. Earlier visits of a revisited item are kept."""
    close_open_span(item, now)
    if not item.spans:
        return
    since = visit_from or item.spans[-1].start
    visit = sum(1 for span in item.spans if span.start >= since)
    if visit and sum(span.seconds(now) for span in item.spans[-visit:]) < grace:
        del item.spans[-visit:]


def visit_start(items: list[AgendaItem], item: AgendaItem) -> DateTime | None:
    """When the current visit of ``item`` began: after the last span of any other item (one
    item runs at a time, so the spans of ``item`` since then, pauses between them, are this
    visit). None when no other item has run: all its spans are this visit. (An item passed
    over in between left no span: coming back to the item before continues its visit.)"""
    ends = [
        span.end
        for other in items
        if other.id != item.id
        for span in other.spans
        if span.end is not None
    ]
    return max(ends) if ends else None


def _spans(item: AgendaItem) -> list[tuple[DateTime, DateTime | None]]:
    return [(span.start, span.end) for span in item.spans]


def leave_current(meeting: Meeting, items: list[AgendaItem], now: DateTime) -> list[AgendaItem]:
    """Leave the current item and close any other running one: the grace period applies to
    the current item's visit whether it runs or is paused (n, previous item, Enter on an
    item, ending the meeting). Returns the items that changed."""
    changed = []
    for item in items:
        if not item.spans or (not item.running and item.id != meeting.current_item_id):
            continue
        before = _spans(item)
        leave_item(item, now, visit_from=visit_start(items, item) or item.spans[0].start)
        if _spans(item) != before:
            changed.append(item)
    return changed


def move_to(
    meeting: Meeting, items: list[AgendaItem], item_id: str | None, now: DateTime
) -> list[AgendaItem]:
    """Make ``item_id`` the current item (None: no item): the item left keeps no time if its
    visit was shorter than the grace period, the new one runs (a new span) and the meeting is
    no longer paused. ``items`` are the meeting's items (the target among them). Returns the
    items that changed; the caller saves them and the meeting. The live meeting's step and
    the meeting screen's preview of it both go through here."""
    changed: list[AgendaItem] = []
    if meeting.current_item_id != item_id:
        changed = leave_current(meeting, items, now)
    else:
        for item in items:  # (another item left running: only closed)
            if item.id != item_id and item.running:
                close_open_span(item, now)
                changed.append(item)
    target = next((i for i in items if i.id == item_id), None)
    if target is not None and not target.running:
        open_span(target, now)
        if target not in changed:
            changed.append(target)
    meeting.current_item_id = item_id
    meeting.paused = False
    return changed


def back_out(item: AgendaItem, now: DateTime) -> None:
    """Undo entering an item (the room was not ready for it): its last visit is dropped
    however long the reminder was up."""
    if item.running:
        item.spans.pop()
