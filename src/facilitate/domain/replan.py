"""Re-planning: how to end on time when the meeting runs behind.

The proposal shortens the remaining, unpinned items in proportion to their planned time, never
below a minimum, and (when allowed) moves confidential or training items to the next meeting
when shortening alone cannot make it fit. Applying it changes exactly the items listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pendulum import DateTime

from .meeting import AgendaItem, ItemKind, Meeting
from .timer import remaining_items

DEFAULT_MIN_MINUTES = 2


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    title: str
    old_minutes: int
    new_minutes: int
    defer: bool = False

    def describe(self) -> str:
        if self.defer:
            return f"{self.title}: move to next meeting ({self.old_minutes} min freed)"
        return f"{self.title}: {self.old_minutes} -> {self.new_minutes} min"


@dataclass(frozen=True)
class ReplanProposal:
    available_minutes: int
    needed_minutes: int
    changes: list[ItemChange] = field(default_factory=list)

    @property
    def new_total(self) -> int:
        saved = sum(c.old_minutes - (0 if c.defer else c.new_minutes) for c in self.changes)
        return self.needed_minutes - saved

    @property
    def ends_on_time(self) -> bool:
        return self.new_total <= self.available_minutes

    @property
    def needed(self) -> bool:
        return self.needed_minutes > self.available_minutes


def _deferrable(item: AgendaItem) -> bool:
    return not item.pinned and (item.confidential or item.kind is ItemKind.TRAINING)


def _shrink(planned: dict[str, int], target: int, minimum: int) -> dict[str, int]:
    """Proportional shrink of ``planned`` to sum to at most ``target``, with a floor per item."""
    floors = {k: min(v, minimum) for k, v in planned.items()}
    if sum(planned.values()) <= target:
        return dict(planned)
    if sum(floors.values()) >= target:
        return floors
    free = dict(planned)
    fixed: dict[str, int] = {}
    while True:
        budget = target - sum(fixed.values())
        total = sum(free.values())
        factor = budget / total if total else 0.0
        newly_fixed = {k: floors[k] for k, v in free.items() if v * factor < floors[k]}
        if not newly_fixed:
            break
        fixed.update(newly_fixed)
        for k in newly_fixed:
            del free[k]
    result = dict(fixed)
    result.update({k: max(floors[k], math.floor(v * factor + 1e-9)) for k, v in free.items()})
    return result


def propose_replan(
    meeting: Meeting,
    items: list[AgendaItem],
    now: DateTime,
    *,
    min_minutes: int = DEFAULT_MIN_MINUTES,
    allow_defer: bool = True,
) -> ReplanProposal:
    current = next((i for i in items if i.id == meeting.current_item_id), None)
    current_left = 0
    if current is not None and not current.deferred:
        current_left = math.ceil(
            max(0.0, current.planned_minutes * 60 - current.elapsed_seconds(now)) / 60 - 1e-9
        )
    start_from = now if meeting.started_at is not None else max(now, meeting.start)
    available = math.floor((meeting.end - start_from).total_seconds() / 60 + 1e-9) - current_left
    available = max(0, available)
    future = remaining_items(items, meeting.current_item_id)
    needed = sum(i.planned_minutes for i in future)
    if needed <= available:
        return ReplanProposal(available_minutes=available, needed_minutes=needed)

    pinned_total = sum(i.planned_minutes for i in future if i.pinned)
    flexible = [i for i in future if not i.pinned]
    deferred: list[AgendaItem] = []

    def floor_total(candidates: list[AgendaItem]) -> int:
        return sum(min(i.planned_minutes, min_minutes) for i in candidates)

    if allow_defer:
        # Defer the largest deferrable items until the rest can fit at their minimums.
        for item in sorted(
            (i for i in flexible if _deferrable(i)), key=lambda i: (-i.planned_minutes, i.position)
        ):
            rest = [i for i in flexible if i not in deferred]
            if pinned_total + floor_total(rest) <= available:
                break
            deferred.append(item)

    keep = [i for i in flexible if i not in deferred]
    new_minutes = _shrink(
        {i.id: i.planned_minutes for i in keep}, available - pinned_total, min_minutes
    )
    changes = [
        ItemChange(i.id, i.title, i.planned_minutes, new_minutes[i.id])
        for i in keep
        if new_minutes[i.id] != i.planned_minutes
    ]
    changes += [ItemChange(i.id, i.title, i.planned_minutes, 0, defer=True) for i in deferred]
    order = {i.id: i.position for i in future}
    changes.sort(key=lambda c: order[c.item_id])
    return ReplanProposal(available_minutes=available, needed_minutes=needed, changes=changes)


def apply_replan(items: list[AgendaItem], proposal: ReplanProposal) -> list[AgendaItem]:
    """Apply exactly the listed changes; returns the changed items (for the caller to save)."""
    by_id = {i.id: i for i in items}
    changed: list[AgendaItem] = []
    for change in proposal.changes:
        item = by_id.get(change.item_id)
        if item is None:
            continue
        if change.defer:
            item.deferred = True
        else:
            item.planned_minutes = change.new_minutes
        changed.append(item)
    return changed
