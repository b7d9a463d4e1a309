"""Load the built-in sample task force (sample_data/) into a workspace.

Ids are derived from the sample's keys, so exports of the sample are stable (golden files).
All dates can be shifted together so the upcoming meeting lands at a chosen instant (the demo).
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import pendulum
from pendulum import Date, DateTime, Duration

from ..domain.actions import ActionItem, ActionStatus
from ..domain.common import FacilitateError
from ..domain.meeting import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Feedback,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    TimeSpan,
)
from ..domain.roster import (
    Cadence,
    CadenceUnit,
    DecisionRule,
    Member,
    MouStatus,
    Organization,
    PartnershipType,
    Profile,
    Quorum,
    QuorumKind,
    Sector,
    Subcommittee,
)
from ..domain.speaking import GUEST_SECTOR, SpeakingTurn, TurnStatus
from ..domain.training import Delivery, TrainingSnippet
from ..storage.workspace import Workspace


def data_root() -> Traversable:
    """sample_data/ inside the installed package, or next to src/ in a checkout."""
    packaged = resources.files("facilitate").joinpath("_data", "sample_data")
    if packaged.is_dir():
        return packaged
    here = Path(__file__).resolve().parents[3] / "sample_data"
    return here


def parse_front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    """Split ``---`` front matter (key: value lines) from a Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FacilitateError(f"{source}: no front matter: start the file with a '---' line.")
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, "\n".join(lines[n:]).strip() + "\n"
        if ":" not in line:
            raise FacilitateError(f"{source}, line {n}: expected 'key: value' in the front matter.")
        key, value = line.split(":", 1)
        meta[key.strip().lower()] = value.strip()
    raise FacilitateError(f"{source}: the front matter is not closed with a '---' line.")


def load_training_file(text: str, source: str, snippet_id: str | None = None) -> TrainingSnippet:
    meta, body = parse_front_matter(text, source)
    try:
        minutes = int(meta.get("minutes", "5"))
    except ValueError as exc:
        raise FacilitateError(f"{source}: minutes must be a whole number.") from exc
    kwargs: dict[str, Any] = {}
    if snippet_id:
        kwargs["id"] = snippet_id
    return TrainingSnippet(
        title=meta.get("title", ""),
        topic=meta.get("topic", ""),
        minutes=minutes,
        body=body,
        **kwargs,
    ).validate()


class _Shift:
    def __init__(self, delta: Duration, days: int) -> None:
        self.delta, self.days = delta, days

    def instant(self, text: str, tz: str) -> DateTime:
        local = pendulum.parse(text, tz=tz)
        assert isinstance(local, DateTime)
        return (local + self.delta).in_timezone("UTC")

    def date(self, text: str) -> Date:
        parsed = pendulum.parse(text, exact=True)
        assert isinstance(parsed, Date)
        return parsed.add(days=self.days)


def load_sample(ws: Workspace, *, upcoming_start: DateTime | None = None) -> None:
    """Fill an empty workspace with the sample task force.

    ``upcoming_start``: move every date so the upcoming meeting starts then (None: as written).
    """
    root = data_root()
    spec = json.loads(root.joinpath("taskforce.json").read_text("utf-8"))
    prof = spec["profile"]
    tz = prof.get("timezone", "UTC")
    anchor = pendulum.parse(spec["anchor"], tz=tz)
    assert isinstance(anchor, DateTime)
    if upcoming_start is None:
        shift = _Shift(Duration(), 0)
    else:
        target = upcoming_start.in_timezone(tz)
        shift = _Shift(target - anchor, (target.date() - anchor.date()).in_days())

    snippets: dict[str, TrainingSnippet] = {}
    training_dir = root.joinpath("training")
    for entry in sorted(training_dir.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            stem = entry.name[:-3]
            snippets[stem] = load_training_file(
                entry.read_text("utf-8"), f"training/{entry.name}", f"trn-{stem}"
            )

    with ws.transaction() as tx:
        tx.add(
            Profile(
                name=prof["name"],
                mission=prof.get("mission", ""),
                decision_rule=DecisionRule(prof.get("decision_rule", "consensus")),
                quorum=Quorum(
                    kind=QuorumKind(prof["quorum"]["kind"]), value=float(prof["quorum"]["value"])
                ),
                confidentiality_statement=prof["confidentiality_statement"],
                data_protection_statement=prof.get("data_protection_statement", ""),
                cadence=Cadence(
                    every=int(prof["cadence"]["every"]), unit=CadenceUnit(prof["cadence"]["unit"])
                ),
                standing_slot=prof.get("standing_slot", ""),
                timezone=tz,
            )
        )
        for o in spec["organizations"]:
            tx.add(
                Organization(
                    id=f"org-{o['key']}",
                    name=o["name"],
                    sector=Sector(o["sector"]),
                    mou_status=MouStatus(o["mou_status"]),
                    mou_signed_on=shift.date(o["mou_signed_on"])
                    if o.get("mou_signed_on")
                    else None,
                    partnership=PartnershipType(o.get("partnership", "informal")),
                )
            )
        members = {m["key"]: m for m in spec["members"]}
        orgs = {o["key"]: o for o in spec["organizations"]}
        for m in spec["members"]:
            tx.add(
                Member(
                    id=f"mem-{m['key']}",
                    name=m["name"],
                    role=m.get("role", ""),
                    organization_id=f"org-{m['organization']}",
                    contact=m.get("contact", ""),
                    email=m.get("email", ""),
                )
            )
        for s in spec["subcommittees"]:
            tx.add(
                Subcommittee(
                    id=f"sub-{s['key']}",
                    name=s["name"],
                    charge=s.get("charge", ""),
                    chair_id=f"mem-{s['chair']}" if s.get("chair") else None,
                    member_ids=[f"mem-{k}" for k in s.get("members", [])],
                )
            )
        for spec_meeting in spec["meetings"]:
            _load_meeting(tx, spec_meeting, shift, members, orgs, snippets)
        for snippet in snippets.values():
            tx.add(snippet)


def _load_meeting(
    tx: Any,
    sm: dict[str, Any],
    shift: _Shift,
    members: dict[str, dict[str, Any]],
    orgs: dict[str, dict[str, Any]],
    snippets: dict[str, TrainingSnippet],
) -> None:
    tz = sm.get("timezone", "UTC")
    mid = f"mtg-{sm['key']}"
    start = shift.instant(sm["start"], tz)
    end = shift.instant(sm["end"], tz)
    status = MeetingStatus(sm.get("status", "planned"))
    meeting = Meeting(
        id=mid,
        title=sm["title"],
        start=start,
        end=end,
        timezone=tz,
        location=sm.get("location", ""),
        facilitator=sm.get("facilitator", ""),
        note_taker=sm.get("note_taker", ""),
        status=status,
        minutes_status=MinutesStatus(sm.get("minutes_status", "draft")),
        minutes_approved_on=shift.date(sm["minutes_approved_on"])
        if sm.get("minutes_approved_on")
        else None,
    )
    items: list[AgendaItem] = []
    cursor = start
    for n, si in enumerate(sm.get("agenda", [])):
        item = AgendaItem(
            id=f"itm-{sm['key']}-{n + 1:02d}",
            meeting_id=mid,
            position=n,
            title=si["title"],
            kind=ItemKind(si.get("kind", "other")),
            planned_minutes=int(si.get("planned_minutes", 5)),
            presenter=si.get("presenter", ""),
            confidential=si.get("confidential"),
            notes=si.get("notes", ""),
            training_id=f"trn-{si['training']}" if si.get("training") else None,
        )
        actual = si.get("actual_minutes")
        if status is MeetingStatus.ENDED and actual is not None:
            span_end = cursor.add(seconds=round(float(actual) * 60))
            item.spans = [TimeSpan(start=cursor, end=span_end)]
            cursor = span_end
            if item.training_id and item.training_id[4:] in snippets:
                snippets[item.training_id[4:]].deliveries.append(
                    Delivery(meeting_id=mid, delivered_at=span_end)
                )
        items.append(item)
    if status is MeetingStatus.ENDED:
        meeting.started_at = start
        meeting.ended_at = cursor
        meeting.confidentiality_ack_at = start
    tx.add(meeting)
    for item in items:
        tx.add(item)
    attendees: dict[str, Attendance] = {}  # member key or guest name -> attendance
    for n, sa in enumerate(sm.get("attendance", [])):
        if "member" in sa:
            m = members[sa["member"]]
            record = Attendance(
                id=f"att-{sm['key']}-{n + 1:02d}",
                meeting_id=mid,
                member_id=f"mem-{m['key']}",
                name=m["name"],
                role=m.get("role", ""),
                organization_id=f"org-{m['organization']}",
                organization_name=orgs[m["organization"]]["name"],
            )
        else:
            g = sa["guest"]
            record = Attendance(
                id=f"att-{sm['key']}-{n + 1:02d}",
                meeting_id=mid,
                name=g["name"],
                role=g.get("role", ""),
                organization_name=g.get("organization", ""),
            )
        record.status = AttendanceStatus(sa.get("status", "present"))
        record.introduced = bool(sa.get("introduced", False))
        tx.add(record)
        attendees[sa["member"] if "member" in sa else sa["guest"]["name"]] = record
    _load_turns(tx, sm, items, attendees, members, orgs)
    for n, sd in enumerate(sm.get("decisions", [])):
        tx.add(
            Decision(
                id=f"dec-{sm['key']}-{n + 1:02d}",
                meeting_id=mid,
                agenda_item_id=items[sd["item"]].id if sd.get("item") is not None else None,
                text=sd["text"],
                method=DecisionMethod(sd.get("method", "consensus")),
                votes_for=int(sd.get("for", 0)),
                votes_against=int(sd.get("against", 0)),
                abstentions=int(sd.get("abstain", 0)),
                dissent=sd.get("dissent", ""),
            )
        )
    for n, sa in enumerate(sm.get("actions", [])):
        due = sa.get("due", "next meeting")
        action = ActionItem(
            id=f"act-{sm['key']}-{n + 1:02d}",
            meeting_id=mid,
            agenda_item_id=items[sa["item"]].id if sa.get("item") is not None else None,
            text=sa["text"],
            subcommittee_id=f"sub-{sa['subcommittee']}" if sa.get("subcommittee") else None,
            owner_id=f"mem-{sa['owner']}" if sa.get("owner") else None,
            due=None if due == "next meeting" else shift.date(due),
            due_next_meeting=due == "next meeting",
            status=ActionStatus(sa.get("status", "open")),
            report_back=sa.get("report_back", ""),
        )
        if action.status is not ActionStatus.OPEN:
            action.closed_at = meeting.end
        tx.add(action)
    for n, sf in enumerate(sm.get("feedback", [])):
        tx.add(
            Feedback(
                id=f"fbk-{sm['key']}-{n + 1:02d}",
                meeting_id=mid,
                attendee=sf.get("attendee", ""),
                rating=sf.get("rating"),
                comment=sf.get("comment", ""),
            )
        )
    for n, sp in enumerate(sm.get("proposals", [])):
        tx.add(
            AgendaProposal(
                id=f"prp-{sm['key']}-{n + 1:02d}",
                meeting_id=mid,
                title=sp["title"],
                minutes=int(sp.get("minutes", 10)),
                proposed_by=sp.get("by", ""),
                confidential=bool(sp.get("confidential", False)),
                submitted_at=start.subtract(days=7),
            )
        )
    if status is MeetingStatus.ENDED:
        from .record import freeze_ended

        freeze_ended(tx, meeting, meeting.ended_at or end)  # as a meeting ended here would be


def _load_turns(
    tx: Any,
    sm: dict[str, Any],
    items: list[AgendaItem],
    attendees: dict[str, Attendance],
    members: dict[str, dict[str, Any]],
    orgs: dict[str, dict[str, Any]],
) -> None:
    """The speakers' queue of a held meeting: per item, turns one after the other from
    ``after_minutes`` into the item (so the demo's history and minutes show airtime)."""
    for block in sm.get("speaking", []):
        item = items[block["item"]]
        if not item.spans:
            continue
        cursor = item.spans[0].start.add(seconds=round(float(block.get("after_minutes", 0)) * 60))
        for n, st in enumerate(block["turns"], start=1):
            key = st.get("member") or st["guest"]
            person = attendees[key]
            sector = GUEST_SECTOR
            if "member" in st:
                sector = orgs[members[key]["organization"]]["sector"]
            seconds = round(float(st.get("minutes", 0)) * 60)
            spans = []
            if seconds:
                spans = [TimeSpan(start=cursor, end=cursor.add(seconds=seconds))]
                cursor = cursor.add(seconds=seconds)
            tx.add(
                SpeakingTurn(
                    id=f"trn-{sm['key']}-{block['item'] + 1:02d}-{n:02d}",
                    meeting_id=item.meeting_id,
                    item_id=item.id,
                    attendance_id=person.id,
                    name=person.name,
                    organization=person.organization_name,
                    sector=sector,
                    status=TurnStatus(st.get("status", "spoke")),
                    position=n,
                    spans=spans,
                    note=st.get("note", ""),
                    confidential=bool(item.confidential),
                )
            )
