"""A decision taken without a quorum says so in the minutes (every format), and only then.

A user trial recorded a 4-1-0 vote while the roll call showed "Quorum NOT met"; the minutes
said "carried" with no sign of it."""

from __future__ import annotations

from pathlib import Path

from facilitate.domain.meeting import AttendanceStatus, Decision, DecisionMethod
from facilitate.minutes.export import render_minutes
from facilitate.services.live import LiveMeeting
from tests.agenda.builders import sample_workspace
from tests.exports.helpers import docx_text, html_text, md_text

MEETING = "mtg-2026-12"  # the sample's planned meeting
MARK = "recorded without a quorum"


def _texts(ws) -> dict[str, str]:
    return {
        "md": md_text(render_minutes(ws, MEETING, "md").decode()),
        "html": html_text(render_minutes(ws, MEETING, "html").decode()),
        "docx": docx_text(render_minutes(ws, MEETING, "docx")),
    }


def test_a_vote_without_a_quorum_is_marked_in_the_minutes(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path / "ws")
    meeting = ws.snapshot().bundle(MEETING).meeting
    live = LiveMeeting(ws, MEETING, clock=lambda: meeting.start)
    live.start()
    records = live.load().attendance
    live.mark(records[0].id, AttendanceStatus.PRESENT)
    live.add_decision(
        Decision(
            meeting_id=MEETING,
            text="Adopt the outreach calendar",
            method=DecisionMethod.VOTE,
            votes_for=1,
        )
    )
    for record in records:
        live.mark(record.id, AttendanceStatus.PRESENT)
    live.add_decision(Decision(meeting_id=MEETING, text="Thank the hosts"))
    for fmt, text in _texts(ws).items():
        assert text.count(MARK) == 1, fmt
        outreach = text.index("Adopt the outreach calendar")
        assert outreach < text.index(MARK) < text.index("Thank the hosts"), fmt
        assert "carried" in text[outreach : text.index(MARK)], fmt
