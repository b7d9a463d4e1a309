"""Snapshot tests of the main screens at 80x24 and 120x36, with the clock frozen.

Regenerate after an intended change with: make test PYTEST_ARGS="--snapshot-update"
"""

from __future__ import annotations

import pytest

from facilitate.ui.app import FacilitateApp

from .conftest import FakeClock, make_sample, upcoming

SIZES = [(80, 24), (120, 36)]


def _app(tmp_path, minutes_in: float = 0) -> tuple[FacilitateApp, FakeClock]:
    ws = make_sample(tmp_path / "ws")
    clock = FakeClock(upcoming(ws).start)
    return FacilitateApp(ws, clock=clock), clock


async def _settle(pilot) -> None:
    """Let timers fire, then drop notifications so toasts never make a snapshot flaky."""
    await pilot.pause(0.3)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _start(pilot) -> None:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestScreens:
    def test_home(self, snap_compare, tmp_path, size):
        app, _ = _app(tmp_path)
        assert snap_compare(app, terminal_size=size)

    def test_confidentiality(self, snap_compare, tmp_path, size):
        app, _ = _app(tmp_path)
        assert snap_compare(app, terminal_size=size, press=["s"])

    def test_roll_call(self, snap_compare, tmp_path, size):
        app, _ = _app(tmp_path)

        async def run_before(pilot):
            await _start(pilot)
            await pilot.press("i", "p", "p", "r", "i")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("state,advance", [("normal", 60), ("warning", 270), ("overrun", 400)])
    def test_meeting(self, snap_compare, tmp_path, size, state, advance):
        app, clock = _app(tmp_path)

        async def run_before(pilot):
            await _start(pilot)
            clock.advance(seconds=advance)
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_decision_form(self, snap_compare, tmp_path, size):
        app, _ = _app(tmp_path)

        async def run_before(pilot):
            await _start(pilot)
            await pilot.press("d")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_action_form(self, snap_compare, tmp_path, size):
        app, _ = _app(tmp_path)

        async def run_before(pilot):
            await _start(pilot)
            await pilot.press("a")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_close(self, snap_compare, tmp_path, size):
        app, clock = _app(tmp_path)

        async def run_before(pilot):
            await _start(pilot)
            clock.advance(minutes=3)
            await pilot.press("n")
            clock.advance(minutes=12)
            await pilot.press("e")
            await pilot.pause()
            app.screen.set_focus(None)
            await pilot.press("E")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)
