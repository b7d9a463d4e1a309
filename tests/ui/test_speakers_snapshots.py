"""Snapshots of the speakers' queue (issue 20) in 16 colours (TERM=linux, the ANSI theme, the
Linux console's palette), at 80x24 and 120x36: the queue panel on the meeting screen (a
speaker past 80 % of the limit, four waiting), the round screen part-way through, and the
airtime panel.

Regenerate after an intended change with:
.venv/bin/python -m pytest tests/ui/test_speakers_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from facilitate.services.speaking import Speakers
from facilitate.ui.app import FacilitateApp

from .conftest import FakeClock, make_sample, upcoming
from .test_speakers import live_on, one_per_organization
from .test_terminal import _settle, _sixteen_colour, term_linux  # noqa: F401 (a fixture)

SIZES = [(80, 24), (120, 36)]


def _meeting_with_queue(tmp_path):
    ws = make_sample(tmp_path / "ws")
    clock = FakeClock(upcoming(ws).start)
    live, _ = live_on(ws, clock)
    ids = one_per_organization(live, 5)
    speakers = Speakers(live)
    for attendance_id in ids:
        speakers.enqueue(attendance_id)
    clock.advance(seconds=200)  # (the item has run a while)
    speakers.next_speaker()
    clock.advance(seconds=150)  # the speaker: 2:30 of 3:00, past 80 %
    return ws, clock, live, speakers


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestSpeakersSixteenColours:
    def test_queue_panel(self, snap_compare, tmp_path, term_linux, size):  # noqa: F811
        ws, clock, _, _ = _meeting_with_queue(tmp_path)
        app = _sixteen_colour(FacilitateApp)(ws, clock=clock)

        async def run_before(pilot):
            await pilot.press("s")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_round(self, snap_compare, tmp_path, term_linux, size):  # noqa: F811
        ws = make_sample(tmp_path / "ws")
        clock = FakeClock(upcoming(ws).start)
        live, _ = live_on(ws, clock)
        one_per_organization(live, 5, extra=2)
        app = _sixteen_colour(FacilitateApp)(ws, clock=clock)

        async def run_before(pilot):
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("R")
            await pilot.pause()
            await pilot.press("n")
            clock.advance(seconds=100)
            await pilot.press("n")
            clock.advance(seconds=20)
            await pilot.press("down", "down", "p")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_airtime(self, snap_compare, tmp_path, term_linux, size):  # noqa: F811
        ws, clock, _, speakers = _meeting_with_queue(tmp_path)
        speakers.next_speaker()
        clock.advance(seconds=75)
        app = _sixteen_colour(FacilitateApp)(ws, clock=clock)

        async def run_before(pilot):
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("A")
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)
