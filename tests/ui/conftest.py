"""Fixtures for TUI tests: a sample workspace and a frozen, steerable clock."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum
import pytest

from facilitate.domain.meeting import MeetingStatus
from facilitate.services.sample import load_sample
from facilitate.storage.workspace import Workspace

if TYPE_CHECKING:
    from facilitate.ui.screens.meeting import MeetingScreen


class FakeClock:
    """A clock the test moves by hand: no real time passes inside a test."""

    def __init__(self, start: pendulum.DateTime) -> None:
        self.t = start.in_timezone("UTC")

    def __call__(self) -> pendulum.DateTime:
        return self.t

    def advance(self, **kwargs: Any) -> None:
        self.t = self.t.add(**kwargs)


def make_sample(root: Path) -> Workspace:
    ws = Workspace.create(root)
    load_sample(ws)
    return ws


def upcoming(ws: Workspace):
    return next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)


@pytest.fixture
def sample_ws(tmp_path: Path) -> Workspace:
    return make_sample(tmp_path / "ws")


@pytest.fixture
def clock(sample_ws: Workspace) -> FakeClock:
    # Five minutes before the upcoming meeting's scheduled start.
    return FakeClock(upcoming(sample_ws).start.subtract(minutes=5))


async def start_meeting(pilot) -> None:
    """From the home screen: start the next meeting and acknowledge the confidentiality
    statement (the first item starts)."""
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def started_meeting(pilot) -> MeetingScreen:
    """``start_meeting``, then the meeting screen it shows."""
    from facilitate.ui.screens.meeting import MeetingScreen

    await start_meeting(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


def count_clears(table) -> list[int]:
    """Patch ``table.clear`` to record each call (a full rebuild) in the returned list."""
    clears: list[int] = []
    original_clear = table.clear

    def counting_clear(*args, **kwargs):
        clears.append(1)
        return original_clear(*args, **kwargs)

    table.clear = counting_clear
    return clears
