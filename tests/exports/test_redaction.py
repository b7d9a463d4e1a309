"""Confidential items are redacted by default, in every format, including the ICS agenda."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from facilitate.agenda.render import render_agenda
from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import AgendaItem, Meeting, MeetingStatus
from facilitate.minutes.export import render_minutes
from facilitate.minutes.ics import actions_to_ics
from facilitate.minutes.model import REDACTED
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import SECRETS, small_workspace
from tests.exports.helpers import docx_text, html_text, ics_text, md_text

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


def confidential_texts(ws: Workspace) -> list[str]:
    """Every note line, decision, dissent and action text recorded under a confidential item."""
    tx = ws.snapshot()
    texts: list[str] = []
    for meeting in tx.meetings():
        bundle = tx.bundle(meeting.id)
        secret_ids = {i.id for i in bundle.items if i.confidential}
        for item in bundle.items:
            if item.confidential:
                texts += [line.strip() for line in item.notes.split("\n") if line.strip()]
        texts += [d.text for d in bundle.decisions if d.agenda_item_id in secret_ids]
        texts += [
            d.dissent for d in bundle.decisions if d.agenda_item_id in secret_ids and d.dissent
        ]
        texts += [a.text for a in bundle.actions if a.agenda_item_id in secret_ids]
        texts += [
            a.report_back
            for a in bundle.actions
            if a.agenda_item_id in secret_ids and a.report_back
        ]
    assert texts, "the fixture should hold confidential text"
    return texts


def every_export(ws: Workspace, include: bool) -> dict[str, str]:
    """All exports of all meetings as reader-visible text, keyed by a label."""
    tx = ws.snapshot()
    out: dict[str, str] = {}
    for meeting in tx.meetings():
        if meeting.status is MeetingStatus.ENDED:
            out[f"{meeting.id}.md"] = md_text(
                render_minutes(ws, meeting.id, "md", include).decode()
            )
            out[f"{meeting.id}.md-raw"] = render_minutes(ws, meeting.id, "md", include).decode()
            out[f"{meeting.id}.html"] = html_text(
                render_minutes(ws, meeting.id, "html", include).decode()
            )
            out[f"{meeting.id}.docx"] = docx_text(render_minutes(ws, meeting.id, "docx", include))
        if not include:
            out[f"{meeting.id}.agenda.md"] = md_text(render_agenda(ws, meeting.id, "md").decode())
            out[f"{meeting.id}.agenda.html"] = html_text(
                render_agenda(ws, meeting.id, "html").decode()
            )
            ics = render_agenda(ws, meeting.id, "ics", now=NOW)
            out[f"{meeting.id}.agenda.ics"] = ics_text(ics)
            out[f"{meeting.id}.agenda.ics-raw"] = ics.decode()
    if not include:
        confidential_ids = {
            i.id for m in tx.meetings() for i in tx.all(AgendaItem, m.id) if i.confidential
        }
        data = actions_to_ics(
            tx.all_actions(),
            tx.roster(),
            next_meeting=pendulum.date(2026, 12, 10),
            confidential_item_ids=confidential_ids,
            include_closed=True,
            now=NOW,
        )
        out["actions.ics"] = ics_text(data)
    return out


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")


@pytest.mark.parametrize("which", ["sample", "small"])
def test_no_confidential_text_in_redacted_outputs(
    which: str, sample_ws: Workspace, tmp_path: Path
) -> None:
    ws = sample_ws if which == "sample" else small_workspace(tmp_path / "ws").ws
    secrets = confidential_texts(ws)
    for label, text in every_export(ws, include=False).items():
        flat = _unfold(text)
        for secret in secrets:
            # Compare on a distinctive stretch (markdown escapes and line folding aside).
            probe = secret[:60]
            assert probe not in flat, f"{label} leaks {probe!r}"
        assert "HV-2" not in flat and "RT-4711" not in flat, label


def test_redacted_minutes_keep_titles_and_say_why(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    text = md_text(render_minutes(small.ws, small.past, "md").decode())
    assert "Case review (confidential)" in text
    assert text.count(REDACTED) == 3  # notes, decisions, actions
    for secret in SECRETS:
        assert secret not in text


def test_include_confidential_shows_everything(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    secrets = confidential_texts(small.ws)
    for label, text in every_export(small.ws, include=True).items():
        if label.endswith("-raw"):
            continue
        for secret in secrets:
            if "Prep:" in secret:  # notes of the planned meeting: no minutes for it
                continue
            assert secret in text, (label, secret)
        assert "CONFIDENTIAL: members only" in text
        assert REDACTED not in text


def test_earlier_confidential_actions_are_redacted_in_report_backs(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        action = tx.get(ActionItem, "act-secret", "mtg-past")
        action.report_back = "Interview held at Maple Street"
        tx.update(action)
        meeting = tx.get(Meeting, "mtg-next")
        meeting.status = MeetingStatus.ENDED
        tx.update(meeting)
    redacted = md_text(render_minutes(small.ws, small.upcoming, "md").decode())
    assert "Report-backs received" in redacted
    assert "Maple Street" not in redacted and REDACTED in redacted
    full = md_text(render_minutes(small.ws, small.upcoming, "md", True).decode())
    assert "Interview held at Maple Street" in full
