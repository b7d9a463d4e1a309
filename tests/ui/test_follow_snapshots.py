"""Snapshots of the follow view (projector) at 80x24 and 120x36, with the clock frozen: the
current item highlighted, the large timer, captures (confidential ones hidden), who is present.

Regenerate after an intended change with: make test PYTEST_ARGS="--snapshot-update"
"""

from __future__ import annotations

import pytest

from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import AttendanceStatus, Decision
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.ui.follow_app import FollowApp

from .conftest import FakeClock, make_sample, upcoming

SIZES = [(80, 24), (120, 36)]


def _follow(tmp_path, *, confidential_current: bool) -> FollowApp:
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start)
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    for n, record in enumerate(live.load().attendance[:7]):
        live.mark(record.id, AttendanceStatus.REMOTE if n % 3 else AttendanceStatus.PRESENT)
    items = live.load().items
    owner = ws.snapshot().roster().active_members()[0]
    for item in items[:3]:
        live.goto(item.id)
        clock.advance(minutes=item.planned_minutes, seconds=20)
    live.add_decision(
        Decision(meeting_id=meeting.id, agenda_item_id=items[2].id, text="Minutes approved")
    )
    case = next(i for i in items if i.confidential)
    live.add_decision(
        Decision(meeting_id=meeting.id, agenda_item_id=case.id, text="Secret: placement Z")
    )
    live.add_action(
        ActionItem(
            meeting_id=meeting.id,
            agenda_item_id=case.id,
            text="Secret: call Z",
            owner_id=owner.id,
            due_next_meeting=True,
        )
    )
    live.add_action(
        ActionItem(
            meeting_id=meeting.id,
            text="Circulate the annex",
            owner_id=owner.id,
            due_next_meeting=True,
        )
    )
    target = case if confidential_current else items[3]
    live.goto(target.id)
    clock.advance(minutes=target.planned_minutes - 1)  # in the warning zone
    return FollowApp(Workspace.open(ws.root, read_only=True), meeting.id, clock=clock)


async def _settle(pilot) -> None:
    await pilot.pause(0.4)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("current", ["public", "confidential"])
def test_follow(snap_compare, tmp_path, size, current):
    app = _follow(tmp_path, confidential_current=current == "confidential")
    assert snap_compare(app, terminal_size=size, run_before=_settle)
