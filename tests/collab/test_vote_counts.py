"""A vote's counts cannot add up to more people than the roll call has attending."""

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
        AttendanceStatus.LEFT_EARLY,  # (was there for part of it: may have voted)
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    ]
    for record, status in zip(records, statuses, strict=False):
        live.mark(record.id, status)
    with pytest.raises(ValidationError) as refused:
        live.add_decision(_vote(live.meeting_id, 3, 1, 1))
    message = str(refused.value)
    assert "5 votes" in message and "4 people attending" in message
    assert "roll call" in message
    assert live.load().decisions == []
    live.add_decision(_vote(live.meeting_id, 2, 1, 1))  # exactly as many: fine
    assert [d.votes_for for d in live.load().decisions] == [2]


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
