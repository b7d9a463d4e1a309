"""replan.py: ending on time by shrinking, flooring, pinning and deferring."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.domain.meeting import AgendaItem, ItemKind, Meeting
from facilitate.domain.replan import (
    DEFAULT_MIN_MINUTES,
    ItemChange,
    ReplanProposal,
    apply_replan,
    propose_replan,
)
from facilitate.domain.timer import remaining_items

from .factories import T0, at, make_agenda, make_item, make_meeting


def new_minutes(items: list[AgendaItem], proposal: ReplanProposal) -> dict[str, int | str]:
    """Item id -> minutes after the proposal, or 'deferred'."""
    result: dict[str, int | str] = {i.id: i.planned_minutes for i in items}
    for change in proposal.changes:
        result[change.item_id] = "deferred" if change.defer else change.new_minutes
    return result


def started_meeting(minutes: int = 60, **kwargs) -> Meeting:
    return make_meeting(minutes=minutes, started=True, **kwargs)


# --------------------------------------------------------------------------- no change


@pytest.mark.parametrize("planned", [(20, 20, 20), (10,), (), (0, 0), (59,)])
def test_no_change_when_on_time(planned: tuple[int, ...]) -> None:
    items = make_agenda(*planned)
    proposal = propose_replan(started_meeting(60), items, at(0))
    assert proposal.changes == []
    assert proposal.available_minutes == 60
    assert proposal.needed_minutes == sum(planned)
    assert not proposal.needed
    assert proposal.ends_on_time
    assert proposal.new_total == sum(planned)


def test_one_minute_over_is_a_needed_replan() -> None:
    proposal = propose_replan(started_meeting(60), make_agenda(30, 31), at(0))
    assert proposal.needed
    assert proposal.changes
    assert proposal.ends_on_time


# --------------------------------------------------------------------------- available time


@pytest.mark.parametrize(
    ("now", "started", "available"),
    [
        (at(-30), False, 60),  # before the start: the whole slot
        (at(0), True, 60),
        (at(15), True, 45),
        (at(15, 59), True, 44),  # partial minutes are not available
        (at(15), False, 45),  # late start
        (at(60), True, 0),
        (at(90), True, 0),  # never negative
    ],
)
def test_available_minutes(now, started: bool, available: int) -> None:
    meeting = make_meeting(minutes=60, started=started)
    proposal = propose_replan(meeting, make_agenda(200), now)
    assert proposal.available_minutes == available


def test_current_item_time_left_is_reserved() -> None:
    items = make_agenda(20, 30, 30)
    items[0].spans = make_item(spans=[(at(0), None)]).spans
    meeting = started_meeting(60, current_item_id="itm-0")
    proposal = propose_replan(meeting, items, at(10))
    # 50 min left in the slot, 10 of them for the current item.
    assert proposal.available_minutes == 40
    assert proposal.needed_minutes == 60
    assert new_minutes(items, proposal) == {"itm-0": 20, "itm-1": 20, "itm-2": 20}
    # Half a minute into the next minute: the current item's remainder rounds up.
    proposal = propose_replan(meeting, items, at(10, 30))
    assert proposal.available_minutes == 49 - 10


def test_overrunning_current_item_reserves_nothing() -> None:
    items = make_agenda(10, 30, 30)
    items[0].spans = make_item(spans=[(at(0), None)]).spans
    proposal = propose_replan(started_meeting(60, current_item_id="itm-0"), items, at(20))
    assert proposal.available_minutes == 40
    assert "itm-0" not in {c.item_id for c in proposal.changes}


# --------------------------------------------------------------------------- shrinking


@pytest.mark.parametrize(
    ("planned", "available", "expected"),
    [
        ((40, 40), 60, [30, 30]),
        ((60, 30, 30), 60, [30, 15, 15]),
        ((45, 45, 30), 60, [22, 22, 15]),  # floor of exact shares; never over the budget
        ((100, 4, 4), 20, [16, 2, 2]),  # small items stop at the minimum, the big one pays
        ((1, 50, 50), 21, [1, 10, 10]),  # a plan already under the minimum is left alone
        ((0, 30, 30), 20, [0, 10, 10]),
        ((10, 10, 10), 6, [2, 2, 2]),  # exactly the minimums
        ((10, 10, 10), 3, [2, 2, 2]),  # cannot fit: everything at its minimum
    ],
)
def test_proportional_shrink(planned: tuple[int, ...], available: int, expected: list[int]) -> None:
    items = make_agenda(*planned)
    proposal = propose_replan(started_meeting(available), items, at(0))
    after = new_minutes(items, proposal)
    assert [after[i.id] for i in items] == expected
    assert proposal.new_total == sum(expected)
    assert proposal.ends_on_time is (sum(expected) <= available)
    # Only real changes are listed, in agenda order, with the right old values.
    changed = [i for i, e in zip(items, expected, strict=True) if i.planned_minutes != e]
    assert [c.item_id for c in proposal.changes] == [i.id for i in changed]
    assert [c.old_minutes for c in proposal.changes] == [i.planned_minutes for i in changed]
    assert not any(c.defer for c in proposal.changes)


@pytest.mark.parametrize("minimum", [0, 1, 3, 5])
def test_min_minutes_is_respected(minimum: int) -> None:
    items = make_agenda(100, 6, 6, 2)
    proposal = propose_replan(started_meeting(20), items, at(0), min_minutes=minimum)
    after = new_minutes(items, proposal)
    for item in items:
        minutes = after[item.id]
        assert isinstance(minutes, int)  # (nothing deferred)
        assert min(item.planned_minutes, minimum) <= minutes <= item.planned_minutes
    assert proposal.ends_on_time


def test_default_min_minutes() -> None:
    assert DEFAULT_MIN_MINUTES == 2


def test_pinned_items_are_unchanged() -> None:
    items = make_agenda(30, 30, 30)
    items[0].pinned = True
    proposal = propose_replan(started_meeting(60), items, at(0))
    assert new_minutes(items, proposal) == {"itm-0": 30, "itm-1": 15, "itm-2": 15}
    assert proposal.ends_on_time


def test_pinned_items_over_the_slot_cannot_end_on_time() -> None:
    items = make_agenda(70, 10, 10)
    items[0].pinned = True
    proposal = propose_replan(started_meeting(60), items, at(0))
    assert new_minutes(items, proposal) == {"itm-0": 70, "itm-1": 2, "itm-2": 2}
    assert proposal.new_total == 74
    assert not proposal.ends_on_time


# --------------------------------------------------------------------------- deferring


def deferrable_agenda() -> list[AgendaItem]:
    items = make_agenda(10, 10, 10)
    items.append(
        make_item("Case review", 20, position=3, item_id="itm-case", kind=ItemKind.CASE_REVIEW)
    )
    items.append(make_item("Training", 15, position=4, item_id="itm-train", kind=ItemKind.TRAINING))
    return items


def test_defers_confidential_and_training_when_shrinking_cannot_fit() -> None:
    items = deferrable_agenda()  # 5 items, minimums total 10
    proposal = propose_replan(started_meeting(7), items, at(0))
    assert new_minutes(items, proposal) == {
        "itm-0": 2,
        "itm-1": 2,
        "itm-2": 2,
        "itm-case": "deferred",
        "itm-train": "deferred",
    }
    assert proposal.ends_on_time
    assert proposal.new_total == 6
    deferred = [c for c in proposal.changes if c.defer]
    assert [(c.item_id, c.old_minutes, c.new_minutes) for c in deferred] == [
        ("itm-case", 20, 0),
        ("itm-train", 15, 0),
    ]


def test_defers_the_largest_first_and_no_more_than_needed() -> None:
    items = deferrable_agenda()
    proposal = propose_replan(started_meeting(8), items, at(0))
    after = new_minutes(items, proposal)
    assert after["itm-case"] == "deferred"
    assert after["itm-train"] == 2
    assert proposal.ends_on_time


@pytest.mark.parametrize("available", [10, 20, 40, 64])
def test_no_deferral_when_shrinking_fits(available: int) -> None:
    items = deferrable_agenda()  # 65 planned, minimums 10
    proposal = propose_replan(started_meeting(available), items, at(0))
    assert not any(c.defer for c in proposal.changes)
    assert proposal.ends_on_time


def test_no_deferral_when_not_allowed() -> None:
    items = deferrable_agenda()
    proposal = propose_replan(started_meeting(7), items, at(0), allow_defer=False)
    assert not any(c.defer for c in proposal.changes)
    assert set(new_minutes(items, proposal).values()) == {2}
    assert not proposal.ends_on_time


def test_pinned_confidential_items_are_never_deferred() -> None:
    items = deferrable_agenda()
    for item in items[3:]:
        item.pinned = True
    proposal = propose_replan(started_meeting(7), items, at(0))
    after = new_minutes(items, proposal)
    assert after["itm-case"] == 20
    assert after["itm-train"] == 15
    assert "deferred" not in after.values()
    assert not proposal.ends_on_time


def test_ordinary_items_are_never_deferred() -> None:
    items = make_agenda(30, 30, 30)
    items[1].confidential = True
    proposal = propose_replan(started_meeting(4), items, at(0))
    assert [c.item_id for c in proposal.changes if c.defer] == ["itm-1"]


def test_item_change_describe() -> None:
    assert ItemChange("i", "Report-backs", 20, 12).describe() == "Report-backs: 20 -> 12 min"
    assert (
        ItemChange("i", "Case review", 20, 0, defer=True).describe()
        == "Case review: move to next meeting (20 min freed)"
    )


# --------------------------------------------------------------------------- apply_replan


def test_apply_replan_changes_exactly_the_listed_items() -> None:
    items = deferrable_agenda()
    items[1].pinned = True
    items.append(make_item("Done", 10, position=-1, item_id="itm-done", spans=[(at(-5), at(0))]))
    before = copy.deepcopy(items)
    proposal = propose_replan(started_meeting(17), items, at(0))
    listed = {c.item_id: c for c in proposal.changes}
    assert listed  # the scenario does need changes

    changed = apply_replan(items, proposal)

    assert [i.id for i in changed] == [c.item_id for c in proposal.changes]
    for old, new in zip(before, items, strict=True):
        change = listed.get(old.id)
        if change is None:
            assert new == old, old.id
        elif change.defer:
            assert new.deferred is True
            assert dataclasses.replace(new, deferred=False) == old
        else:
            assert new.planned_minutes == change.new_minutes
            assert dataclasses.replace(new, planned_minutes=old.planned_minutes) == old
    assert sum(i.planned_minutes for i in remaining_items(items, None)) == proposal.new_total


def test_apply_replan_skips_unknown_items_and_empty_proposals() -> None:
    items = make_agenda(10, 10)
    before = copy.deepcopy(items)
    proposal = ReplanProposal(
        available_minutes=5,
        needed_minutes=20,
        changes=[ItemChange("itm-gone", "Gone", 10, 2), ItemChange("itm-1", "Item 1", 10, 3)],
    )
    changed = apply_replan(items, proposal)
    assert [i.id for i in changed] == ["itm-1"]
    assert items[0] == before[0]
    assert items[1].planned_minutes == 3
    assert apply_replan(items, ReplanProposal(available_minutes=1, needed_minutes=1)) == []


# --------------------------------------------------------------------------- properties

KINDS = [ItemKind.OTHER, ItemKind.TRAINING, ItemKind.CASE_REVIEW, ItemKind.REPORT_BACKS]


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    slot = draw(st.integers(min_value=5, max_value=300))
    started = draw(st.booleans())
    now = at(draw(st.integers(min_value=-30, max_value=slot + 30)), draw(st.integers(0, 59)))
    n = draw(st.integers(min_value=0, max_value=9))
    items = []
    for k in range(n):
        item = make_item(
            f"Item {k}",
            draw(st.integers(min_value=0, max_value=120)),
            position=draw(st.integers(0, 5)),
            item_id=f"itm-{k}",
            kind=draw(st.sampled_from(KINDS)),
            pinned=draw(st.booleans()),
            confidential=draw(st.booleans()),
            deferred=draw(st.integers(0, 9)) == 0,
        )
        if draw(st.integers(0, 4)) == 0:
            item.spans = make_item(spans=[(at(-20), at(-10))]).spans
        items.append(item)
    current_id = None
    if items and started and draw(st.booleans()):
        current = draw(st.sampled_from(items))
        current.spans = make_item(spans=[(at(-1), at(0)), (now.subtract(seconds=90), None)]).spans
        current_id = current.id
    meeting = Meeting(
        title="M",
        start=T0,
        end=T0.add(minutes=slot),
        started_at=T0 if started else None,
        current_item_id=current_id,
    )
    return {
        "meeting": meeting,
        "items": items,
        "now": now,
        "min_minutes": draw(st.integers(min_value=0, max_value=10)),
        "allow_defer": draw(st.booleans()),
    }


def expected_available(meeting: Meeting, items: list[AgendaItem], now) -> int:
    """Whole minutes from now (or the scheduled start) to the end, less the current item's rest."""
    start_from = now if meeting.started_at is not None else max(now, meeting.start)
    slot_left = int((meeting.end - start_from).total_seconds()) // 60
    current = next((i for i in items if i.id == meeting.current_item_id), None)
    current_left = 0
    if current is not None and not current.deferred:
        rest = max(0, current.planned_minutes * 60 - int(current.elapsed_seconds(now)))
        current_left = -(-rest // 60)  # whole minutes, rounded up
    return max(0, slot_left - current_left)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_replan_properties(scenario: dict) -> None:
    meeting, items, now = scenario["meeting"], scenario["items"], scenario["now"]
    minimum, allow_defer = scenario["min_minutes"], scenario["allow_defer"]
    before = copy.deepcopy(items)
    future = remaining_items(items, meeting.current_item_id)
    future_ids = {i.id for i in future}

    proposal = propose_replan(meeting, items, now, min_minutes=minimum, allow_defer=allow_defer)

    assert proposal.available_minutes == expected_available(meeting, items, now)
    assert proposal.needed_minutes == sum(i.planned_minutes for i in future)
    change_ids = [c.item_id for c in proposal.changes]
    assert len(change_ids) == len(set(change_ids))
    assert set(change_ids) <= future_ids
    if not proposal.needed:
        assert proposal.changes == []

    apply_replan(items, proposal)
    old_by_id = {i.id: i for i in before}
    deferred_now = {c.item_id for c in proposal.changes if c.defer}
    for item in items:
        old = old_by_id[item.id]
        if item.id not in change_ids:
            assert item == old
            continue
        assert item.planned_minutes <= old.planned_minutes  # never increases
        assert not old.pinned  # pinned items are never touched
        if item.id in deferred_now:
            assert allow_defer
            assert item.deferred
            assert old.confidential or old.kind is ItemKind.TRAINING
        else:
            assert item.planned_minutes < old.planned_minutes
            if old.planned_minutes >= minimum:
                assert item.planned_minutes >= minimum
            else:
                pytest.fail(f"{item.id} was already under the minimum but got changed")

    after_future = remaining_items(items, meeting.current_item_id)
    new_total = sum(i.planned_minutes for i in after_future)
    assert new_total == proposal.new_total
    if proposal.ends_on_time:
        assert new_total <= proposal.available_minutes

    # Deferral is a last resort: only when every flexible item at its minimum would not fit.
    pinned_total = sum(i.planned_minutes for i in future if i.pinned)
    flexible = [i for i in future if not i.pinned]
    floors = sum(min(i.planned_minutes, minimum) for i in flexible)
    if deferred_now:
        assert pinned_total + floors > proposal.available_minutes

    # When it cannot end on time, it has done all it could: every kept flexible item is at
    # its minimum and (when allowed) every deferrable item has been deferred.
    if not proposal.ends_on_time:
        for item in after_future:
            if not item.pinned:
                assert item.planned_minutes == min(old_by_id[item.id].planned_minutes, minimum)
                if allow_defer:
                    assert not (item.confidential or item.kind is ItemKind.TRAINING)
