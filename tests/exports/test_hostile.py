"""Hostile strings as names, titles, notes and decisions: no markup gets through any format."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from markdown_it import MarkdownIt

from facilitate.agenda.render import render_agenda
from facilitate.domain.actions import ActionItem
from facilitate.domain.common import clean_text
from facilitate.domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Feedback,
    ItemKind,
    Meeting,
    MeetingStatus,
)
from facilitate.domain.roster import Member, Organization, Profile
from facilitate.minutes.export import render_minutes
from facilitate.minutes.ics import actions_to_ics
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import add_item, add_meeting, local
from tests.conftest import HOSTILE_STRINGS
from tests.exports.helpers import docx_text, ics_text, parse_html

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")
MARKDOWN_TAGS = {
    "h1", "h2", "h3", "p", "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "ul",
    "ol", "li", "blockquote", "br",
}  # fmt: skip


def usable(value: str) -> str:
    """The hostile value, or with a suffix when cleaning would leave a required field empty."""
    return value if clean_text(value).strip() else value + "x"


def hostile_workspace(root: Path, value: str) -> Workspace:
    v = usable(value)
    ws = Workspace.create(root)
    with ws.transaction() as tx:
        tx.add(Profile(name=v, timezone="Europe/Amsterdam"))
        tx.add(Organization(id="org-a", name=v))
        tx.add(Member(id="mem-a", name=v, role=v, organization_id="org-a"))
        past = add_meeting(
            tx,
            "mtg-h",
            local(2026, 3, 10, tz="Europe/Amsterdam"),
            tz="Europe/Amsterdam",
            status=MeetingStatus.ENDED,
            title=v,
        )
        past.location = past.facilitator = past.note_taker = v
        tx.update(past)
        item = add_item(tx, past, 0, v, 10, actual=9, notes=value, presenter=v)
        add_item(tx, past, 1, v, 10, kind=ItemKind.CASE_REVIEW, actual=9, offset=9, notes=value)
        tx.add(
            Attendance(
                meeting_id=past.id,
                member_id="mem-a",
                name=v,
                role=v,
                organization_id="org-a",
                organization_name=v,
                status=AttendanceStatus.PRESENT,
            )
        )
        tx.add(Attendance(meeting_id=past.id, name=v, role=v, organization_name=v))
        tx.add(
            Decision(
                meeting_id=past.id,
                agenda_item_id=item.id,
                text=v,
                method=DecisionMethod.VOTE,
                votes_for=2,
                votes_against=1,
                dissent=value,
            )
        )
        tx.add(
            ActionItem(
                id="act-h",
                meeting_id=past.id,
                agenda_item_id=item.id,
                text=v,
                owner_id="mem-a",
                due=pendulum.date(2026, 4, 1),
            )
        )
        tx.add(Feedback(meeting_id=past.id, rating=3, comment=v))
    return ws


@pytest.fixture(scope="module")
def hostile_outputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[str, Workspace, dict[str, bytes]]]:
    out = []
    for n, value in enumerate(HOSTILE_STRINGS):
        ws = hostile_workspace(tmp_path_factory.mktemp(f"h{n}") / "ws", value)
        formats = {
            f"{fmt}-{inc}": render_minutes(ws, "mtg-h", fmt, inc)
            for fmt in ("md", "html")
            for inc in (False, True)
        }
        # Word: the full version (a superset of the redacted one's text; docx is the slow one).
        formats["docx-True"] = render_minutes(ws, "mtg-h", "docx", True)
        formats["agenda-md"] = render_agenda(ws, "mtg-h", "md")
        formats["agenda-html"] = render_agenda(ws, "mtg-h", "html")
        formats["agenda-ics"] = render_agenda(ws, "mtg-h", "ics", now=NOW)
        tx = ws.snapshot()
        formats["actions-ics"] = actions_to_ics(tx.all_actions(), tx.roster(), now=NOW)
        out.append((value, ws, formats))
    return out


def test_fixture_has_hostile_strings(hostile_strings: list[str]) -> None:
    assert any("<script>" in s for s in hostile_strings)
    assert len(hostile_strings) >= 10


def _check_html(html: str, where: str) -> None:
    parsed = parse_html(html)
    for tag, attrs in parsed.tags:
        assert tag != "script", where
        assert tag not in ("img", "a", "iframe", "object", "embed", "link", "form"), (where, tag)
        for name, val in attrs:
            assert not name.lower().startswith("on"), (where, tag, name)
            assert "javascript:" not in (val or "").lower(), (where, tag, name)


def test_html_has_no_script_handlers_or_javascript_urls(hostile_outputs) -> None:
    for value, _ws, formats in hostile_outputs:
        for key in ("html-False", "html-True", "agenda-html"):
            html = formats[key].decode()
            _check_html(html, f"{key} {value!r}")
            assert 'http-equiv="Content-Security-Policy"' in html


@pytest.mark.parametrize("preset", ["js-default", "commonmark"])
def test_markdown_renders_without_raw_html(hostile_outputs, preset: str) -> None:
    # commonmark passes raw HTML through: the escaping must hold even there.
    md = MarkdownIt(preset)
    for value, _ws, formats in hostile_outputs:
        for key in ("md-False", "md-True", "agenda-md"):
            html = md.render(formats[key].decode())
            parsed = parse_html(html)
            tags = {tag for tag, _ in parsed.tags}
            assert tags <= MARKDOWN_TAGS, (key, value, tags - MARKDOWN_TAGS)
            _check_html(html, f"{key} {value!r}")


def test_markdown_keeps_the_text_visible(hostile_outputs) -> None:
    md = MarkdownIt("js-default")
    for value, ws, formats in hostile_outputs:
        stored = ws.snapshot().get(Decision, ws.snapshot().all(Decision, "mtg-h")[0].id, "mtg-h")
        text = "".join(parse_html(md.render(formats["md-False"].decode())).parts)
        expected = " ".join(stored.text.replace("\t", " ").split())
        assert expected in " ".join(text.split()), value


def test_docx_round_trips_text(hostile_outputs) -> None:
    for value, ws, formats in hostile_outputs:
        tx = ws.snapshot()
        decision = tx.all(Decision, "mtg-h")[0]
        member = tx.all(Member)[0]
        full = docx_text(formats["docx-True"])
        assert member.name in full, value
        assert decision.text in full, value
        case_notes = next(i for i in tx.all(AgendaItem, "mtg-h") if i.confidential).notes
        if case_notes.strip():
            assert case_notes.strip() in full, value


def test_ics_round_trips_text(hostile_outputs) -> None:
    from icalendar import Calendar

    for value, ws, formats in hostile_outputs:
        tx = ws.snapshot()
        meeting = tx.get(Meeting, "mtg-h")
        event = next(c for c in Calendar.from_ical(formats["agenda-ics"]).walk("VEVENT"))
        assert str(event["SUMMARY"]) == meeting.title, value
        assert str(event["LOCATION"]) == meeting.location, value
        action = tx.get(ActionItem, "act-h", "mtg-h")
        text = ics_text(formats["actions-ics"])
        assert action.text in text, value
