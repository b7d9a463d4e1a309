"""The live meeting follows the room (issue 16): left early, stepped out, passed-over items."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pendulum import DateTime

from facilitate.domain.case_review import must_step_out
from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import (
    AttendanceStatus,
    Decision,
    DecisionMethod,
    MeetingStatus,
    summarize_attendance,
)
from facilitate.domain.timer import meeting_clock
from facilitate.minutes.export import render_minutes
from facilitate.services.live import LiveMeeting
from facilitate.services.sample import load_sample
from facilitate.storage.workspace import Workspace


class Clock:
    def __init__(self, start: DateTime) -> None:
        self.at = start

    def __call__(self) -> DateTime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at = self.at.add(seconds=seconds)


@pytest.fixture
def room(tmp_path: Path) -> tuple[LiveMeeting, Clock]:
    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock = Clock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    return live, clock


def _vote(live: LiveMeeting, n: int) -> Decision:
    return Decision(
        meeting_id=live.meeting_id, text="Adopt the annex", method=DecisionMethod.VOTE, votes_for=n
    )


def test_a_decision_keeps_the_room_it_was_taken_in(room: tuple[LiveMeeting, Clock]) -> None:
    live, _ = room
    roster = live.ws.snapshot().roster()
    records = live.load().attendance
    members = len(records)
    first = live.add_decision(_vote(live, members))  # everyone votes
    assert first.attending == members and first.quorum_met
    # The only attendee of some organizations leave: fewer members, fewer organizations.
    per_org = Counter(a.organization_id for a in records)
    leaving = [a for a in records if per_org[a.organization_id] == 1]
    assert leaving, "the sample has organizations with one member"
    for a in leaving:
        live.mark(a.id, AttendanceStatus.LEFT_EARLY)
    now = summarize_attendance(live.load().attendance, roster)
    assert first.organizations_present is not None
    assert now.member_organizations == first.organizations_present - len(leaving)
    # The vote limit follows: the same count is refused now...
    with pytest.raises(ValidationError, match="left or stepped out"):
        live.add_decision(_vote(live, members))
    second = live.add_decision(_vote(live, members - len(leaving)))
    assert second.attending == members - len(leaving)
    # ...and the first decision still says what the room was then.
    stored = {d.id: d for d in live.load().decisions}
    assert stored[first.id].attending == members
    assert stored[first.id].organizations_present == first.organizations_present
    md = render_minutes(live.ws, live.meeting_id, "md").decode()
    assert f"{members} members in the room" in md
    assert f"{members - len(leaving)} members in the room" in md
    assert f"({len(leaving)} left early)" in md


def test_guests_employer_is_not_in_the_minutes_organizations(
    room: tuple[LiveMeeting, Clock],
) -> None:
    live, _ = room
    live.add_guest("Dana Press", "Reporter", "Port Merrow Gazette")
    md = render_minutes(live.ws, live.meeting_id, "md").decode()
    line = next(ln for ln in md.splitlines() if "Organizations represented" in ln)
    assert "Port Merrow Gazette" not in line
    with pytest.raises(ValidationError, match="guest"):
        n = sum(1 for a in live.load().attendance if not a.is_guest)
        live.add_decision(_vote(live, n + 1))


def test_stepped_out_for_a_case_and_back(room: tuple[LiveMeeting, Clock]) -> None:
    live, clock = room
    live.add_guest("Dana Press", "Reporter", "Port Merrow Gazette")
    bundle = live.load()
    case = next(i for i in bundle.items if i.confidential)
    live.goto(case.id)
    roster = live.ws.snapshot().roster()
    out = must_step_out(live.load().attendance, roster)
    assert any(s.attendance.is_guest for s in out)
    assert any(not s.attendance.is_guest for s in out), "the sample has unsigned MOUs"
    before = summarize_attendance(live.load().attendance, roster).present
    live.step_out([s.attendance.id for s in out], case.id)
    assert summarize_attendance(live.load().attendance, roster).present == before - len(out)
    assert must_step_out(live.load().attendance, roster) == []
    clock.advance(600)
    live.step_in()
    assert summarize_attendance(live.load().attendance, roster).present == before
    md = render_minutes(live.ws, live.meeting_id, "md").decode()
    line = next(ln for ln in md.splitlines() if "Stepped out" in ln)
    assert "Dana Press" in line and case.title in line


def test_a_quick_double_n_finishes_no_item(room: tuple[LiveMeeting, Clock]) -> None:
    live, clock = room
    live.goto(live.load().items[0].id)
    clock.advance(300)
    passed = live.step(+1)  # n
    clock.advance(2)
    live.step(+1)  # n again, at once
    assert passed is not None
    bundle = live.load()
    held = bundle.item(passed.id)
    assert held is not None and not held.started  # still pending, no "Used" time
    assert bundle.items[0].started  # the first was held: it keeps its time
    clock.advance(60)
    live.step(-1)  # back to it properly
    assert held.id == live.load().meeting.current_item_id


def test_back_out_from_the_reminder_keeps_the_item_pending(
    room: tuple[LiveMeeting, Clock],
) -> None:
    live, clock = room
    items = live.load().items
    case = next(i for i in items if i.confidential)
    before = items[items.index(case) - 1]
    live.goto(before.id)
    clock.advance(600)
    planned = meeting_clock(live.load().meeting, live.load().items, clock())
    live.goto(case.id)
    clock.advance(90)  # the reminder was read out for a minute and a half
    live.back_out(case.id, before.id)
    bundle = live.load()
    case_item = bundle.item(case.id)
    assert case_item is not None and not case_item.started
    assert bundle.meeting.current_item_id == before.id
    after = meeting_clock(bundle.meeting, bundle.items, clock())
    # The case review's planned time is still projected: the end moved only by the 90 s.
    assert (after.projected_end - planned.projected_end).total_seconds() == pytest.approx(90)


def test_introduced_is_refused_for_absent_or_excused(room: tuple[LiveMeeting, Clock]) -> None:
    live, _ = room
    a, b = live.load().attendance[:2]
    live.mark(a.id, AttendanceStatus.ABSENT)
    live.mark(b.id, AttendanceStatus.EXCUSED)
    for record in (a, b):
        with pytest.raises(ValidationError, match="mark them present"):
            live.toggle_introduced(record.id)
    assert not any(r.introduced for r in live.load().attendance[:2])
