"""Full garbage collections run when the app chooses: right after the meeting timer drew a
second, never in the middle of one (a full collection of a 10-year workspace took ~100 ms)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from facilitate.ui.app import GC_IDLE
from facilitate.ui.gc_pacing import RARE, GcPacer
from facilitate.ui.screens.meeting import GC_AFTER_TICK, MeetingScreen

from .conftest import start_meeting


class _Node:
    me: object = None


class _Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_install_makes_full_collections_rare_the_first_collection_freezes() -> None:
    before = gc.get_threshold()
    gc.unfreeze()
    clock = _Clock()
    pacer = GcPacer(every=60, clock=clock)
    pacer.install()
    try:
        assert gc.get_threshold() == (before[0], before[1], RARE)
        assert gc.get_freeze_count() == 0  # (not at once: at a good moment)
        assert pacer.due
        pacer.collect()
        assert gc.get_freeze_count() > 0  # what start-up built
        assert not pacer.due
        clock.t += 59.9
        assert not pacer.due
        clock.t += 0.2
        assert pacer.due
        pacer.collect()
        assert pacer.collections == 2 and not pacer.due
        pacer.request()  # a screen closed: due at once, not a minute later
        assert pacer.due
        pacer.collect()
        assert pacer.collections == 3 and not pacer.due
        node = _Node()
        node.me = node  # a cycle, frozen while alive ...
        alive = weakref.ref(node)
        gc.freeze()
        del node
        pacer.collect()  # ... is kept by a plain collection
        assert alive() is not None
        pacer.refreeze()  # a meeting started: freeze again, what is alive now
        assert pacer.due
        pacer.collect()
        assert alive() is None  # collected this time
        assert gc.get_freeze_count() > 0 and not pacer.due
    finally:
        pacer.uninstall()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def _meeting_pacer(app, pilot) -> GcPacer:
    """Start the meeting (which starts the pacing) and return the app's pacer."""
    await start_meeting(pilot)
    await pilot.pause(0.2)
    pacer = app.gc_pacer
    assert pacer is not None
    return pacer


@pytest.fixture
def restore_gc():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


async def test_the_meeting_collects_just_after_a_second_is_drawn(
    sample_ws, clock, monkeypatch, restore_gc
) -> None:
    from facilitate.ui.app import FacilitateApp

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        pacer = await _meeting_pacer(app, pilot)  # the meeting started it
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        # Starting closed the confidentiality dialog, which asked for a collection: let any
        # collection already scheduled run, then start from "not due".
        pacer.requested = False
        pacer.last = pacer.clock()
        await pilot.pause(GC_AFTER_TICK + 0.1)
        assert gc.get_threshold()[2] == RARE
        ticks: list[float] = []
        collected: list[float] = []
        loop_time = asyncio.get_running_loop().time
        real_tick = screen.tick

        def recording_tick() -> None:
            ticks.append(loop_time())
            real_tick()

        monkeypatch.setattr(screen, "tick", recording_tick)
        monkeypatch.setattr(pacer, "collect", lambda: collected.append(loop_time()))
        # Not due: the app's own check leaves it alone, and so does the meeting.
        app._pace_gc()
        assert collected == []
        pacer.last -= pacer.every  # now it is due
        app._pace_gc()  # the meeting is on screen: the app leaves it to the meeting ...
        assert collected == []
        for _ in range(40):  # ... which collects after its next second
            await pilot.pause(0.1)
            if collected:
                break
        assert len(collected) == 1
        # It ran GC_AFTER_TICK after a tick (the second-aligned one), not in some other phase.
        gap = min(collected[0] - t for t in ticks if t <= collected[0])
        assert GC_AFTER_TICK - 0.05 <= gap <= GC_AFTER_TICK + 0.5
    assert gc.get_threshold()[2] != RARE  # restored when the app closed


async def test_other_screens_collect_from_the_app(sample_ws, clock, restore_gc) -> None:
    from facilitate.ui.app import FacilitateApp

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        pacer = await _meeting_pacer(app, pilot)
        await pilot.press("d")  # a form over the meeting: no longer the timed screen
        await pilot.pause()
        assert not isinstance(app.screen, MeetingScreen)
        pacer.last -= pacer.every
        before = pacer.collections
        app._pace_gc()  # a key was pressed just now: not yet
        assert pacer.collections == before
        app._last_input -= GC_IDLE
        app._pace_gc()
        assert pacer.collections == before + 1


async def test_between_meetings_collections_are_paced_and_wait_for_a_pause_in_typing(
    sample_ws, clock, restore_gc
) -> None:
    """From the first frame on (the action tracker and history hold ten years of data, and
    a full collection that Python started by itself landed in the middle of filter keys):
    full collections are rare, and the app's wait until nobody has typed for GC_IDLE."""
    from facilitate.ui.app import FacilitateApp

    gc.unfreeze()
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pacer = app.gc_pacer
        assert pacer is not None and gc.get_threshold()[2] == RARE
        assert pacer.due  # the first one, which freezes what start-up built
        await pilot.press("a")  # the action tracker
        await pilot.pause()
        app._pace_gc()
        assert pacer.collections == 0 and gc.get_freeze_count() == 0
        app._last_input -= GC_IDLE
        app._pace_gc()
        assert pacer.collections == 1 and gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] != RARE  # restored when the app closed


async def test_closing_a_dialog_asks_for_a_collection_soon(sample_ws, clock, restore_gc) -> None:
    """A closed screen's widgets refer to each other: with full collections made rare, they
    would wait up to a minute to be freed (peak memory). Closing one asks for a collection at
    the next good moment instead."""
    from facilitate.ui.app import FacilitateApp

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        pacer = await _meeting_pacer(app, pilot)
        pacer.every = 1e9  # no periodic collection: only requests make it due
        requests: list[str] = []
        real_request = pacer.request

        def recording_request() -> None:
            requests.append(type(app.screen).__name__)
            real_request()

        pacer.request = recording_request  # type: ignore[method-assign]
        await pilot.press("d")
        await pilot.pause()
        before = pacer.collections
        asked = len(requests)
        await pilot.press("escape")  # the form closes without saving
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert len(requests) == asked + 1 and requests[-1] == "MeetingScreen"
        for _ in range(30):  # the meeting collects after its next second is drawn
            await pilot.pause(0.1)
            if pacer.collections > before and not pacer.due:
                break
        assert pacer.collections > before
        assert not pacer.due
