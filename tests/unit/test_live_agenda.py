"""The live agenda's rules (issue 16): where an added item goes, moving up and down past the
shown items, and which items may be dropped to the next meeting."""

from __future__ import annotations

import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.live_agenda import check_droppable, insert_after, move
from facilitate.domain.meeting import AgendaItem, TimeSpan
from facilitate.domain.timer import ordered

from .factories import at


def _agenda(*titles: str) -> list[AgendaItem]:
    return [
        AgendaItem(id=f"itm-{n}", meeting_id="m", title=t, position=n * 10)
        for n, t in enumerate(titles)
    ]


def _titles(items: list[AgendaItem]) -> list[str]:
    return [i.title for i in ordered(items) if not i.deferred]


def test_an_added_item_goes_right_after_the_selected_one() -> None:
    items = _agenda("Opening", "Report-backs", "Close")
    new = AgendaItem(meeting_id="m", title="Urgent: shelter capacity")
    changed = insert_after(items, new, "itm-0")
    assert _titles([*items, new]) == [
        "Opening",
        "Urgent: shelter capacity",
        "Report-backs",
        "Close",
    ]
    assert new not in changed and {i.id for i in changed} == {
        "itm-1",
        "itm-2",
    }  # (the first stays at 0)


def test_an_added_item_without_a_place_goes_last() -> None:
    items = _agenda("Opening", "Close")
    new = AgendaItem(meeting_id="m", title="AOB")
    insert_after(items, new, None)
    assert _titles([*items, new]) == ["Opening", "Close", "AOB"]


def test_moving_passes_over_deferred_items_and_stops_at_the_ends() -> None:
    items = _agenda("A", "B", "C", "D")
    items[2].deferred = True  # C has no row
    changed = move(items, "itm-3", -1)
    assert _titles(items) == ["A", "D", "B"]
    assert changed
    assert move(items, "itm-0", -1) == []  # first already
    move(items, "itm-0", +1)
    assert _titles(items) == ["D", "A", "B"]
    with pytest.raises(ValidationError, match="not on the agenda"):
        move(items, "itm-2", +1)


def test_only_items_not_taken_up_can_be_dropped() -> None:
    waiting, running, done = _agenda("Waiting", "Running", "Done")
    running.spans.append(TimeSpan(start=at(0)))
    done.spans.append(TimeSpan(start=at(0), end=at(5)))
    check_droppable(waiting, current_id="itm-1")
    with pytest.raises(ValidationError, match="current item"):
        check_droppable(running, current_id="itm-1")
    with pytest.raises(ValidationError, match="already discussed"):
        check_droppable(done, current_id="itm-1")
    waiting.deferred = True
    with pytest.raises(ValidationError, match="already moved"):
        check_droppable(waiting, current_id=None)
