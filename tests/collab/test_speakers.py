"""The speakers' queue and rounds on a live sample meeting (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pendulum import DateTime

from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    MeetingStatus,
)
from facilitate.domain.speaking import (
    GUEST_SECTOR,
    SUBCOMMITTEE_SECTOR,
    RoundBy,
    SpeakingTurn,
    TurnStatus,
)
from facilitate.domain.timer import TimerState
from facilitate.services.live import LiveMeeting
from facilitate.services.sample import load_sample
from facilitate.services.speaking import Speakers
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace


class Clock:
    def __init__(self, start: DateTime) -> None:
        self.at = start

    def __call__(self) -> DateTime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at = self.at.add(seconds=seconds)


class Room:
    def __init__(self, live: LiveMeeting, clock: Clock) -> None:
        self.live = live
        self.clock = clock
        self.speakers = Speakers(live)

    def item(self, kind: ItemKind) -> AgendaItem:
        return next(i for i in self.live.load().items if i.kind is kind)

    def person(self, name_part: str) -> Attendance:
        return next(a for a in self.live.load().attendance if name_part in a.name)

    def people(self) -> list[Attendance]:
        return sorted(self.live.load().attendance, key=lambda a: a.name)

    def turns(self) -> list[SpeakingTurn]:
        return self.live.load().turns

    def turn(self, turn_id: str) -> SpeakingTurn:
        return next(t for t in self.turns() if t.id == turn_id)


@pytest.fixture
def room(tmp_path: Path) -> Room:
    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock = Clock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    r = Room(live, clock)
    live.goto(r.item(ItemKind.INFORMATION_SHARING).id)
    return r


def test_queue_next_speaker_and_time_accounting(room: Room) -> None:
    a, b, c = room.people()[:3]
    first = room.speakers.enqueue(a.id)
    room.speakers.enqueue(b.id)
    room.speakers.enqueue(c.id)
    item = room.item(ItemKind.INFORMATION_SHARING)
    assert first.item_id == item.id and first.status is TurnStatus.QUEUED
    assert first.name == a.name and first.organization == a.organization_name
    assert [t.name for t in room.speakers.view().waiting] == [a.name, b.name, c.name]

    assert room.speakers.next_speaker().name == a.name  # type: ignore[union-attr]
    room.clock.advance(100)
    view = room.speakers.view()
    assert view.current is not None and view.current.name == a.name
    assert view.clock is not None and view.clock.elapsed_seconds == 100
    assert view.limit_seconds == 180  # the profile's default: 3 minutes
    assert view.clock.state is TimerState.NORMAL
    room.clock.advance(50)  # 150 s of 180: past 80 %
    assert room.speakers.view().clock.state is TimerState.WARNING  # type: ignore[union-attr]

    # Pausing the meeting pauses the speaker; resuming runs the same turn again.
    room.live.pause()
    room.clock.advance(600)
    assert room.speakers.view().clock.elapsed_seconds == 150  # type: ignore[union-attr]
    room.live.resume()
    room.clock.advance(40)
    view = room.speakers.view()
    assert view.current is not None and view.current.name == a.name
    assert view.clock.elapsed_seconds == 190  # type: ignore[union-attr]
    assert view.clock.state is TimerState.OVERRUN  # type: ignore[union-attr]

    # Next: a spoke (its time kept), b has the floor.
    assert room.speakers.next_speaker().name == b.name  # type: ignore[union-attr]
    room.clock.advance(30)
    done = {t.name: t for t in room.turns()}
    assert done[a.name].status is TurnStatus.SPOKE and not done[a.name].running
    assert done[a.name].elapsed_seconds(room.clock()) == 190
    # Speaker time counts within the item's time: never more than the item ran.
    now = room.clock()
    item = room.item(ItemKind.INFORMATION_SHARING)
    assert sum(t.elapsed_seconds(now) for t in room.turns()) <= item.elapsed_seconds(now)

    # Moving to another item ends the running turn; the one still waiting stays queued there.
    room.live.step(1)
    turns = {t.name: t for t in room.turns()}
    assert turns[b.name].status is TurnStatus.SPOKE and not turns[b.name].running
    assert turns[c.name].status is TurnStatus.QUEUED
    assert room.speakers.next_speaker() is None  # nobody waits on the new item
    assert room.speakers.view().waiting == []


def test_paused_meeting_gives_the_floor_without_running_the_clock(room: Room) -> None:
    a = room.people()[0]
    room.speakers.enqueue(a.id)
    room.live.pause()
    turn = room.speakers.next_speaker()
    assert turn is not None and turn.status is TurnStatus.SPEAKING and not turn.running
    room.clock.advance(300)
    room.live.resume()
    room.clock.advance(20)
    assert room.speakers.view().clock.elapsed_seconds == 20  # type: ignore[union-attr]


def test_ending_the_meeting_ends_the_running_turn(room: Room) -> None:
    a = room.people()[0]
    room.speakers.enqueue(a.id)
    room.speakers.next_speaker()
    room.clock.advance(45)
    room.live.end()
    (turn,) = room.turns()
    assert turn.status is TurnStatus.SPOKE and not turn.running
    assert turn.elapsed_seconds(room.clock.at.add(hours=5)) == 45
    with pytest.raises(ValidationError, match="has ended"):
        room.speakers.enqueue(room.people()[1].id)


def test_going_to_another_item_and_back_out_end_the_turn(room: Room) -> None:
    a = room.people()[0]
    room.speakers.enqueue(a.id)
    room.speakers.next_speaker()
    room.clock.advance(60)
    info = room.item(ItemKind.INFORMATION_SHARING)
    case = room.item(ItemKind.CASE_REVIEW)
    room.live.goto(case.id)
    (turn,) = room.turns()
    assert turn.status is TurnStatus.SPOKE and turn.elapsed_seconds(room.clock()) == 60
    # Backing out of the case review (the room was not ready) ends the turn given there too.
    b = room.people()[1]
    turn = room.speakers.enqueue(b.id)
    room.speakers.next_speaker()
    room.clock.advance(40)
    room.live.back_out(case.id, info.id)
    backed = next(t for t in room.turns() if t.id == turn.id)
    assert backed.status is TurnStatus.SPOKE and not backed.running
    room.clock.advance(300)
    assert backed.elapsed_seconds(room.clock()) == 40
    assert room.speakers.view().current is None


@pytest.mark.parametrize(
    ("status", "stepped_out", "why"),
    [
        (AttendanceStatus.ABSENT, False, "marked absent"),
        (AttendanceStatus.EXCUSED, False, "marked excused"),
        (AttendanceStatus.LEFT_EARLY, False, "marked left early"),
        (AttendanceStatus.EXPECTED, False, "not marked present yet"),
        (AttendanceStatus.PRESENT, True, "stepped out"),
    ],
)
def test_only_people_in_the_room_are_queued(
    room: Room, status: AttendanceStatus, stepped_out: bool, why: str
) -> None:
    person = room.people()[0]
    room.live.mark(person.id, status)
    if stepped_out:
        room.live.step_out([person.id], None)
    with pytest.raises(ValidationError, match=why):
        room.speakers.enqueue(person.id)
    assert room.turns() == []


def test_someone_waiting_is_not_queued_twice_but_may_speak_again(room: Room) -> None:
    a = room.people()[0]
    room.speakers.enqueue(a.id)
    with pytest.raises(ValidationError, match="already in the queue"):
        room.speakers.enqueue(a.id)
    room.speakers.next_speaker()
    with pytest.raises(ValidationError, match="already speaking"):
        room.speakers.enqueue(a.id)
    room.speakers.next_speaker()  # a spoke
    again = room.speakers.enqueue(a.id)  # and asks for the floor again
    assert again.status is TurnStatus.QUEUED
    assert len(room.turns()) == 2


def test_no_running_item_is_a_clear_error(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    live = LiveMeeting(ws, meeting.id, lambda: meeting.start)
    live.start()
    person = live.load().attendance[0]
    live.mark(person.id, AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="No agenda item is running"):
        Speakers(live).enqueue(person.id)


def test_guest_turns_count_as_guests_not_as_a_sector(room: Room) -> None:
    guest = room.live.add_guest("Dana Ortiz", "Researcher", "Coastal University")
    turn = room.speakers.enqueue(guest.id)
    assert turn.sector == GUEST_SECTOR and turn.organization == "Coastal University"


def test_withdraw_and_move_reorder_only_the_waiting(room: Room) -> None:
    a, b, c, d = room.people()[:4]
    for person in (a, b, c, d):
        room.speakers.enqueue(person.id)
    room.speakers.next_speaker()  # a speaks
    tb, _tc, td = room.speakers.view().waiting
    room.speakers.move(td.id, -1)
    assert [t.name for t in room.speakers.view().waiting] == [b.name, d.name, c.name]
    room.speakers.move(td.id, -5)  # clamped at the front of the queue (not before a)
    view = room.speakers.view()
    assert [t.name for t in view.waiting] == [d.name, b.name, c.name]
    assert view.current is not None and view.current.name == a.name
    room.speakers.withdraw(tb.id)
    assert [t.name for t in room.speakers.view().waiting] == [d.name, c.name]
    assert tb.id not in {t.id for t in room.turns()}
    with pytest.raises(ValidationError, match="only a waiting turn"):
        room.speakers.withdraw(view.current.id)
    with pytest.raises(ValidationError, match="no longer waiting"):
        room.speakers.move(view.current.id, 1)
    assert room.speakers.next_speaker().name == d.name  # type: ignore[union-attr]


def test_per_item_limit_overrides_the_profile(room: Room) -> None:
    item = room.item(ItemKind.INFORMATION_SHARING)
    assert room.speakers.set_limit(item.id, 5).speaker_limit_minutes == 5
    assert room.speakers.view().limit_seconds == 300
    room.speakers.set_limit(item.id, 0)
    assert room.speakers.view().limit_seconds is None
    room.speakers.set_limit(item.id, None)
    assert room.speakers.view().limit_seconds == 180
    with pytest.raises(ValidationError, match="outside 0-120"):
        room.speakers.set_limit(item.id, 500)


def test_round_one_turn_per_organization_present_with_the_time_divided(room: Room) -> None:
    live = room.live
    roster = live.ws.snapshot().roster()
    people = live.load().attendance
    # One organization's only people are absent: it gets no turn.
    gone_org = roster.active_organizations()[0]
    for person in people:
        if person.organization_id == gone_org.id:
            live.mark(person.id, AttendanceStatus.ABSENT)
    room.clock.advance(60)  # one of the item's 15 minutes used
    rnd = room.speakers.start_round()
    assert rnd.by is RoundBy.ORGANIZATION
    turns = [t for t in room.turns() if t.round_id == rnd.id]
    present = [o for o in roster.active_organizations() if o.id != gone_org.id]
    assert [t.organization for t in sorted(turns, key=lambda t: t.position)] == [
        o.name for o in present
    ]
    assert {t.sector for t in turns} == {o.sector.value for o in present}
    assert rnd.turn_seconds == (14 * 60) // len(present)
    view = room.speakers.view()
    assert view.round is not None and len(view.round.left) == len(present)
    assert view.round.will_end_on_time

    # Turns are marked; a note goes into the item's notes under the organization's name.
    first = room.speakers.next_speaker()
    assert first is not None and first.round_id == rnd.id
    assert room.speakers.view().clock.limit_seconds == rnd.turn_seconds  # type: ignore[union-attr]
    room.clock.advance(rnd.turn_seconds + 120)  # runs two minutes over its share
    room.speakers.mark(first.id, TurnStatus.SPOKE, note="Two new referrals this month.")
    second = room.speakers.view().waiting[0]
    room.speakers.mark(second.id, TurnStatus.PASSED)
    item = room.item(ItemKind.INFORMATION_SHARING)
    assert item.notes.endswith(f"{first.organization}: Two new referrals this month.")
    view = room.speakers.view()
    assert view.round is not None
    assert len(view.round.left) == len(present) - 2
    assert not view.round.will_end_on_time and view.round.over_seconds > 0
    # A second round while this one is going is refused.
    with pytest.raises(ValidationError, match="still going"):
        room.speakers.start_round()


def test_a_rounds_next_turn_goes_ahead_of_the_queue_in_one_save(room: Room) -> None:
    """People queued with s before the round wait ahead of its turns. The round's n gives
    the floor to the round's next turn anyway, in one locked save (one transaction in the
    audit log, nothing moved): the ones queued by hand keep their places for after."""
    waiting_first = room.speakers.enqueue(room.people()[0].id)
    rnd = room.speakers.start_round()
    mine = sorted((t for t in room.turns() if t.round_id == rnd.id), key=lambda t: t.position)
    assert mine[0].position > waiting_first.position
    entries_before = len(audit.read(room.live.ws.audit_path))
    turn = room.speakers.next_speaker(round_id=rnd.id)
    assert turn is not None and turn.id == mine[0].id and turn.status is TurnStatus.SPEAKING
    new = audit.read(room.live.ws.audit_path)[entries_before:]
    assert len({e["tx"] for e in new}) == 1  # one transaction
    assert [e["id"] for e in new if e.get("op") == "update"] == [turn.id]  # nothing moved
    kept = room.turn(waiting_first.id)
    assert kept.status is TurnStatus.QUEUED and kept.position == waiting_first.position
    # Without the round: the one queued first is next.
    assert room.speakers.next_speaker() is not None
    assert room.turn(waiting_first.id).status is TurnStatus.SPEAKING
    assert room.turn(mine[0].id).status is TurnStatus.SPOKE


def test_round_only_on_information_sharing_and_report_backs(room: Room) -> None:
    case = room.item(ItemKind.NEW_BUSINESS)
    with pytest.raises(ValidationError, match="rounds are for information sharing"):
        room.speakers.start_round(case.id)


def test_report_back_round_is_one_turn_per_subcommittee(room: Room) -> None:
    room.live.goto(room.item(ItemKind.REPORT_BACKS).id)
    rnd = room.speakers.start_round()
    assert rnd.by is RoundBy.SUBCOMMITTEE
    turns = sorted((t for t in room.turns() if t.round_id == rnd.id), key=lambda t: t.position)
    subs = sorted(room.live.ws.snapshot().roster().subcommittees, key=lambda s: s.name.lower())
    assert [t.organization for t in turns] == [s.name for s in subs]
    assert all(t.attendance_id is None and t.sector == SUBCOMMITTEE_SECTOR for t in turns)


def test_mark_refuses_non_final_status(room: Room) -> None:
    turn = room.speakers.enqueue(room.people()[0].id)
    with pytest.raises(ValidationError, match="spoke, passed or skipped"):
        room.speakers.mark(turn.id, TurnStatus.SPEAKING)


def test_airtime_of_the_meeting_and_sectors_not_heard(room: Room) -> None:
    a, b = room.people()[:2]
    room.speakers.enqueue(a.id)
    room.speakers.enqueue(b.id)
    room.speakers.next_speaker()
    room.clock.advance(70)
    room.speakers.next_speaker()
    room.clock.advance(30)
    result = room.speakers.airtime()
    assert result.total_seconds == 100
    assert sum(result.by_sector.values()) == 100
    heard = {t.sector for t in room.turns()}
    roster = room.live.ws.snapshot().roster()
    present = {o.sector.value for o in roster.active_organizations()}
    assert set(result.sectors_not_heard) == present - heard


def test_steps_are_in_the_audit_log_and_confidential_names_are_not(room: Room) -> None:
    case = room.item(ItemKind.CASE_REVIEW)
    room.live.goto(case.id)
    person = room.people()[0]
    turn = room.speakers.enqueue(person.id)
    assert turn.confidential
    room.speakers.next_speaker()
    entries = [e for e in audit.read(room.live.ws.audit_path) if e.get("id") == turn.id]
    assert [e.get("op") for e in entries] == ["add", "update"]
    assert {e.get("summary") for e in entries} == {"(confidential)"}
    assert person.name not in room.live.ws.audit_path.read_text().split(turn.id, 1)[1]
