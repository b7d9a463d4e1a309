"""Snapshots of the between-meetings screens at 80x24 and 120x36, with the clock frozen.

Regenerate after an intended change with:
    .venv/bin/python -m pytest tests/ui/test_between_meetings_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from facilitate.ui.app import FacilitateApp

from .conftest import FakeClock, make_sample, upcoming

SIZES = [(80, 24), (120, 36)]


def _app(tmp_path) -> FacilitateApp:
    ws = make_sample(tmp_path / "ws")
    return FacilitateApp(ws, clock=FakeClock(upcoming(ws).start))


async def _settle(pilot) -> None:
    """Let timers fire, then drop notifications and stop cursors blinking, so neither a toast
    nor a cursor caught mid-blink makes a snapshot flaky."""
    await pilot.pause(0.3)
    pilot.app.clear_notifications()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await pilot.pause()


def _keys(*keys: str):
    async def run_before(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await _settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestBetweenMeetings:
    def test_roster(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("o"))

    def test_roster_members(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("o", "2"))

    def test_membership_matrix(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("o", "3"))

    def test_organization_form(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("o", "n"))

    def test_subcommittees(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("c"))

    def test_action_tracker(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("a"))

    def test_action_tracker_overdue(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("a", "o"))

    def test_close_action_form(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("a", "d"))

    def test_history(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("h"))

    def test_history_search(self, snap_compare, tmp_path, size):
        async def run_before(pilot) -> None:
            await pilot.press("h", "s")
            await pilot.pause()
            await pilot.press(*"referral")
            await pilot.pause(0.4)
            await pilot.press("enter")
            await _settle(pilot)

        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)

    def test_history_trends(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("h", "3"))

    def test_meeting_detail(self, snap_compare, tmp_path, size):
        assert snap_compare(
            _app(tmp_path), terminal_size=size, run_before=_keys("h", "down", "enter")
        )

    def test_unlock_dialog(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("h", "u"))

    def test_meeting_detail_unlocked(self, snap_compare, tmp_path, size):
        keys = _keys("h", "u", "y", "down", "enter", "pagedown", "pagedown")
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=keys)

    def test_report_screen(self, snap_compare, tmp_path, size):
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=_keys("h", "r"))

    def test_report_screen_scrolled(self, snap_compare, tmp_path, size):
        keys = _keys("h", "r", "pagedown", "pagedown")
        assert snap_compare(_app(tmp_path), terminal_size=size, run_before=keys)
