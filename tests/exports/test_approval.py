"""Minutes approval: draft until approved; the next meeting's approval item records it."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem, Meeting, MinutesStatus
from facilitate.minutes.approval import approve_minutes
from facilitate.minutes.export import render_minutes
from tests.agenda.builders import small_workspace
from tests.exports.helpers import docx_text, html_text


def test_approve_records_date_corrections_and_next_item(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    draft = render_minutes(small.ws, small.past, "md").decode()
    assert "**Minutes:** Draft, not yet approved" in draft
    result = approve_minutes(
        small.ws, small.past, pendulum.date(2026, 2, 10), "Bo was remote, not present."
    )
    assert result.was_approved_on is None
    meeting = small.ws.snapshot().get(Meeting, small.past)
    assert meeting.minutes_status is MinutesStatus.APPROVED
    assert meeting.minutes_approved_on == pendulum.date(2026, 2, 10)
    assert meeting.minutes_corrections == "Bo was remote, not present."
    item = small.ws.snapshot().get(AgendaItem, "itm-mtg-next-01", small.upcoming)
    assert result.recorded_in is not None and result.recorded_in.id == item.id
    assert "Minutes of 13 January 2026 approved on 10 February 2026 with corrections" in item.notes
    md = render_minutes(small.ws, small.past, "md").decode()
    assert "**Minutes:** Approved on 10 February 2026" in md
    assert "**Corrections at approval:** Bo was remote, not present." in md
    assert "Approved on 10 February 2026" in html_text(
        render_minutes(small.ws, small.past, "html").decode()
    )
    assert "Approved on 10 February 2026" in docx_text(render_minutes(small.ws, small.past, "docx"))
    again = approve_minutes(small.ws, small.past, pendulum.date(2026, 2, 11))
    assert again.was_approved_on == pendulum.date(2026, 2, 10)


def test_approving_a_planned_meeting_is_refused(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="not been held"):
        approve_minutes(small.ws, small.upcoming)


def test_approval_before_the_meeting_is_refused(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="before the meeting"):
        approve_minutes(small.ws, small.past, pendulum.date(2026, 1, 1))
    assert small.ws.snapshot().get(Meeting, small.past).minutes_status is MinutesStatus.DRAFT
