"""timer.py: countdowns, states, the meeting clock. Fixed instants and a fake clock only."""

from __future__ import annotations

import itertools

import pytest
from pendulum import DateTime

from facilitate.domain.meeting import AgendaItem
from facilitate.domain.timer import (
    ItemClock,
    TimerState,
    close_open_span,
    crossed_into_overrun,
    fmt_mmss,
    item_clock,
    meeting_clock,
    open_span,
    ordered,
    remaining_items,
)

from .factories import T0, at, make_agenda, make_item, make_meeting


class FakeClock:
    """A clock that only moves when told to, in whole microseconds (no float drift)."""

    def __init__(self, start: DateTime) -> None:
        self.start = start
        self.micros = 0

    def __call__(self) -> DateTime:
        return self.start.add(microseconds=self.micros)

    def advance(self, *, seconds: int = 0, minutes: int = 0, micros: int = 0) -> int:
        step = (minutes * 60 + seconds) * 1_000_000 + micros
        self.micros += step
        return step


# --------------------------------------------------------------------------- fmt_mmss


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (0.999, "0:00"),
        (1, "0:01"),
        (59.9, "0:59"),
        (60, "1:00"),
        (61, "1:01"),
        (599, "9:59"),
        (600, "10:00"),
        (3599, "59:59"),
        (3599.99, "59:59"),
        (3600, "1:00:00"),
        (3661, "1:01:01"),
        (7325, "2:02:05"),
        (36000, "10:00:00"),
        (-5, "0:00"),
        (-0.5, "0:00"),
    ],
)
def test_fmt_mmss(seconds: float, text: str) -> None:
    assert fmt_mmss(seconds) == text


# --------------------------------------------------------------------------- ItemClock states


@pytest.mark.parametrize(
    ("planned", "elapsed", "running", "state"),
    [
        (600, 0, False, TimerState.IDLE),
        (600, 0, True, TimerState.NORMAL),
        (600, 1, True, TimerState.NORMAL),
        (600, 479.999, True, TimerState.NORMAL),
        (600, 480, True, TimerState.WARNING),  # exactly 80 %
        (600, 480, False, TimerState.WARNING),  # paused in the warning zone
        (600, 599.999, True, TimerState.WARNING),
        (600, 600, True, TimerState.OVERRUN),  # exactly 100 %
        (600, 600, False, TimerState.OVERRUN),
        (600, 5000, True, TimerState.OVERRUN),
        (300, 240, True, TimerState.WARNING),
        (300, 239.9, True, TimerState.NORMAL),
        (60, 48, True, TimerState.WARNING),
        (60, 100, False, TimerState.OVERRUN),
        (600, 120, False, TimerState.NORMAL),  # paused, not idle: time was spent
        (0, 0, True, TimerState.OVERRUN),  # a zero-minute item is over as soon as it runs
        (0, 0, False, TimerState.IDLE),
    ],
)
def test_item_clock_state(planned: int, elapsed: float, running: bool, state: TimerState) -> None:
    assert ItemClock(planned, elapsed, running).state is state


@pytest.mark.parametrize(
    ("planned", "elapsed", "display"),
    [
        (600, 0, "10:00"),
        (600, 0.001, "10:00"),  # rounds up: a fresh countdown shows the full time
        (600, 0.5, "10:00"),
        (600, 1, "9:59"),
        (600, 1.5, "9:59"),
        (600, 540.2, "1:00"),
        (600, 599, "0:01"),
        (600, 599.5, "0:01"),  # never reads 0:00 before the planned end
        (600, 599.999999, "0:01"),
        (600, 600.5, "over by 0:00"),
        (600, 601, "over by 0:01"),
        (600, 659.9, "over by 0:59"),
        (600, 725, "over by 2:05"),
        (60, 3700, "over by 1:00:40"),
        (3600, 0, "1:00:00"),
        (3600, 0.25, "1:00:00"),
    ],
)
def test_item_clock_display(planned: int, elapsed: float, display: str) -> None:
    assert ItemClock(planned, elapsed, True).display == display


def test_countdown_reads_zero_exactly_at_the_planned_end() -> None:
    clock = ItemClock(600, 600, True)
    assert clock.remaining_seconds == 0
    assert clock.state is TimerState.OVERRUN
    assert clock.display.endswith("0:00")
    assert ItemClock(600, 599.999, True).display == "0:01"


@pytest.mark.parametrize(
    ("planned", "elapsed", "progress"),
    [(600, 0, 0.0), (600, 300, 0.5), (600, 600, 1.0), (600, 900, 1.0), (0, 0, 1.0)],
)
def test_item_clock_progress(planned: int, elapsed: float, progress: float) -> None:
    assert ItemClock(planned, elapsed, True).progress == progress


def test_item_clock_from_an_item() -> None:
    item = make_item(planned=10, spans=[(at(0), at(3)), (at(5), None)])
    clock = item_clock(item, at(9))
    assert clock.planned_seconds == 600
    assert clock.elapsed_seconds == 420
    assert clock.running is True
    assert clock.state is TimerState.NORMAL
    assert clock.display == "3:00"
    assert item_clock(item, at(10)).state is TimerState.WARNING  # 8 of 10 min: exactly 80 %
    assert item_clock(make_item(planned=10), at(9)).state is TimerState.IDLE


# --------------------------------------------------------------------------- crossed_into_overrun


@pytest.mark.parametrize(
    ("before", "after", "rings"),
    [
        (TimerState.IDLE, TimerState.OVERRUN, True),
        (TimerState.NORMAL, TimerState.OVERRUN, True),
        (TimerState.WARNING, TimerState.OVERRUN, True),
        (TimerState.OVERRUN, TimerState.OVERRUN, False),
        (TimerState.NORMAL, TimerState.WARNING, False),
        (TimerState.OVERRUN, TimerState.NORMAL, False),
        (TimerState.IDLE, TimerState.NORMAL, False),
    ],
)
def test_crossed_into_overrun(before: TimerState, after: TimerState, rings: bool) -> None:
    assert crossed_into_overrun(before, after) is rings


def test_bell_rings_exactly_once_while_a_running_item_overruns() -> None:
    item = make_item(planned=5)
    clock = FakeClock(T0)
    open_span(item, clock())
    states = [item_clock(item, clock()).state]
    for step in itertools.islice(itertools.cycle([1, 7, 13, 29, 0]), 200):
        clock.advance(seconds=step)
        states.append(item_clock(item, clock()).state)
    rings = sum(crossed_into_overrun(a, b) for a, b in itertools.pairwise(states))
    assert rings == 1
    # The states only move forward: normal -> warning -> overrun.
    order = [TimerState.NORMAL, TimerState.WARNING, TimerState.OVERRUN]
    indices = [order.index(s) for s in states]
    assert indices == sorted(indices)
    assert states[-1] is TimerState.OVERRUN


def test_bell_does_not_ring_again_after_pause_and_revisit_of_an_overrun_item() -> None:
    item = make_item(planned=1)
    open_span(item, at(0))
    states = [item_clock(item, at(0, s)).state for s in range(0, 90, 10)]
    close_open_span(item, at(1, 30))
    states.append(item_clock(item, at(5)).state)
    open_span(item, at(10))
    states += [item_clock(item, at(10, s)).state for s in range(0, 60, 10)]
    assert sum(crossed_into_overrun(a, b) for a, b in itertools.pairwise(states)) == 1


# --------------------------------------------------------------------------- spans


def test_pause_resume_and_revisit_add_spans() -> None:
    item = make_item(planned=10)
    open_span(item, at(0))
    open_span(item, at(1))  # already running: no second span
    assert len(item.spans) == 1
    close_open_span(item, at(2))  # pause
    close_open_span(item, at(3))  # already paused: nothing changes
    assert item.spans[0].end == at(2)
    assert not item.running
    assert item.elapsed_seconds(at(30)) == 120
    open_span(item, at(4))  # resume
    close_open_span(item, at(6, 30))
    open_span(item, at(50))  # revisit later in the meeting
    assert len(item.spans) == 3
    assert item.running
    assert item.elapsed_seconds(at(51)) == 120 + 150 + 60
    assert item_clock(item, at(51)).display == "4:30"


def test_close_open_span_never_ends_before_it_starts() -> None:
    item = make_item()
    open_span(item, at(10))
    close_open_span(item, at(9))  # clock went backwards
    assert item.spans[0].end == at(10)
    assert item.elapsed_seconds(at(20)) == 0


def test_simulated_three_hour_meeting_has_zero_drift() -> None:
    """Irregular ticks, pauses and a revisit: totals are exact to the microsecond."""
    planned = [10, 20, 30, 15, 45, 25, 35]  # 180 minutes
    items = make_agenda(*planned)
    meeting = make_meeting(minutes=180, started=True)
    clock = FakeClock(T0)
    steps = itertools.cycle(
        [
            {"seconds": 1},
            {"seconds": 7},
            {"minutes": 13},
            {"micros": 1},
            {"seconds": 59, "micros": 999_999},
            {"seconds": 3, "micros": 250_000},
        ]
    )
    running_micros = {i.id: 0 for i in items}
    paused_micros = 0
    bells = 0

    def tick_until(item: AgendaItem, target_micros: int) -> None:
        """Run ``item`` until it has run for ``target_micros`` in total, in irregular steps."""
        nonlocal bells
        before = item_clock(item, clock()).state
        while running_micros[item.id] < target_micros:
            wanted = clock.advance(**next(steps))
            overshoot = running_micros[item.id] + wanted - target_micros
            if overshoot > 0:
                clock.micros -= overshoot
                wanted -= overshoot
            running_micros[item.id] += wanted
            after = item_clock(item, clock()).state
            bells += crossed_into_overrun(before, after)
            before = after
            assert item.elapsed_seconds(clock()) == pytest.approx(
                running_micros[item.id] / 1e6, abs=1e-6
            )

    def pause(**kwargs: int) -> None:
        nonlocal paused_micros
        assert meeting.current_item_id is not None
        meeting.paused = True
        close_open_span(items_by_id[meeting.current_item_id], clock())
        paused_micros += clock.advance(**kwargs)
        meeting.paused = False
        open_span(items_by_id[meeting.current_item_id], clock())

    items_by_id = {i.id: i for i in items}
    # Run the agenda: some items short, some overrunning, a pause and a revisit.
    run_for_minutes = [9, 24, 28, 15, 40, 22, 30]
    for item, minutes in zip(items, run_for_minutes, strict=True):
        meeting.current_item_id = item.id
        open_span(item, clock())
        tick_until(item, minutes * 60_000_000 // 2)
        if item.id == "itm-2":
            pause(minutes=4, seconds=17, micros=123)
        tick_until(item, minutes * 60_000_000)
        close_open_span(item, clock())
    # Revisit item 1 for whatever is left of the 3 hours.
    left = 180 * 60_000_000 - clock.micros
    assert left > 0
    meeting.current_item_id = "itm-1"
    open_span(items_by_id["itm-1"], clock())
    tick_until(items_by_id["itm-1"], running_micros["itm-1"] + left)
    close_open_span(items_by_id["itm-1"], clock())
    meeting.current_item_id = None
    meeting.ended_at = clock()

    assert clock() == T0.add(hours=3)
    for item in items:
        assert item.elapsed_seconds(clock()) == pytest.approx(
            running_micros[item.id] / 1e6, abs=1e-6
        )
        assert not item.running
    total_run = sum(i.elapsed_seconds(clock()) for i in items)
    assert total_run + paused_micros / 1e6 == pytest.approx(3 * 3600, abs=1e-6)
    assert len(items_by_id["itm-1"].spans) == 2
    assert len(items_by_id["itm-2"].spans) == 2
    # Item 1 (20 min planned, 24 + revisit) and item 0 never overran ... item 1 rang once.
    overrun = [i.id for i in items if item_clock(i, clock()).state is TimerState.OVERRUN]
    assert overrun == ["itm-1", "itm-3"]
    assert bells == 2
    mc = meeting_clock(meeting, items, clock().add(hours=5))
    assert mc.elapsed_seconds == 3 * 3600
    assert mc.projected_end == T0.add(hours=3)
    assert mc.status_text == "on track"


# --------------------------------------------------------------------------- remaining_items


def ids(items: list[AgendaItem]) -> list[str]:
    return [i.id for i in items]


def test_ordered_sorts_by_position_then_id() -> None:
    items = [
        make_item(position=2, item_id="b"),
        make_item(position=1, item_id="z"),
        make_item(position=2, item_id="a"),
    ]
    assert ids(ordered(items)) == ["z", "a", "b"]


def test_remaining_items_skips_started_and_deferred() -> None:
    items = make_agenda(10, 10, 10, 10, 10, 10)
    items[0].spans = make_item(spans=[(at(0), at(10))]).spans  # done
    items[2].deferred = True
    items[4].spans = make_item(spans=[(at(10), at(12))]).spans  # visited out of order
    assert ids(remaining_items(items, None)) == ["itm-1", "itm-3", "itm-5"]
    assert ids(remaining_items(items, "itm-1")) == ["itm-3", "itm-5"]
    # Items skipped over are still to come (taken up later or deferred explicitly).
    assert ids(remaining_items(items, "itm-3")) == ["itm-1", "itm-5"]
    assert ids(remaining_items(items, "itm-5")) == ["itm-1", "itm-3"]
    # An unknown or deferred current item: everything not yet started.
    assert ids(remaining_items(items, "itm-missing")) == ["itm-1", "itm-3", "itm-5"]
    assert ids(remaining_items(items, "itm-2")) == ["itm-1", "itm-3", "itm-5"]


def test_remaining_items_follows_position_not_list_order() -> None:
    items = list(reversed(make_agenda(5, 5, 5, 5)))
    assert ids(remaining_items(items, "itm-1")) == ["itm-0", "itm-2", "itm-3"]


def test_jumping_ahead_keeps_the_skipped_items_in_the_projection() -> None:
    """From item 0 straight to item 8 of ten: items 1-7 are still to be discussed, so the
    projected end does not move earlier by their time (a user trial saw it drop by 85 min)."""
    meeting = make_meeting(minutes=120)
    items = make_agenda(*[10] * 10)
    meeting.started_at = at(0)
    items[0].spans = make_item(spans=[(at(0), at(10))]).spans
    meeting.current_item_id = "itm-0"
    before = meeting_clock(meeting, items, at(10))
    assert before.projected_end == at(100)  # 90 minutes of items 1-9 still to come
    items[8].spans = make_item(spans=[(at(10), None)]).spans
    meeting.current_item_id = "itm-8"
    after = meeting_clock(meeting, items, at(10))
    assert after.projected_end == before.projected_end
    # Leaving a started item early still releases its leftover time (it has had its turn).
    items[8].spans = make_item(spans=[(at(10), at(12))]).spans
    items[9].spans = make_item(spans=[(at(12), None)]).spans
    meeting.current_item_id = "itm-9"
    assert meeting_clock(meeting, items, at(12)).projected_end == at(12 + 10 + 70)


# --------------------------------------------------------------------------- meeting_clock


def test_meeting_clock_before_start_projects_from_the_scheduled_start() -> None:
    meeting = make_meeting(minutes=120)
    items = make_agenda(30, 45, 15)  # 90 planned
    mc = meeting_clock(meeting, items, at(-60))
    assert mc.projected_end == at(90)
    assert mc.elapsed_seconds == 0
    assert mc.behind_minutes == 0
    assert mc.on_track
    assert mc.status_text == "on track"
    assert mc.scheduled_start == T0
    assert mc.scheduled_end == at(120)


def test_meeting_clock_before_start_with_an_overfull_agenda() -> None:
    meeting = make_meeting(minutes=120)
    mc = meeting_clock(meeting, make_agenda(60, 70), at(-10))
    assert mc.projected_end == at(130)
    assert mc.behind_minutes == 10
    assert mc.status_text == "behind by 10 min"


def test_meeting_clock_late_start_projects_from_now() -> None:
    meeting = make_meeting(minutes=120)
    mc = meeting_clock(meeting, make_agenda(60, 50), at(15))  # not started, 15 min late
    assert mc.projected_end == at(125)
    assert mc.status_text == "behind by 5 min"


def test_meeting_clock_during_with_the_current_item_partly_done() -> None:
    items = make_agenda(30, 45, 15)
    items[0].spans = make_item(spans=[(at(0), None)]).spans
    meeting = make_meeting(minutes=120, started=True, current_item_id="itm-0")
    mc = meeting_clock(meeting, items, at(10))
    assert mc.projected_end == at(10 + 20 + 45 + 15)
    assert mc.elapsed_seconds == 600
    assert mc.status_text == "on track"


def test_meeting_clock_during_with_the_current_item_overrunning() -> None:
    items = make_agenda(30, 45, 15)
    items[0].spans = make_item(spans=[(at(0), None)]).spans
    meeting = make_meeting(minutes=120, started=True, current_item_id="itm-0")
    mc = meeting_clock(meeting, items, at(40))  # 10 min over on item 0
    assert mc.projected_end == at(40 + 45 + 15)
    assert mc.behind_minutes == 0
    mc = meeting_clock(meeting, items, at(70))
    assert mc.projected_end == at(130)
    assert mc.behind_minutes == 10
    assert mc.status_text == "behind by 10 min"


def test_meeting_clock_paused_current_item_still_counts_its_remaining_time() -> None:
    items = make_agenda(30, 30)
    items[0].spans = make_item(spans=[(at(0), at(10))]).spans
    meeting = make_meeting(minutes=60, started=True, current_item_id="itm-0", paused=True)
    mc = meeting_clock(meeting, items, at(25))  # paused for 15 min
    assert mc.projected_end == at(25 + 20 + 30)
    assert mc.behind_minutes == 15


def test_meeting_clock_ignores_deferred_and_finished_items() -> None:
    items = make_agenda(20, 20, 20, 20)
    items[0].spans = make_item(spans=[(at(0), at(25))]).spans
    items[2].deferred = True
    meeting = make_meeting(minutes=60, started=True)
    mc = meeting_clock(meeting, items, at(25))  # between items
    assert mc.projected_end == at(25 + 20 + 20)
    assert mc.behind_minutes == 5


@pytest.mark.parametrize(
    ("over_seconds", "behind"),
    [(-30, 0), (0, 0), (1, 1), (30, 1), (60, 1), (61, 2), (599, 10), (600, 10), (601, 11)],
)
def test_behind_minutes_rounds_up(over_seconds: int, behind: int) -> None:
    meeting = make_meeting(minutes=60, started=True)
    items = make_agenda(30)
    mc = meeting_clock(meeting, items, at(30, over_seconds))
    assert mc.projected_end == at(60, over_seconds)
    assert mc.behind_minutes == behind
    assert mc.on_track is (behind == 0)
    assert mc.status_text == ("on track" if behind == 0 else f"behind by {behind} min")


def test_meeting_clock_after_end_is_frozen() -> None:
    items = make_agenda(30, 30)
    meeting = make_meeting(minutes=60, started=True, current_item_id="itm-1")
    items[1].spans = make_item(spans=[(at(30), None)]).spans
    meeting.ended_at = at(75)
    for later in (at(75), at(90), at(600)):
        mc = meeting_clock(meeting, items, later)
        assert mc.projected_end == at(75)
        assert mc.elapsed_seconds == 75 * 60
        assert mc.behind_minutes == 15
        assert mc.status_text == "behind by 15 min"


def test_meeting_clock_ended_early_is_on_track() -> None:
    meeting = make_meeting(minutes=60, started=True)
    meeting.ended_at = at(45)
    mc = meeting_clock(meeting, make_agenda(30, 30), at(50))
    assert mc.projected_end == at(45)
    assert mc.on_track


@pytest.mark.parametrize(
    ("elapsed", "delay"),
    [(0.0, 1.0), (0.25, 0.75), (12.999, 0.001), (13.0, 1.0), (299.5, 0.5), (-0.0, 1.0)],
)
def test_seconds_to_next_change(elapsed: float, delay: float) -> None:
    from facilitate.domain.timer import ItemClock, seconds_to_next_change

    got = seconds_to_next_change(elapsed)
    assert abs(got - delay) < 1e-9
    # The display really does change then, and not before.
    clock_now = ItemClock(planned_seconds=300, elapsed_seconds=elapsed, running=True)
    clock_just_before = ItemClock(300, elapsed + got - 1e-6, True)
    clock_after = ItemClock(300, elapsed + got + 1e-6, True)
    if elapsed % 1:
        assert clock_just_before.display == clock_now.display
    assert clock_after.display != clock_now.display
