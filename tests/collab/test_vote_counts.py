"""A vote's counts cannot add up to more members than the roll call has attending (guests do
not vote), and every decision records whether the roll call showed a quorum."""

from __future__ import annotations

import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import AttendanceStatus, Decision, DecisionMethod


def _vote(meeting_id: str, for_: int, against: int = 0, abstain: int = 0) -> Decision:
    return Decision(
        meeting_id=meeting_id,
        text="Adopt the information-sharing annex",
        method=DecisionMethod.VOTE,
        votes_for=for_,
        votes_against=against,
        abstentions=abstain,
    )


def test_more_votes_than_people_attending_is_refused_and_nothing_is_written(live_sample) -> None:
    live = live_sample.live
    records = live.load().attendance
    statuses = [
        AttendanceStatus.PRESENT,
        AttendanceStatus.REMOTE,
        AttendanceStatus.LATE,
        AttendanceStatus.LEFT_EARLY,  # (gone: does not vote from the moment they left)
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    ]
    for record, status in zip(records, statuses, strict=False):
        live.mark(record.id, status)
    with pytest.raises(ValidationError) as refused:
        live.add_decision(_vote(live.meeting_id, 3, 1, 1))
    message = str(refused.value)
    assert "5 votes" in message and "3 members attending" in message
    assert "1 member left or stepped out" in message
    assert "roll call" in message
    assert live.load().decisions == []
    live.add_decision(_vote(live.meeting_id, 1, 1, 1))  # exactly as many: fine
    assert [d.votes_for for d in live.load().decisions] == [1]
    assert live.load().decisions[0].attending == 3


def test_before_the_roll_call_any_count_is_taken(live_sample) -> None:
    live = live_sample.live
    assert not any(a.status.attending for a in live.load().attendance)
    live.add_decision(_vote(live.meeting_id, 12, 3))
    assert len(live.load().decisions) == 1


def test_a_consensus_is_not_counted(live_sample) -> None:
    live = live_sample.live
    live.mark(live.load().attendance[0].id, AttendanceStatus.PRESENT)
    live.add_decision(Decision(meeting_id=live.meeting_id, text="Agreed by all"))
    assert len(live.load().decisions) == 1


def test_walk_in_guests_do_not_count_as_voters(live_sample) -> None:
    """A user trial saw 'roll call has 7 people attending' with 2 of them guests."""
    live = live_sample.live
    members = live.load().attendance[:2]
    for record in members:
        live.mark(record.id, AttendanceStatus.PRESENT)
    live.add_guest("Dana Press", "Reporter", "Daily Courier")
    with pytest.raises(ValidationError) as refused:
        live.add_decision(_vote(live.meeting_id, 2, 1))
    message = str(refused.value)
    assert "3 votes" in message and "2 members attending" in message
    assert "1 guest, who do not vote" in message
    assert live.load().decisions == []
    live.add_decision(_vote(live.meeting_id, 1, 1))
    assert len(live.load().decisions) == 1


def test_each_decision_records_whether_there_was_a_quorum(live_sample) -> None:
    from facilitate.domain.meeting import summarize_attendance

    live = live_sample.live
    consensus = Decision(meeting_id=live.meeting_id, text="Before the roll call")
    assert live.add_decision(consensus).quorum_met is None  # nobody marked: unknown
    records = live.load().attendance
    live.mark(records[0].id, AttendanceStatus.PRESENT)
    roster = live.ws.snapshot().roster()
    assert not summarize_attendance(live.load().attendance, roster).quorum_met
    early = live.add_decision(Decision(meeting_id=live.meeting_id, text="One person here"))
    assert early.quorum_met is False
    for record in records:
        live.mark(record.id, AttendanceStatus.PRESENT)
    assert summarize_attendance(live.load().attendance, roster).quorum_met
    later = live.add_decision(_vote(live.meeting_id, 2))
    assert later.quorum_met is True
    stored = {d.text: d.quorum_met for d in live.load().decisions}
    assert stored == {"Before the roll call": None, "One person here": False, later.text: True}


def test_a_roster_change_between_decisions_is_counted(live_sample) -> None:
    """The quorum's organizations are kept between decisions, but only while collaborative.json
    is the same file: another instance raising the quorum is seen at the next decision."""
    from facilitate.domain.roster import Organization, Profile, Quorum, QuorumKind

    live = live_sample.live
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    first = live.add_decision(Decision(meeting_id=live.meeting_id, text="Quorum here"))
    assert first.quorum_met is True
    other = type(live.ws).open(live.ws.root)  # another instance of the program
    with other.transaction() as tx:
        profile = tx.all(Profile)[0]
        more = len(tx.all(Organization)) + 1  # more organizations than exist: never met
        profile.quorum = Quorum(kind=QuorumKind.COUNT, value=more)
        tx.update(profile)
    second = live.add_decision(Decision(meeting_id=live.meeting_id, text="After the change"))
    assert second.quorum_met is False
