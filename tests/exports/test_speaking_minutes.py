"""Who spoke and airtime in the minutes (issue 20): a "Who spoke" line per item, a per-sector
airtime table (with the organizations in the members-only minutes, sector totals only in the
redacted version), and confidential items' speakers following the confidential rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pendulum import DateTime

from facilitate.domain.meeting import AttendanceStatus, ItemKind, MeetingStatus
from facilitate.domain.speaking import TurnStatus, sector_label
from facilitate.minutes.docx import read_docx_text
from facilitate.minutes.export import render_minutes
from facilitate.minutes.model import gather_minutes
from facilitate.services.live import LiveMeeting
from facilitate.services.sample import load_sample
from facilitate.services.speaking import Speakers
from facilitate.storage.workspace import Workspace


class Clock:
    def __init__(self, at: DateTime) -> None:
        self.at = at

    def __call__(self) -> DateTime:
        return self.at


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, str, dict[str, list[str]]]:
    """The sample's planned meeting held: three turns of two organizations on information
    sharing, one on the (confidential) case review, with a note. Returns who spoke per item."""
    ws = Workspace.create(tmp_path_factory.mktemp("speak") / "ws")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock = Clock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    speakers = Speakers(live)
    live.start()
    live.acknowledge_confidentiality()
    people = sorted(live.load().attendance, key=lambda a: (a.organization_name, a.name))
    for person in people:
        live.mark(person.id, AttendanceStatus.PRESENT)
    items = {i.kind: i for i in live.load().items}
    # Three people of different organizations, the first speaking twice.
    by_org = {}
    for person in people:
        by_org.setdefault(person.organization_name, person)
    a, b, c = list(by_org.values())[:3]

    live.goto(items[ItemKind.INFORMATION_SHARING].id)
    for person in (b, a):
        speakers.enqueue(person.id)
    for _ in range(2):
        speakers.next_speaker()
        clock.at = clock.at.add(seconds=90)
    speakers.enqueue(b.id)  # b again: listed once, in order of first speaking
    speakers.next_speaker()
    clock.at = clock.at.add(seconds=30)
    speakers.next_speaker()

    live.goto(items[ItemKind.CASE_REVIEW].id)
    turn = speakers.enqueue(c.id)
    speakers.next_speaker()
    clock.at = clock.at.add(seconds=120)
    speakers.mark(turn.id, TurnStatus.SPOKE, note="Shelter bed found for the youth at Pier 9.")
    clock.at = clock.at.add(seconds=60)
    live.end()
    spoke = {
        "info": [b.organization_name, a.organization_name],
        "case": [c.organization_name],
    }
    return ws, meeting.id, spoke


def _md(ws: Workspace, meeting_id: str, include: bool) -> str:
    return render_minutes(ws, meeting_id, "md", include).decode()


def _who_spoke_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("**Who spoke:**")]


def test_members_only_minutes_list_who_spoke_per_item_and_airtime_by_organization(held) -> None:
    ws, mid, spoke = held
    text = _md(ws, mid, True)
    lines = _who_spoke_lines(text)
    assert lines == [
        "**Who spoke:** " + "; ".join(spoke["info"]),
        "**Who spoke:** " + "; ".join(spoke["case"]),
    ]
    # The round's note is in the case's notes under the organization's name.
    assert f"{spoke['case'][0]}: Shelter bed found" in text
    section = text.split("## Airtime by sector", 1)[1].split("\n## ", 1)[0]
    assert "| Sector | Time (m:ss) | Share | Organizations |" in section
    assert f"{spoke['info'][0]} 2:00" in section  # 90 s + 30 s
    assert f"{spoke['case'][0]} 2:00" in section
    assert "**Total:** 5:30 spoken" in section


def test_redacted_minutes_show_sector_totals_and_withhold_the_confidential_speakers(
    held,
) -> None:
    ws, mid, spoke = held
    text = _md(ws, mid, False)
    # Who spoke on the information-sharing item is shown; on the case review, withheld.
    assert _who_spoke_lines(text) == ["**Who spoke:** " + "; ".join(spoke["info"])]
    assert "Shelter bed" not in text and "Pier 9" not in text
    section = text.split("## Airtime by sector", 1)[1].split("\n## ", 1)[0]
    assert "| Sector | Time (m:ss) | Share |" in section
    assert "Organizations" not in section.splitlines()[2]
    for org in spoke["info"] + spoke["case"]:
        assert org not in section
    # The confidential item's turn still counts in the totals.
    assert "**Total:** 5:30 spoken" in section
    data = gather_minutes(ws.snapshot(), mid, include_confidential=False)
    assert sum(row.seconds for row in data.airtime) == 330
    assert sum(row.share for row in data.airtime) == pytest.approx(1.0)
    assert all(row.organizations == () for row in data.airtime)


def test_airtime_rows_are_labelled_sectors(held) -> None:
    ws, mid, _spoke = held
    data = gather_minutes(ws.snapshot(), mid, include_confidential=True)
    turns = ws.snapshot().bundle(mid).turns
    assert {row.sector for row in data.airtime} == {sector_label(t.sector) for t in turns}


def test_every_format_carries_the_airtime(held) -> None:
    ws, mid, spoke = held
    html = render_minutes(ws, mid, "html", True).decode()
    assert "Airtime by sector" in html and "Who spoke" in html
    assert re.search(r"<th[^>]*>Organizations</th>", html)
    word = repr(read_docx_text(render_minutes(ws, mid, "docx", True)))
    assert "Airtime by sector" in word and spoke["case"][0] in word


def test_minutes_without_turns_have_no_speaking_lines(tmp_path: Path) -> None:
    """A meeting file from before the queue (no 'turns' or 'rounds' table at all, as the
    sample's approved October meeting) reads as no turns; its minutes have no speaking lines."""
    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    raw = json.loads(ws.meeting_path("mtg-2026-10").read_text("utf-8"))
    assert "turns" not in raw and "rounds" not in raw
    bundle = ws.snapshot().bundle("mtg-2026-10")
    assert bundle.turns == [] and bundle.rounds == []
    for include in (False, True):
        text = _md(ws, "mtg-2026-10", include)
        assert "Who spoke" not in text and "Airtime" not in text


def test_hostile_speaker_names_are_plain_text_in_every_format(tmp_path: Path) -> None:
    from tests.conftest import HOSTILE_STRINGS
    from tests.exports.helpers import parse_html

    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock = Clock(meeting.start.add(minutes=1))
    live = LiveMeeting(ws, meeting.id, clock)
    speakers = Speakers(live)
    live.start()
    info = next(i for i in live.load().items if i.kind is ItemKind.INFORMATION_SHARING)
    live.goto(info.id)
    for n, text in enumerate(HOSTILE_STRINGS[:25]):
        guest = live.add_guest(f"Guest {n} {text}"[:190], "", f"Agency {text}"[:190])
        turn = speakers.enqueue(guest.id)
        speakers.next_speaker()
        clock.at = clock.at.add(seconds=5)
        speakers.mark(turn.id, TurnStatus.SPOKE, note=f"note {text}")
    live.end()
    md = render_minutes(ws, meeting.id, "md", True).decode()
    html = render_minutes(ws, meeting.id, "html", True).decode()
    assert "Who spoke" in md and "\x1b" not in md and "\x1b" not in html
    tags = {tag for tag, _attrs in parse_html(html).tags}
    assert not tags & {"script", "img", "iframe", "a", "object", "svg", "form", "input"}
