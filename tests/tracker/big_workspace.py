"""A ten-year workspace for load tests: 120 monthly meetings, ~1,000 actions, 300 members.

Deterministic (seeded), so counts are stable. Used by the tracker tests to check that the
between-meetings services handle a long history; the benchmarks can time the same loaders.
"""

from __future__ import annotations

import random
from pathlib import Path

import pendulum

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    Feedback,
    ItemKind,
    Meeting,
    MeetingStatus,
    TimeSpan,
)
from facilitate.domain.roster import (
    Member,
    MouStatus,
    Organization,
    Profile,
    Sector,
    Subcommittee,
)
from facilitate.storage.workspace import Workspace

MEETINGS = 120
ORGANIZATIONS = 40
MEMBERS = 300
ACTIONS_PER_MEETING = 8  # 960 actions, plus a few more below
KINDS = [
    ItemKind.OPENING,
    ItemKind.INTRODUCTIONS,
    ItemKind.MINUTES_APPROVAL,
    ItemKind.REPORT_BACKS,
    ItemKind.TRAINING,
    ItemKind.INFORMATION_SHARING,
    ItemKind.CASE_REVIEW,
    ItemKind.NEW_BUSINESS,
    ItemKind.FEEDBACK,
    ItemKind.CLOSING,
]
WORDS = [
    "referral",
    "pathway",
    "shelter",
    "interview",
    "protocol",
    "annex",
    "outreach",
    "training",
    "survivor",
    "funding",
    "hotline",
    "screening",
    "housing",
    "language",
    "access",
    "counsel",
    "subpoena",
    "grant",
    "county",
    "school",
    "clinic",
]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build(root: Path, *, seed: int = 5, first: pendulum.DateTime | None = None) -> Workspace:
    """Create the workspace at ``root``; the last meeting is planned, the others ended."""
    rng = random.Random(seed)
    tz = "America/Chicago"
    start0 = first or pendulum.datetime(2016, 1, 14, 10, tz=tz)
    ws = Workspace.create(root)
    with ws.transaction() as tx:
        tx.add(Profile(name="Ten-year task force", timezone=tz))
        sectors = [s for s in Sector if s is not Sector.OTHER]
        orgs = []
        for n in range(ORGANIZATIONS):
            signed = n % 3 == 0
            orgs.append(
                tx.add(
                    Organization(
                        id=f"org-{n:03d}",
                        name=f"Organization {n:03d}",
                        sector=sectors[n % len(sectors)],
                        mou_status=MouStatus.SIGNED if signed else MouStatus.IN_REVIEW,
                        mou_signed_on=pendulum.date(2016, 1, 1) if signed else None,
                    )
                )
            )
        members = []
        for n in range(MEMBERS):
            members.append(
                tx.add(
                    Member(
                        id=f"mem-{n:03d}",
                        name=f"Member {n:03d}",
                        role="Role",
                        organization_id=orgs[n % ORGANIZATIONS].id,
                        contact=f"m{n}@example.org",
                    )
                )
            )
        subs = [
            tx.add(
                Subcommittee(
                    id=f"sub-{n}",
                    name=f"Subcommittee {n}",
                    chair_id=members[n].id,
                    member_ids=[m.id for m in members[n * 10 : n * 10 + 10]],
                )
            )
            for n in range(6)
        ]
    for k in range(MEETINGS):
        local = start0.add(months=k)
        start = local.in_timezone("UTC")
        planned = k == MEETINGS - 1
        with ws.transaction() as tx:
            meeting = Meeting(
                id=f"mtg-{k:03d}",
                title=f"Monthly meeting {k + 1}: {_words(rng, 3)}",
                start=start,
                end=start.add(hours=2),
                timezone=tz,
                status=MeetingStatus.PLANNED if planned else MeetingStatus.ENDED,
            )
            cursor = start
            items = []
            for n, kind in enumerate(KINDS):
                item = AgendaItem(
                    id=f"itm-{k:03d}-{n:02d}",
                    meeting_id=meeting.id,
                    position=n,
                    title=kind.label,
                    kind=kind,
                    planned_minutes=12,
                    notes="" if planned else f"{_words(rng, 40)} case {k}-{n}",
                )
                if not planned:
                    span_end = cursor.add(minutes=rng.randint(9, 15))
                    item.spans = [TimeSpan(start=cursor, end=span_end)]
                    cursor = span_end
                items.append(item)
            if not planned:
                meeting.started_at, meeting.ended_at = start, cursor
            tx.add(meeting)
            for item in items:
                tx.add(item)
            if planned:
                continue
            for m in rng.sample(members, 40):
                tx.add(
                    Attendance(
                        meeting_id=meeting.id,
                        member_id=m.id,
                        name=m.name,
                        organization_id=m.organization_id,
                        status=AttendanceStatus.PRESENT,
                    )
                )
            for n in range(3):
                tx.add(
                    Decision(
                        meeting_id=meeting.id,
                        agenda_item_id=items[rng.choice([3, 6, 7])].id,
                        text=f"Decision {k}-{n}: {_words(rng, 12)}",
                    )
                )
            for n in range(ACTIONS_PER_MEETING + (1 if k % 4 == 0 else 0)):
                due = local.date().add(weeks=rng.randint(1, 8))
                status = ActionStatus.OPEN if k > MEETINGS - 14 or n == 0 else ActionStatus.DONE
                tx.add(
                    ActionItem(
                        meeting_id=meeting.id,
                        agenda_item_id=items[rng.choice([3, 5, 6, 7])].id,
                        text=f"Action {k}-{n}: {_words(rng, 10)}",
                        subcommittee_id=rng.choice(subs).id if n % 2 else None,
                        owner_id=rng.choice(members).id,
                        due=due,
                        status=status,
                        report_back="done" if status is ActionStatus.DONE else "",
                    )
                )
            tx.add(Feedback(meeting_id=meeting.id, rating=rng.randint(2, 5), comment="ok"))
    return ws
