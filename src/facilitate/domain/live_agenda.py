"""Changing the agenda during the meeting: where an added item goes, moving an item up or down,
and which items may be dropped (deferred to the next meeting). Pure rules; the caller saves
the items they return."""

from __future__ import annotations

from .common import ValidationError
from .meeting import AgendaItem
from .timer import ordered


def _renumber(items: list[AgendaItem]) -> list[AgendaItem]:
    """Give ``items`` (in their new order) positions 0, 1, 2...; returns the ones that moved."""
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    return changed


def insert_after(
    items: list[AgendaItem], new: AgendaItem, after_id: str | None
) -> list[AgendaItem]:
    """Place ``new`` right after ``after_id`` (at the end when None or not found). Returns the
    existing items whose position changed (``new`` gets its position too)."""
    order = ordered(items)
    at = next((n + 1 for n, i in enumerate(order) if i.id == after_id), len(order))
    order.insert(at, new)
    return [i for i in _renumber(order) if i is not new]


def move(items: list[AgendaItem], item_id: str, offset: int) -> list[AgendaItem]:
    """Move an item up (-1) or down (+1) past the next item shown (deferred items have no row
    and are passed over). Returns the items whose position changed; [] at either end."""
    order = ordered(items)
    shown = [i for i in order if not i.deferred]
    index = next((n for n, i in enumerate(shown) if i.id == item_id), None)
    if index is None:
        raise ValidationError("That item is not on the agenda (moved to the next meeting?).")
    target = index + offset
    if not 0 <= target < len(shown):
        return []
    a, b = shown[index], shown[target]
    ia, ib = order.index(a), order.index(b)
    order[ia], order[ib] = b, a
    return _renumber(order)


def check_droppable(item: AgendaItem, current_id: str | None) -> None:
    """An item can be dropped (deferred to the next meeting) if it has not been taken up."""
    if item.deferred:
        raise ValidationError(f"{item.title!r} is already moved to the next meeting.")
    if item.id == current_id or item.running:
        raise ValidationError(
            f"{item.title!r} is the current item: go to another item first (n), then drop it."
        )
    if item.started:
        raise ValidationError(
            f"{item.title!r} was already discussed (it has time used): it stays in the minutes."
        )
