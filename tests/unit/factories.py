"""Small builders for domain objects used across the unit tests (no I/O, no real clock)."""

from __future__ import annotations

from typing import Any

import pendulum
from pendulum import DateTime

from facilitate.domain.meeting import AgendaItem, ItemKind, Meeting, TimeSpan

T0 = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


def at(minutes: float = 0, seconds: float = 0, base: DateTime = T0) -> DateTime:
    """An instant relative to ``base`` (09:00 UTC on 2026-11-22 by default)."""
    return base.add(seconds=minutes * 60 + seconds)


def make_meeting(
    *,
    start: DateTime = T0,
    minutes: int = 120,
    started: bool = False,
    current_item_id: str | None = None,
    **kwargs,
) -> Meeting:
    meeting = Meeting(
        title="Task force monthly",
        start=start,
        end=start.add(minutes=minutes),
        started_at=start if started else None,
        current_item_id=current_item_id,
        **kwargs,
    )
    return meeting.validate()


def make_item(
    title: str = "Item",
    planned: int = 10,
    *,
    position: int = 0,
    kind: ItemKind = ItemKind.OTHER,
    spans: list[tuple[DateTime, DateTime | None]] | None = None,
    item_id: str | None = None,
    **kwargs,
) -> AgendaItem:
    extra: dict[str, Any] = {"id": item_id} if item_id else {}
    return AgendaItem(
        meeting_id="mtg-test",
        title=title,
        planned_minutes=planned,
        position=position,
        kind=kind,
        spans=[TimeSpan(start=s, end=e) for s, e in (spans or [])],
        **extra,
        **kwargs,
    )


def make_agenda(*planned: int, **kwargs) -> list[AgendaItem]:
    """Items at positions 0..n-1 with ids itm-0..itm-(n-1)."""
    return [
        make_item(f"Item {n}", p, position=n, item_id=f"itm-{n}", **kwargs)
        for n, p in enumerate(planned)
    ]
