"""Fixtures for the shared-use tests: a live sample meeting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest

from facilitate.domain.meeting import MeetingStatus
from facilitate.services.live import LiveMeeting
from facilitate.services.sample import load_sample
from facilitate.storage.workspace import Workspace


@dataclass
class Live:
    ws: Workspace
    live: LiveMeeting
    meeting_id: str
    item_ids: list[str]


def start_sample(root: Path) -> Live:
    ws = Workspace.create(root)
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock_at = meeting.start.add(minutes=1)
    live = LiveMeeting(ws, meeting.id, lambda: clock_at)
    live.start()
    live.acknowledge_confidentiality()
    items = [i.id for i in live.load().items]
    live.goto(items[0])
    return Live(ws, live, meeting.id, items)


@pytest.fixture
def live_sample(tmp_path: Path) -> Live:
    return start_sample(tmp_path / "ws")


@pytest.fixture
def now() -> pendulum.DateTime:
    return pendulum.now("UTC")
