"""Correcting the record (issue 16): decisions, actions, feedback and notes can be edited or
deleted until the minutes are approved; every change is in the audit log with who, when, the
old and the new value; confidential text stays out of the log; the minutes show the record as
it stands."""

from __future__ import annotations

import copy
import json

import pendulum
import pytest

from facilitate.cli import main
from facilitate.domain.actions import ActionItem
from facilitate.domain.corrections import RecordClosedError, require_correctable
from facilitate.domain.meeting import (
    Decision,
    DecisionMethod,
    Feedback,
    Meeting,
    MinutesStatus,
)
from facilitate.minutes.export import render_minutes
from facilitate.services.corrections import RecordEditor
from facilitate.storage import audit
from facilitate.storage.errors import StaleRecordError

from .conftest import Live


def _entries(live: Live) -> list[dict]:
    """The change lines (the audit trail's intent and done lines around them left out)."""
    lines = [json.loads(line) for line in live.ws.audit_path.read_text().splitlines()]
    return [line for line in lines if line["op"] not in ("intent", "done")]


def _decision(live: Live, text: str = "Adopt the shelter referral protocol") -> Decision:
    live.live.goto(live.item_ids[1])
    return live.live.add_decision(
        Decision(
            meeting_id=live.meeting_id,
            agenda_item_id=live.item_ids[1],
            text=text,
            method=DecisionMethod.VOTE,
            votes_for=1,
            votes_against=0,
            abstentions=0,
        )
    )


def _member_id(live: Live) -> str:
    return live.ws.snapshot().roster().active_members()[0].id


def test_a_mistyped_vote_is_corrected_and_logged_with_old_and_new(live_sample: Live) -> None:
    decision = _decision(live_sample)
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    fixed = copy.deepcopy(decision)
    fixed.votes_for, fixed.votes_against = 15, 4
    fixed.text = "Adopt the shelter referral protocol, as amended"
    saved = editor.save(fixed)
    assert saved.votes_for == 15 and saved.rev == decision.rev + 1
    stored = live_sample.live.load().decisions
    assert [(d.votes_for, d.votes_against) for d in stored] == [(15, 4)]
    assert stored[0].recorded_at == decision.recorded_at  # when it was taken is kept
    last = _entries(live_sample)[-1]
    assert last["op"] == "update" and last["id"] == decision.id
    assert last["user"] == audit.os_user() and last["at"]
    assert last["changes"]["votes_for"] == {"old": 1, "new": 15}
    assert last["changes"]["text"]["old"] == "Adopt the shelter referral protocol"
    assert "abstentions" not in last["changes"]  # unchanged fields are not listed
    assert audit.verify(live_sample.ws.audit_path, live_sample.ws.audit_anchor_path) == []


def test_the_minutes_show_the_record_as_it_stands(live_sample: Live) -> None:
    decision = _decision(live_sample, "Meet weekly")
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    fixed = copy.deepcopy(decision)
    fixed.text = "Meet fortnightly"
    editor.save(fixed)
    action = live_sample.live.add_action(
        ActionItem(
            meeting_id=live_sample.meeting_id,
            text="Circulate the draft protocol",
            owner_id=_member_id(live_sample),
            due_next_meeting=True,
        )
    )
    editor.delete(action)
    minutes = render_minutes(live_sample.ws, live_sample.meeting_id, "md").decode()
    assert "Meet fortnightly" in minutes and "Meet weekly" not in minutes
    assert "Circulate the draft protocol" not in minutes
    deleted = _entries(live_sample)[-1]
    assert deleted["op"] == "delete" and deleted["kind"] == "ActionItem"
    assert deleted["changes"]["text"] == {"old": "Circulate the draft protocol", "new": None}


def test_feedback_and_notes_are_corrected(live_sample: Live) -> None:
    live = live_sample.live
    fb = live.add_feedback("Ana", 2, "Too long")
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    fixed = copy.deepcopy(fb)
    fixed.rating = 4
    editor.save(fixed)
    assert [f.rating for f in live.load().feedback] == [4]
    item = live.load().item(live_sample.item_ids[0])
    assert item is not None
    live.save_notes(item.id, "Welcme all")
    item = live.load().item(item.id)
    assert item is not None
    editor.save_notes(item, "Welcome all")
    assert live.load().item(item.id).notes == "Welcome all"  # type: ignore[union-attr]
    last = _entries(live_sample)[-1]
    assert last["changes"] == {"notes": {"old": "Welcme all", "new": "Welcome all"}}
    deleted = copy.deepcopy(live.load().feedback[0])
    editor.delete(deleted)
    assert live.load().feedback == []


def test_confidential_text_never_reaches_the_log(live_sample: Live, capsys) -> None:
    live = live_sample.live
    case = next(i for i in live.load().items if i.confidential)
    live.goto(case.id)
    decision = live.add_decision(
        Decision(meeting_id=live_sample.meeting_id, agenda_item_id=case.id, text="Refer Jane Roe")
    )
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    fixed = copy.deepcopy(decision)
    fixed.text = "Refer J.R. to safe house B"
    editor.save(fixed)
    live.save_notes(case.id, "Jane Roe")
    editor.save_notes(live.load().item(case.id), "Jane Roe, safe house B")  # type: ignore[arg-type]
    editor.delete(live.load().decisions[0])
    raw = live_sample.ws.audit_path.read_text()
    assert "Jane" not in raw and "safe house" not in raw and "J.R." not in raw
    fixes = [e for e in _entries(live_sample) if e.get("changes")]
    assert [e["op"] for e in fixes] == ["update", "update", "delete"]
    assert fixes[0]["changes"]["text"] == {
        "old": "(confidential)",
        "new": "(confidential)",
    }
    assert main(["--data", str(live_sample.ws.root), "log", live_sample.meeting_id]) == 0
    out = capsys.readouterr().out
    assert "Jane" not in out and "safe house" not in out
    assert "text: (confidential) -> (confidential)" in out


def test_facilitate_log_prints_the_old_and_new_value(live_sample: Live, capsys) -> None:
    decision = _decision(live_sample)
    fixed = copy.deepcopy(decision)
    fixed.votes_for = 12
    RecordEditor(live_sample.ws, live_sample.meeting_id).save(fixed)
    assert main(["--data", str(live_sample.ws.root), "log", "--tail", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"update decision {decision.id}" in out[0] and audit.os_user() in out[0]
    assert out[1].strip() == "votes for: 1 -> 12"


def test_after_approval_changes_are_refused_with_a_message(live_sample: Live) -> None:
    decision = _decision(live_sample)
    fb = live_sample.live.add_feedback("", 5, "Good")
    live_sample.live.end()
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    fixed = copy.deepcopy(decision)
    fixed.text = "Something else"
    decision = editor.save(fixed)  # ended, not approved: still correctable
    # The fixture's meeting is dated ahead of today, so no --on date is both after it and not
    # in the future: approved the way 'minutes approve' stores it.
    today = pendulum.date(2026, 12, 10)
    with live_sample.ws.transaction() as tx:
        meeting = tx.get(Meeting, live_sample.meeting_id)
        meeting.minutes_status, meeting.minutes_approved_on = MinutesStatus.APPROVED, today
        tx.update(meeting)
    before = live_sample.ws.audit_path.read_bytes()
    again = copy.deepcopy(decision)
    again.text = "Too late"
    with pytest.raises(RecordClosedError, match=rf"approved on {today}.*can no longer"):
        editor.save(again)
    with pytest.raises(RecordClosedError, match="approved"):
        editor.delete(fb)
    item = live_sample.live.load().items[0]
    with pytest.raises(RecordClosedError, match="notes can no longer"):
        editor.save_notes(item, "changed")
    with pytest.raises(RecordClosedError):
        editor.check()
    assert live_sample.ws.audit_path.read_bytes() == before
    assert live_sample.live.load().decisions[0].text == "Something else"


def test_a_correction_from_a_stale_screen_is_refused(live_sample: Live) -> None:
    decision = _decision(live_sample)
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    first = copy.deepcopy(decision)
    first.text = "First fix"
    editor.save(first)
    second = copy.deepcopy(decision)  # loaded before the first fix
    second.text = "Second fix"
    with pytest.raises(StaleRecordError):
        editor.save(second)
    with pytest.raises(StaleRecordError):
        editor.delete(decision)
    assert live_sample.live.load().decisions[0].text == "First fix"


def test_bad_corrections_are_refused_by_the_domain_rules(live_sample: Live) -> None:
    decision = _decision(live_sample)
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    empty = copy.deepcopy(decision)
    empty.text = "   "
    with pytest.raises(ValueError, match="Decision text"):
        editor.save(empty)
    bad = Feedback(meeting_id=live_sample.meeting_id, rating=9)
    with pytest.raises(ValueError, match="1-5"):
        editor.save(bad)


def test_a_planned_meeting_has_no_record_to_correct(live_sample: Live) -> None:
    planned = live_sample.ws.snapshot().get(
        type(live_sample.live.load().meeting), live_sample.meeting_id
    )
    planned.status = type(planned.status)("planned")
    with pytest.raises(RecordClosedError, match="not started"):
        require_correctable(planned)


def test_a_corrected_vote_is_held_to_the_room_it_was_taken_in(live_sample: Live) -> None:
    """Three members attending when the vote was taken; one leaves later: the correction is
    checked against the three the decision keeps, not the room now (nor no limit at all)."""
    from facilitate.domain.common import ValidationError
    from facilitate.domain.meeting import AttendanceStatus

    live = live_sample.live
    records = live.load().attendance
    for record in records[:3]:
        live.mark(record.id, AttendanceStatus.PRESENT)
    decision = _decision(live_sample)
    assert decision.attending == 3
    live.mark(records[0].id, AttendanceStatus.LEFT_EARLY)  # (after the vote)
    editor = RecordEditor(live_sample.ws, live_sample.meeting_id)
    logged = len(_entries(live_sample))
    mistyped = copy.deepcopy(decision)
    mistyped.votes_for, mistyped.votes_against, mistyped.abstentions = 2, 1, 1
    with pytest.raises(ValidationError) as refused:
        editor.save(mistyped)
    message = str(refused.value)
    assert "4 votes" in message and "3 members were attending" in message
    assert "when this decision was taken" in message
    stored = live.load().decisions[0]
    assert (stored.votes_for, stored.votes_against, stored.abstentions) == (1, 0, 0)
    assert len(_entries(live_sample)) == logged  # nothing written, nothing logged
    fixed = copy.deepcopy(decision)
    fixed.votes_for, fixed.votes_against, fixed.abstentions = 1, 1, 1  # as many as attended
    assert editor.save(fixed).abstentions == 1


def test_a_vote_taken_before_the_roll_call_has_no_room_to_check(live_sample: Live) -> None:
    decision = _decision(live_sample)
    assert decision.attending is None
    fixed = copy.deepcopy(decision)
    fixed.votes_for = 40
    assert RecordEditor(live_sample.ws, live_sample.meeting_id).save(fixed).votes_for == 40
