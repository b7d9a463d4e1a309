"""A synthetic workspace with years of history, for benchmarks.

    python benchmarks/make_workspace.py --years 10 [--out DIR] [--seed 7]

or, from Python (the repository root on sys.path)::

    from benchmarks.make_workspace import make_workspace
    info = make_workspace(Path("/tmp/ws10"), years=10, seed=7)

Per year of history: 12 monthly meetings (all ended), 30 members and 6 member organizations;
per meeting: 15 agenda items with notes, 20 attendance records, 5 decisions and 25/3 action items
(spread so the totals come out exact), and speaking turns on information sharing, case reviews
and new business (benchmarks/_turns.py). Ten years is therefore 120 meetings, 1,800 agenda items,
2,400 attendance records, 600 decisions, 1,000 action items, 300 members, 60 organizations.
Members turn over (60 active at any time), older actions are closed with report-backs, training
snippets collect deliveries, and audit.log holds a valid hash chain of every record added.

On top of the history there is one planned meeting (``upcoming_id``, 12 items, not counted
above) that benchmarks start and run, and with ``large_meeting=True`` one ended meeting with 40
items, 60 attendees, 50 decisions and 100 actions (``large_id``, not counted above either) for
export benchmarks. ``history=False`` writes the same collaborative (roster, training) and the
same planned/large meetings but no past meetings: the "empty workspace" a benchmark compares
the 10-year one against.

It is fast because it writes the storage format directly (one JSON file per meeting, exactly
what a transaction would write: the same codec and serializer), without one transaction per
record; everything is derived from ``seed``, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
from pendulum import Date, DateTime

from facilitate.domain.actions import ActionEvent, ActionItem, ActionStatus
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
    MinutesStatus,
    TimeSpan,
)
from facilitate.domain.roster import (
    Cadence,
    DecisionRule,
    Member,
    MouStatus,
    Organization,
    PartnershipType,
    Profile,
    Quorum,
    Sector,
    Subcommittee,
)
from facilitate.domain.training import Delivery, TrainingSnippet
from facilitate.storage import migrations
from facilitate.storage.atomic import dump_json
from facilitate.storage.codec import to_doc

try:
    from benchmarks._turns import speaking_turns
except ModuleNotFoundError:  # run as a script: benchmarks/ itself is on sys.path
    from _turns import speaking_turns  # type: ignore[no-redef]

MEETINGS_PER_YEAR = 12
MEMBERS_PER_YEAR = 30
ORGANIZATIONS_PER_YEAR = 6
ITEMS_PER_MEETING = 15
ATTENDANCE_PER_MEETING = 20
DECISIONS_PER_MEETING = 5
ACTIONS_PER_120_MEETINGS = 1000
ACTIVE_MEMBERS = 60  # members active at any one time (fewer if the roster is smaller)
SUBCOMMITTEES = 6
TRAINING_SNIPPETS = 12
FEEDBACK_PER_MEETING = 3

TIMEZONE = "America/Chicago"
# The planned meeting: the second Thursday of December 2026, 10:00-12:00 local.
UPCOMING = pendulum.datetime(2026, 12, 10, 10, 0, tz=TIMEZONE)
LARGE_MEETING_ID = "mtg-large-retreat"
UPCOMING_ID = "mtg-upcoming"

# Kind, planned minutes and a title pattern for the 15 items of a monthly meeting (120 min).
AGENDA: list[tuple[ItemKind, int, str]] = [
    (ItemKind.OPENING, 5, "Opening and confidentiality reminder"),
    (ItemKind.INTRODUCTIONS, 10, "Introductions"),
    (ItemKind.MINUTES_APPROVAL, 5, "Approval of the {prev} minutes"),
    (ItemKind.REPORT_BACKS, 15, "Subcommittee report-backs"),
    (ItemKind.TRAINING, 10, "Training: {training}"),
    (ItemKind.INFORMATION_SHARING, 10, "Agency updates and information sharing"),
    (ItemKind.CASE_REVIEW, 12, "Case review: {case}"),
    (ItemKind.CASE_REVIEW, 10, "Case review: {case}"),
    (ItemKind.NEW_BUSINESS, 8, "{topic}"),
    (ItemKind.NEW_BUSINESS, 8, "{topic}"),
    (ItemKind.NEW_BUSINESS, 7, "{topic}"),
    (ItemKind.OTHER, 5, "Community outreach calendar"),
    (ItemKind.DECISIONS, 5, "Decisions and votes"),
    (ItemKind.FEEDBACK, 5, "Meeting feedback"),
    (ItemKind.CLOSING, 5, "Close and next meeting"),
]

FIRST = [
    "Ana",
    "Maria",
    "Alex",
    "Sam",
    "Jordan",
    "Priya",
    "Daniel",
    "Grace",
    "Luis",
    "Fatima",
    "Tomas",
    "Mei",
    "Kofi",
    "Hannah",
    "Omar",
    "Elena",
    "Marcus",
    "Aisha",
    "Nora",
    "Victor",
    "Lena",
    "Ibrahim",
    "Carmen",
    "Peter",
    "Rosa",
    "Yusuf",
    "Claire",
    "Diego",
    "Naomi",
    "Ravi",
    "Joy",
    "Felix",
    "Irene",
    "Hugo",
    "Amara",
    "Theo",
    "Sofia",
    "Malik",
    "Ines",
    "Jonah",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Delgado",
    "Eriksen",
    "Farouk",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rahman",
    "Santos",
    "Tran",
    "Underwood",
    "Varga",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zamora",
    "Abbott",
    "Baptiste",
    "Castillo",
    "Dubois",
    "Ekwueme",
    "Fitzgerald",
    "Gallagher",
    "Holloway",
    "Ivanova",
]
PLACES = [
    "Larkin",
    "Ashford",
    "Port-Merrow",
    "Harbor-Valley",
    "Eastbank",
    "Millbrook",
    "Crane",
    "Oakridge",
    "Westfall",
    "Riverside",
    "Pine-Hollow",
    "Stonegate",
]
ORG_KINDS = {
    Sector.LAW_ENFORCEMENT_LOCAL: "Police Department",
    Sector.LAW_ENFORCEMENT_STATE: "State Patrol District",
    Sector.LAW_ENFORCEMENT_FEDERAL: "Federal Resident Office",
    Sector.SOCIAL_SERVICES: "Human Services Agency",
    Sector.PROSECUTORS: "District Attorney's Office",
    Sector.DEFENSE_ATTORNEYS: "Public Defender",
    Sector.JUDGES: "Juvenile Court",
    Sector.NGO_ADVOCACY: "Safe Passage Center",
    Sector.SURVIVORS: "Survivor Leadership Circle",
    Sector.CHILD_WELFARE: "Children and Family Services",
    Sector.JUVENILE_JUSTICE: "Juvenile Probation",
    Sector.HEALTH_CARE: "Regional Medical Center",
    Sector.MENTAL_HEALTH: "Behavioral Health Clinic",
    Sector.EDUCATORS: "Unified School District",
    Sector.RESEARCHERS: "University Research Lab",
    Sector.ACTIVISTS: "Community Action Network",
    Sector.HOMELESS_ADVOCATES: "Housing First Coalition",
    Sector.LGBT_ADVOCATES: "Pride Youth Services",
    Sector.FAITH_BASED: "Interfaith Council",
    Sector.PRIVATE_SECTOR: "Hospitality Association",
    Sector.PUBLIC_OFFICIALS: "County Board Office",
    Sector.MEDIA: "Community Radio",
}
ROLES = [
    "Detective Sergeant",
    "Victim advocate",
    "Case manager",
    "Assistant district attorney",
    "Program director",
    "Nurse examiner",
    "Clinical supervisor",
    "School social worker",
    "Outreach coordinator",
    "Survivor leader",
    "Intake supervisor",
    "Policy analyst",
    "Chaplain",
    "Research fellow",
    "Shelter manager",
]
TOPICS = [
    "Hotel staff awareness campaign",
    "Hotline referral data for the quarter",
    "MOU renewal schedule",
    "Language access for Spanish and Vietnamese speakers",
    "Labor inspection joint visits",
    "Youth shelter bed capacity",
    "Data-sharing protocol review",
    "Grant report due to the state",
    "Training calendar for the new year",
    "Annual report outline",
    "Court accompaniment volunteers",
    "Massage business licensing ordinance",
    "Farmworker outreach at harvest",
    "Transportation vouchers for survivors",
    "Screening tool for emergency departments",
]
TRAINING_TOPICS = [
    "Recognizing labor trafficking",
    "Trauma-informed interviewing",
    "Referral pathways and safety planning",
    "Sex trafficking of minors",
    "Survivors as partners",
    "Confidentiality and information sharing",
    "Language access",
    "Vicarious trauma and self-care",
    "What an MOU covers",
    "Debt bondage in domestic work",
    "Online recruitment and grooming",
    "Immigration relief for victims",
]
SENTENCE_PARTS = (
    [
        "The working group",
        "Child welfare",
        "The district attorney's office",
        "Outreach staff",
        "The shelter",
        "Law enforcement partners",
        "The survivor advisory circle",
        "The hospital team",
        "School counselors",
        "The hotline",
    ],
    [
        "reported",
        "reviewed",
        "raised concerns about",
        "agreed to follow up on",
        "shared an update on",
        "asked for help with",
        "proposed changes to",
        "confirmed progress on",
    ],
    [
        "referrals received since the last meeting",
        "the backlog of pending interviews",
        "bed availability for youth over the holidays",
        "the new screening questions at intake",
        "coordination with the labor inspectorate",
        "translation of the safety-planning leaflet",
        "the timeline for renewing the agreement",
        "service gaps in the rural part of the county",
        "a spike in online recruitment reports",
        "follow-up with two partner agencies",
    ],
    [
        "",
        " before the next meeting",
        " with the subcommittee chairs",
        " and will report back in writing",
        " within existing funding",
        ", pending supervisor approval",
    ],
)


@dataclass
class GeneratedWorkspace:
    """What was written: counts of the history, and ids the benchmarks need."""

    root: Path
    years: int
    seed: int
    counts: dict[str, int]
    meeting_ids: list[str] = field(default_factory=list)  # past meetings, oldest first
    upcoming_id: str | None = None
    large_id: str | None = None


def expected_counts(years: int) -> dict[str, int]:
    """The history ``make_workspace(years=...)`` promises (planned and large meeting excluded)."""
    meetings = MEETINGS_PER_YEAR * years
    return {
        "meetings": meetings,
        "agenda_items": ITEMS_PER_MEETING * meetings,
        "attendance": ATTENDANCE_PER_MEETING * meetings,
        "decisions": DECISIONS_PER_MEETING * meetings,
        "actions": _total_actions(meetings),
        "members": MEMBERS_PER_YEAR * years,
        "organizations": ORGANIZATIONS_PER_YEAR * years,
    }


def _total_actions(meetings: int) -> int:
    return (ACTIONS_PER_120_MEETINGS * meetings + 60) // 120


def _second_thursday(year: int, month: int) -> Date:
    first = pendulum.date(year, month, 1)
    offset = (3 - first.day_of_week + 7) % 7  # pendulum: Monday=0 ... Thursday=3
    return first.add(days=offset + 7)


class _Text:
    """Deterministic, realistic-looking prose of a chosen length."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        a, b, c, d = (self.rng.choice(p) for p in SENTENCE_PARTS)
        return f"{a} {b} {c}{d}."

    def prose(self, length: int) -> str:
        out: list[str] = []
        size = 0
        while size < length:
            s = self.sentence()
            out.append(s)
            size += len(s) + 1
            if self.rng.random() < 0.15:
                out.append("\n")
        return " ".join(out).replace(" \n ", "\n").strip()

    def note_length(self, kind: ItemKind) -> int:
        # Log-normal around ~380 characters (the sample meetings' notes: 60-850), longer for
        # case reviews and report-backs, capped at 3,000.
        mean = 700 if kind in (ItemKind.CASE_REVIEW, ItemKind.REPORT_BACKS) else 300
        return int(min(3000, max(40, self.rng.lognormvariate(math.log(mean), 0.6))))


class _Writer:
    """Lays records out as TinyDB tables (``{"table": {"doc_id": doc}}``) and writes files."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.audit_lines: list[str] = []
        self.prev = "0" * 64
        self.seq = 0
        del seed

    @staticmethod
    def tables(kind: str, records: dict[str, list[Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "_meta": {"1": {"schema_version": migrations.SCHEMA_VERSION, "kind": kind}}
        }
        for table, rows in records.items():
            if rows:
                for row in rows:
                    row.rev = 1
                data[table] = {str(n): to_doc(row) for n, row in enumerate(rows, start=1)}
        return data

    def write(self, path: Path, data: dict[str, Any]) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, dump_json(data))
        finally:
            os.close(fd)

    def audit(self, records: list[Any], at: DateTime, meeting: str | None) -> None:
        """The lines a transaction adding ``records`` would have appended (same format)."""
        for record in records:
            self.seq += 1
            summary = (
                getattr(record, "title", None)
                or getattr(record, "name", None)
                or getattr(record, "text", None)
                or ""
            )
            entry = {
                "seq": self.seq,
                "at": at.in_timezone("UTC").isoformat(),
                "user": "bench",
                "op": "add",
                "kind": type(record).__name__,
                "id": record.id,
                "rev": 1,
                "meeting": meeting,
                "summary": "(confidential)"
                if getattr(record, "confidential", False)
                else str(summary)[:80],
                "prev": self.prev,
                "anchored": True,  # written by a version that keeps audit.anchor
            }
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True)
            self.audit_lines.append(line)
            self.prev = hashlib.sha256(line.encode("utf-8")).hexdigest()

    def flush_audit(self, at: DateTime) -> None:
        """audit.log, and audit.anchor naming its last line (as after a real transaction)."""
        for name, body in (
            ("audit.log", "\n".join(self.audit_lines) + "\n"),
            (
                "audit.anchor",
                json.dumps({"at": at.isoformat(), "hash": self.prev, "seq": self.seq}) + "\n",
            ),
        ):
            fd = os.open(
                self.root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600
            )
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, body.encode("utf-8"))
            finally:
                os.close(fd)


def make_workspace(
    root: Path,
    years: int = 10,
    seed: int = 7,
    *,
    history: bool = True,
    upcoming: bool = True,
    large_meeting: bool = False,
) -> GeneratedWorkspace:
    """Write a workspace with ``years`` of history into ``root`` (which must not hold one).

    The roster is the one ``years`` of history produces even when ``history`` is False.
    """
    if years < 1:
        raise ValueError("years must be 1 or more")
    root = Path(root)
    if (root / "collaborative.json").exists():
        raise FileExistsError(f"{root} already holds a workspace")
    for d in (root, root / "meetings", root / "backups"):
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(d, 0o700)
    rng = random.Random(seed)
    text = _Text(rng)
    writer = _Writer(root, seed)
    n_meetings = MEETINGS_PER_YEAR * years
    n_members = MEMBERS_PER_YEAR * years
    n_orgs = ORGANIZATIONS_PER_YEAR * years
    n_active = min(ACTIVE_MEMBERS, n_members)

    # Meeting dates: monthly, second Thursday 10:00-12:00, ending the month before UPCOMING.
    months: list[tuple[int, int]] = []
    y, m = UPCOMING.year, UPCOMING.month
    for _ in range(n_meetings):
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        months.append((y, m))
    months.reverse()
    starts = [
        pendulum.datetime(y, m, _second_thursday(y, m).day, 10, 0, tz=TIMEZONE).in_timezone("UTC")
        for y, m in months
    ]
    first_start = starts[0]

    # --- the collaborative -------------------------------------------------------------------
    profile = Profile(
        name="Harbor Valley Regional Anti-Trafficking Task Force",
        mission=text.prose(400),
        decision_rule=DecisionRule.TWO_THIRDS,
        quorum=Quorum(),
        cadence=Cadence(),
        timezone=TIMEZONE,
    )
    sectors = [s for s in Sector if s is not Sector.OTHER]
    orgs: list[Organization] = []
    for n in range(n_orgs):
        sector = sectors[n % len(sectors)]
        place = PLACES[(n // len(sectors)) % len(PLACES)].replace("-", " ")
        mou = rng.choice(list(MouStatus))
        orgs.append(
            Organization(
                id=f"org-{n + 1:03d}",
                name=f"{place} {ORG_KINDS[sector]}" + (f" {n // 50 + 1}" if n >= 50 else ""),
                sector=sector,
                mou_status=mou,
                mou_signed_on=first_start.date().add(days=rng.randrange(0, 365 * years))
                if mou is MouStatus.SIGNED
                else None,
                partnership=PartnershipType.FORMAL
                if mou is MouStatus.SIGNED
                else PartnershipType.INFORMAL,
            )
        )
    # Turnover: the first n_active members are founders; each later member replaces one.
    joins: list[int] = []
    leaves: list[int] = [n_meetings + 1] * n_members
    later = n_members - n_active
    for n in range(n_members):
        if n < n_active:
            joins.append(0)
        else:
            j = 1 + (n - n_active) * (n_meetings - 1) // max(1, later)
            joins.append(j)
            leaves[n - n_active] = j
    members: list[Member] = []
    for n in range(n_members):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        members.append(
            Member(
                id=f"mem-{n + 1:04d}",
                name=f"{first} {last}",
                role=rng.choice(ROLES),
                organization_id=orgs[n % n_orgs].id,
                contact=f"{first.lower()}.{last.lower()}@example.org",
                active=leaves[n] > n_meetings,
            )
        )
    active_org_ids = {m.organization_id for m in members if m.active}
    for org in orgs:
        org.active = org.id in active_org_ids
    active_ids = [m.id for m in members if m.active]
    subcommittees = []
    sub_names = [
        "Victim Services",
        "Law Enforcement and Prosecution",
        "Training and Awareness",
        "Data and Evaluation",
        "Youth and Schools",
        "Labor Trafficking",
    ]
    for n in range(SUBCOMMITTEES):
        ids = rng.sample(active_ids, min(6, len(active_ids)))
        subcommittees.append(
            Subcommittee(
                id=f"sub-{n + 1:02d}",
                name=sub_names[n % len(sub_names)],
                charge=text.prose(200),
                chair_id=ids[0],
                member_ids=ids,
            )
        )
    snippets = [
        TrainingSnippet(
            id=f"trn-{n + 1:02d}",
            title=TRAINING_TOPICS[n % len(TRAINING_TOPICS)],
            topic=TRAINING_TOPICS[n % len(TRAINING_TOPICS)].split()[0].lower(),
            minutes=10,
            body="# " + TRAINING_TOPICS[n % len(TRAINING_TOPICS)] + "\n\n" + text.prose(1500),
        )
        for n in range(TRAINING_SNIPPETS)
    ]
    member_by_id = {m.id: m for m in members}
    org_by_id = {o.id: o for o in orgs}

    # --- past meetings -----------------------------------------------------------------------
    counts = dict.fromkeys(expected_counts(years), 0)
    counts["members"], counts["organizations"] = n_members, n_orgs
    result = GeneratedWorkspace(root=root, years=years, seed=seed, counts=counts)
    total_actions = _total_actions(n_meetings)
    case_no = 100
    for k in range(n_meetings):
        mid = f"mtg-{months[k][0]}-{months[k][1]:02d}"
        start = starts[k]
        present = [members[n] for n in range(n_members) if joins[n] <= k < leaves[n]]
        n_actions = (k + 1) * total_actions // n_meetings - k * total_actions // n_meetings
        case_no += 2
        records = _past_meeting(
            rng,
            text,
            mid,
            start,
            present,
            member_by_id,
            org_by_id,
            subcommittees,
            snippets,
            n_actions=n_actions,
            case_no=case_no,
            prev_start=starts[k - 1] if k else None,
            next_start=starts[k + 1] if k + 1 < n_meetings else UPCOMING.in_timezone("UTC"),
            age=n_meetings - k,
        )
        if not history:
            continue
        result.meeting_ids.append(mid)
        counts["meetings"] += 1
        counts["agenda_items"] += len(records["agenda"])
        counts["attendance"] += len(records["attendance"])
        counts["decisions"] += len(records["decisions"])
        counts["actions"] += len(records["actions"])
        _emit_meeting(writer, mid, records, start.add(hours=2))
    if not history:
        for s in snippets:
            s.deliveries = []

    if large_meeting:
        large_start = UPCOMING.in_timezone("UTC").subtract(days=7)
        present = [m for m in members if m.active]
        records = _past_meeting(
            rng,
            text,
            LARGE_MEETING_ID,
            large_start,
            present,
            member_by_id,
            org_by_id,
            subcommittees,
            snippets,
            n_actions=100,
            case_no=999,
            prev_start=starts[-1],
            next_start=UPCOMING.in_timezone("UTC"),
            age=0,
            n_items=40,
            n_attendance=60,
            n_decisions=50,
            hours=6,
        )
        records["meeting"][0].title = "Annual planning retreat"
        _emit_meeting(writer, LARGE_MEETING_ID, records, large_start.add(hours=6))
        result.large_id = LARGE_MEETING_ID

    if upcoming:
        start = UPCOMING.in_timezone("UTC")
        meeting = Meeting(
            id=UPCOMING_ID,
            title="Monthly task force meeting",
            start=start,
            end=start.add(hours=2),
            timezone=TIMEZONE,
            location="County Administration Building, Room 204",
            facilitator=members[-1].name,
            note_taker=members[-2].name,
        )
        items = []
        for n, (kind, planned, title) in enumerate(AGENDA[:12]):
            items.append(
                AgendaItem(
                    id=f"itm-upcoming-{n + 1:02d}",
                    meeting_id=UPCOMING_ID,
                    position=n,
                    title=title.format(
                        prev="previous",
                        training=snippets[0].title,
                        case="TF-2026-118",
                        topic=TOPICS[n % len(TOPICS)],
                    ),
                    kind=kind,
                    planned_minutes=planned,
                    presenter=rng.choice(members[-n_active:]).name,
                    training_id=snippets[0].id if kind is ItemKind.TRAINING else None,
                )
            )
        records = {"meeting": [meeting], "agenda": items}
        _emit_meeting(writer, UPCOMING_ID, records, start.subtract(days=14))
        result.upcoming_id = UPCOMING_ID

    collab = writer.tables(
        "collaborative",
        {
            "profile": [profile],
            "organizations": orgs,
            "members": members,
            "subcommittees": subcommittees,
            "training": snippets,
        },
    )
    writer.write(root / "collaborative.json", collab)
    writer.audit([profile, *orgs, *members, *subcommittees, *snippets], first_start, None)
    writer.flush_audit(first_start)
    os.sync()  # so the first benchmark's fsync does not pay for the generator's writeback
    return result


def _emit_meeting(writer: _Writer, mid: str, records: dict[str, list[Any]], at: DateTime) -> None:
    data = writer.tables("meeting", records)
    writer.write(writer.root / "meetings" / f"{mid}.json", data)
    writer.audit([r for rows in records.values() for r in rows], at, mid)


def _past_meeting(
    rng: random.Random,
    text: _Text,
    mid: str,
    start: DateTime,
    present: list[Member],
    member_by_id: dict[str, Member],
    org_by_id: dict[str, Organization],
    subcommittees: list[Subcommittee],
    snippets: list[TrainingSnippet],
    *,
    n_actions: int,
    case_no: int,
    prev_start: DateTime | None,
    next_start: DateTime,
    age: int,
    n_items: int = ITEMS_PER_MEETING,
    n_attendance: int = ATTENDANCE_PER_MEETING,
    n_decisions: int = DECISIONS_PER_MEETING,
    hours: int = 2,
) -> dict[str, list[Any]]:
    """One ended meeting's records (not yet written)."""
    del member_by_id
    local = start.in_timezone(TIMEZONE)
    meeting = Meeting(
        id=mid,
        title="Monthly task force meeting",
        start=start,
        end=start.add(hours=hours),
        timezone=TIMEZONE,
        location="County Administration Building, Room 204",
        facilitator=present[0].name,
        note_taker=present[1].name,
        status=MeetingStatus.ENDED,
        minutes_status=MinutesStatus.APPROVED if age > 1 else MinutesStatus.DRAFT,
        minutes_approved_on=next_start.date() if age > 1 else None,
    )
    snippet = snippets[(local.year * 12 + local.month) % len(snippets)]
    items: list[AgendaItem] = []
    cursor = start
    for n in range(n_items):
        kind, planned, pattern = AGENDA[n % len(AGENDA)]
        if n_items > len(AGENDA) and n >= len(AGENDA):
            kind, planned, pattern = (ItemKind.NEW_BUSINESS, 8, "{topic}")
        title = pattern.format(
            prev=(prev_start or start).in_timezone(TIMEZONE).format("MMMM"),
            training=snippet.title,
            case=f"TF-{local.year}-{case_no + n % 2:03d}",
            topic=TOPICS[(n + local.month) % len(TOPICS)],
        )
        actual = max(1.0, planned * rng.uniform(0.6, 1.5))
        end = cursor.add(seconds=int(actual * 60))
        item = AgendaItem(
            id=f"itm-{mid[4:]}-{n + 1:02d}",
            meeting_id=mid,
            position=n,
            title=title,
            kind=kind,
            planned_minutes=planned,
            presenter=rng.choice(present).name,
            notes=text.prose(text.note_length(kind)),
            spans=[TimeSpan(start=cursor, end=end)],
            training_id=snippet.id if kind is ItemKind.TRAINING else None,
        )
        if kind is ItemKind.TRAINING:
            snippet.deliveries.append(Delivery(meeting_id=mid, delivered_at=end))
        items.append(item)
        cursor = end
    meeting.started_at = start
    meeting.ended_at = cursor
    meeting.confidentiality_ack_at = start

    attendance: list[Attendance] = []
    guests = 1 if n_attendance == ATTENDANCE_PER_MEETING and rng.random() < 0.3 else 0
    chosen = rng.sample(present, min(len(present), n_attendance - guests))
    weights = [
        (AttendanceStatus.PRESENT, 70),
        (AttendanceStatus.REMOTE, 12),
        (AttendanceStatus.LATE, 6),
        (AttendanceStatus.ABSENT, 6),
        (AttendanceStatus.EXCUSED, 6),
    ]
    statuses = [s for s, _ in weights]
    cum = [w for _, w in weights]
    for n, member in enumerate(chosen):
        org = org_by_id[member.organization_id]
        status = rng.choices(statuses, cum)[0]
        attendance.append(
            Attendance(
                id=f"att-{mid[4:]}-{n + 1:02d}",
                meeting_id=mid,
                member_id=member.id,
                name=member.name,
                role=member.role,
                organization_id=org.id,
                organization_name=org.name,
                status=status,
                introduced=status.attending,
            )
        )
    for n in range(guests):
        attendance.append(
            Attendance(
                id=f"att-{mid[4:]}-g{n + 1}",
                meeting_id=mid,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role="Guest speaker",
                organization_name="State Attorney General's Office",
                status=AttendanceStatus.PRESENT,
                introduced=True,
            )
        )

    business = [i for i in items if i.kind in (ItemKind.NEW_BUSINESS, ItemKind.CASE_REVIEW)]
    decisions: list[Decision] = []
    for n in range(n_decisions):
        item = business[n % len(business)]
        vote = rng.random() < 0.3
        total = len(attendance)
        votes_for = rng.randint(total // 2, total) if vote else 0
        decisions.append(
            Decision(
                id=f"dec-{mid[4:]}-{n + 1:02d}",
                meeting_id=mid,
                agenda_item_id=item.id,
                text=text.prose(rng.randint(80, 260)),
                method=DecisionMethod.VOTE if vote else DecisionMethod.CONSENSUS,
                votes_for=votes_for,
                votes_against=rng.randint(0, total - votes_for) if vote else 0,
                abstentions=rng.randint(0, 2) if vote else 0,
                dissent=text.prose(120) if rng.random() < 0.1 else "",
                recorded_at=item.spans[0].end,
            )
        )

    actions: list[ActionItem] = []
    for n in range(n_actions):
        item = rng.choice(business + items[3:6])
        owner = rng.choice(present)
        sub = rng.choice(subcommittees) if rng.random() < 0.4 else None
        next_meeting = rng.random() < 0.35
        due = None if next_meeting else next_start.date().add(days=rng.randint(-7, 21))
        action = ActionItem(
            id=f"act-{mid[4:]}-{n + 1:03d}",
            meeting_id=mid,
            agenda_item_id=item.id,
            text=text.prose(rng.randint(80, 200)),
            subcommittee_id=sub.id if sub else None,
            owner_id=owner.id,
            due=due,
            due_next_meeting=next_meeting,
        )
        roll = rng.random()
        if (age > 3 and roll < 0.95) or (age > 1 and roll < 0.6):
            closed = next_start.add(minutes=30)
            action.close(
                ActionStatus.DONE if roll < 0.85 else ActionStatus.DROPPED,
                text.prose(rng.randint(60, 400)),
                closed,
                by=owner.name,
            )
        elif rng.random() < 0.2 and due is not None:
            action.history.append(
                ActionEvent(
                    at=next_start.add(minutes=40),
                    what=f"postponed from {due} to {due.add(days=28)}: waiting on data",
                    by=owner.name,
                )
            )
            action.due = due.add(days=28)
        actions.append(action)

    feedback = [
        Feedback(
            id=f"fbk-{mid[4:]}-{n + 1}",
            meeting_id=mid,
            attendee=rng.choice(chosen).name if rng.random() < 0.5 else "",
            rating=rng.randint(3, 5),
            comment=text.prose(rng.randint(40, 160)),
        )
        for n in range(FEEDBACK_PER_MEETING)
    ]
    return {
        "meeting": [meeting],
        "agenda": items,
        "attendance": attendance,
        "decisions": decisions,
        "actions": actions,
        "feedback": feedback,
        "turns": speaking_turns(mid, items, attendance, org_by_id),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10, help="years of history (default 10)")
    parser.add_argument("--out", type=Path, help="workspace folder (default: a new temp folder)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument(
        "--no-history", action="store_true", help="same roster and planned meeting, no past ones"
    )
    parser.add_argument(
        "--large-meeting",
        action="store_true",
        help="also add an ended meeting with 40 items, 60 attendees, 50 decisions, 100 actions",
    )
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"facilitate-bench-{args.years}y-"))
    info = make_workspace(
        out,
        args.years,
        args.seed,
        history=not args.no_history,
        large_meeting=args.large_meeting,
    )
    print(
        json.dumps(
            {
                "root": str(info.root),
                "years": info.years,
                "seed": info.seed,
                "counts": info.counts,
                "upcoming_id": info.upcoming_id,
                "large_id": info.large_id,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
