"""Small hand-built workspaces for agenda and export tests (no sample data needed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pendulum
from pendulum import DateTime

from facilitate.domain.actions import ActionItem, ActionStatus
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
    TimeSpan,
)
from facilitate.domain.roster import (
    Cadence,
    CadenceUnit,
    Member,
    Organization,
    Profile,
    Sector,
    Subcommittee,
)
from facilitate.services.sample import load_sample
from facilitate.storage.workspace import Transaction, Workspace

SECRET_NOTE = "Case RT-4711: the young person is staying with an aunt in Maple Street"
SECRET_DECISION = "Case RT-4711: one joint interview, advocate present"
SECRET_ACTION = "Case RT-4711: book the interview room"
SECRET_DISSENT = "Dissent about RT-4711 interview timing"
SECRETS = ("RT-4711", "Maple Street", "joint interview", "interview room")


def local(
    y: int, mo: int, d: int, h: int = 10, mi: int = 0, tz: str = "America/New_York"
) -> DateTime:
    return pendulum.datetime(y, mo, d, h, mi, tz=tz).in_timezone("UTC")


def add_meeting(
    tx: Transaction,
    mid: str,
    start: DateTime,
    *,
    minutes: int = 120,
    tz: str = "America/New_York",
    status: MeetingStatus = MeetingStatus.PLANNED,
    title: str | None = None,
) -> Meeting:
    meeting = Meeting(
        id=mid,
        title=title or f"Meeting {mid}",
        start=start,
        end=start.add(minutes=minutes),
        timezone=tz,
        location="Room 4",
        facilitator="Fran Facilitator",
        note_taker="Nora Notes",
        status=status,
    )
    if status is MeetingStatus.ENDED:
        meeting.started_at = start
        meeting.ended_at = start.add(minutes=minutes + 3)
    return tx.add(meeting)


def add_item(
    tx: Transaction,
    meeting: Meeting,
    n: int,
    title: str,
    planned: int,
    *,
    kind: ItemKind = ItemKind.OTHER,
    actual: float | None = None,
    offset: float = 0,
    **kwargs: object,
) -> AgendaItem:
    spans = []
    if actual is not None:
        begin = meeting.start.add(seconds=int(offset * 60))
        spans = [TimeSpan(start=begin, end=begin.add(seconds=int(actual * 60)))]
    item = AgendaItem(
        id=f"itm-{meeting.id}-{n:02d}",
        meeting_id=meeting.id,
        position=n,
        title=title,
        kind=kind,
        planned_minutes=planned,
        spans=spans,
        **kwargs,  # type: ignore[arg-type]
    )
    return tx.add(item)


@dataclass
class Small:
    ws: Workspace
    past: str = "mtg-past"
    upcoming: str = "mtg-next"


def small_workspace(root: Path, tz: str = "America/New_York") -> Small:
    """A three-organization task force: one ended meeting (with a confidential case review)
    and one planned meeting a month later."""
    ws = Workspace.create(root)
    with ws.transaction() as tx:
        tx.add(
            Profile(
                name="Riverside Task Force",
                timezone=tz,
                cadence=Cadence(every=1, unit=CadenceUnit.MONTHS),
            )
        )
        tx.add(
            Organization(id="org-pd", name="Riverside Police", sector=Sector.LAW_ENFORCEMENT_LOCAL)
        )
        tx.add(Organization(id="org-ngo", name="Safe Harbor NGO", sector=Sector.NGO_ADVOCACY))
        tx.add(Organization(id="org-hosp", name="General Hospital", sector=Sector.HEALTH_CARE))
        tx.add(Member(id="mem-ann", name="Ann Officer", role="Detective", organization_id="org-pd"))
        tx.add(
            Member(id="mem-bo", name="Bo Advocate", role="Case manager", organization_id="org-ngo")
        )
        tx.add(Member(id="mem-cy", name="Cy Nurse", role="Nurse", organization_id="org-hosp"))
        tx.add(Subcommittee(id="sub-vs", name="Victim Services", chair_id="mem-bo"))

        past = add_meeting(
            tx,
            "mtg-past",
            local(2026, 1, 13, tz=tz),
            tz=tz,
            status=MeetingStatus.ENDED,
            title="January meeting",
        )
        add_item(
            tx,
            past,
            0,
            "Opening and confidentiality reminder",
            5,
            kind=ItemKind.OPENING,
            actual=5,
            notes="Opened on time.",
        )
        add_item(
            tx,
            past,
            1,
            "Subcommittee report-backs",
            20,
            kind=ItemKind.REPORT_BACKS,
            actual=25,
            offset=5,
            notes="Victim Services reported.",
        )
        cr = add_item(
            tx,
            past,
            2,
            "Case review",
            30,
            kind=ItemKind.CASE_REVIEW,
            actual=28,
            offset=30,
            notes=SECRET_NOTE,
            presenter="Bo Advocate",
        )
        nb = add_item(
            tx,
            past,
            3,
            "New business",
            20,
            kind=ItemKind.NEW_BUSINESS,
            actual=21,
            offset=58,
            notes="Budget discussed.",
        )
        add_item(tx, past, 4, "Not reached item", 10, notes="")
        for n, (mem, org, status) in enumerate(
            [
                ("mem-ann", "Riverside Police", AttendanceStatus.PRESENT),
                ("mem-bo", "Safe Harbor NGO", AttendanceStatus.REMOTE),
                ("mem-cy", "General Hospital", AttendanceStatus.ABSENT),
            ]
        ):
            member_org = {
                "Riverside Police": "org-pd",
                "Safe Harbor NGO": "org-ngo",
                "General Hospital": "org-hosp",
            }[org]
            tx.add(
                Attendance(
                    id=f"att-{n}",
                    meeting_id=past.id,
                    member_id=mem,
                    name=mem.split("-")[1].title(),
                    organization_id=member_org,
                    organization_name=org,
                    status=status,
                )
            )
        tx.add(
            Attendance(
                id="att-guest",
                meeting_id=past.id,
                name="Gus Guest",
                role="Visitor",
                organization_name="State Office",
                status=AttendanceStatus.PRESENT,
            )
        )
        tx.add(
            Decision(
                id="dec-1",
                meeting_id=past.id,
                agenda_item_id=cr.id,
                text=SECRET_DECISION,
                dissent=SECRET_DISSENT,
            )
        )
        tx.add(
            Decision(
                id="dec-2",
                meeting_id=past.id,
                agenda_item_id=nb.id,
                text="Adopt the budget",
                method=DecisionMethod.VOTE,
                votes_for=5,
                votes_against=1,
                abstentions=1,
                dissent="Ann: too expensive",
            )
        )
        tx.add(
            ActionItem(
                id="act-secret",
                meeting_id=past.id,
                agenda_item_id=cr.id,
                text=SECRET_ACTION,
                owner_id="mem-bo",
                due_next_meeting=True,
            )
        )
        tx.add(
            ActionItem(
                id="act-budget",
                meeting_id=past.id,
                agenda_item_id=nb.id,
                text="Send the budget to the county",
                owner_id="mem-ann",
                subcommittee_id="sub-vs",
                due=pendulum.date(2026, 2, 1),
            )
        )
        tx.add(
            ActionItem(
                id="act-done",
                meeting_id=past.id,
                agenda_item_id=nb.id,
                text="Book the room",
                owner_id="mem-cy",
                due=pendulum.date(2026, 2, 5),
                status=ActionStatus.DONE,
                report_back="Room booked",
            )
        )
        tx.add(Feedback(id="fbk-1", meeting_id=past.id, rating=4, comment="Good pace"))
        tx.add(Feedback(id="fbk-2", meeting_id=past.id, rating=5))

        nxt = add_meeting(
            tx, "mtg-next", local(2026, 2, 10, tz=tz), tz=tz, title="February meeting"
        )
        add_item(tx, nxt, 0, "Opening", 5, kind=ItemKind.OPENING)
        add_item(tx, nxt, 1, "Approval of previous minutes", 5, kind=ItemKind.MINUTES_APPROVAL)
        add_item(tx, nxt, 2, "Subcommittee report-backs", 20, kind=ItemKind.REPORT_BACKS)
        add_item(
            tx, nxt, 3, "Case review", 30, kind=ItemKind.CASE_REVIEW, notes="Prep: " + SECRET_NOTE
        )
        add_item(tx, nxt, 4, "Decisions", 10, kind=ItemKind.DECISIONS)
        add_item(tx, nxt, 5, "Close", 5, kind=ItemKind.CLOSING)
    return Small(ws)


def sample_workspace(root: Path) -> Workspace:
    ws = Workspace.create(root)
    load_sample(ws)
    return ws


def last_ended(ws: Workspace) -> Meeting:
    ended = [m for m in ws.snapshot().meetings() if m.status is MeetingStatus.ENDED]
    return ended[-1]
