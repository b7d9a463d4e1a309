"""A meeting's frozen record: what its minutes depend on, as it was when the meeting ended.

The roster changes after a meeting (organizations join or leave, people change role or agency,
the quorum rule is amended); the minutes of a meeting held in October must keep saying what was
true in October. Ending a meeting stores a ``MeetingRecord``; the minutes of an ended meeting
are built from it and never from the roster as it stands today.

A meeting that ended before records were kept gets one on first read, built from the roster as
it then stands and marked ``reconstructed`` (the minutes say so).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from pendulum import Date, DateTime

from .meeting import Attendance, AttendanceStatus, AttendanceSummary
from .roster import DecisionRule, MouStatus, Quorum, Roster, Sector

RECORD_ID = "record"  # one record per meeting file


@dataclass(kw_only=True)
class FrozenOrganization:
    """An organization expected at the meeting (an active member organization then)."""

    id: str
    name: str
    sector: Sector = Sector.OTHER
    mou_status: MouStatus = MouStatus.NONE
    mou_signed_on: Date | None = None


@dataclass(kw_only=True)
class FrozenAttendee:
    """One attendance row's person as they were: name, role and organization."""

    attendance_id: str
    member_id: str | None = None
    name: str
    role: str = ""
    organization_id: str | None = None
    organization: str = ""


@dataclass(kw_only=True)
class MeetingRecord:
    id: str = RECORD_ID
    rev: int = 0
    meeting_id: str
    frozen_at: DateTime  # UTC
    reconstructed: bool = False  # built after the fact from a later roster
    collaborative: str = ""
    decision_rule: DecisionRule = DecisionRule.CONSENSUS
    quorum: Quorum = field(default_factory=Quorum)
    expected: list[FrozenOrganization] = field(default_factory=list)  # the quorum's basis
    attendees: list[FrozenAttendee] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # member id -> name (action owners)
    subcommittees: dict[str, str] = field(default_factory=dict)  # id -> name
    confidentiality_statement: str = ""
    data_protection_statement: str = ""

    @property
    def quorum_basis(self) -> int:
        """The number of member organizations the quorum was counted against."""
        return len(self.expected)

    @property
    def quorum_required(self) -> int:
        return self.quorum.required(self.quorum_basis)

    def attendee(self, attendance_id: str) -> FrozenAttendee | None:
        return next((a for a in self.attendees if a.attendance_id == attendance_id), None)


def freeze(
    meeting_id: str,
    roster: Roster,
    attendance: list[Attendance],
    now: DateTime,
    *,
    reconstructed: bool = False,
) -> MeetingRecord:
    """The record of a meeting as the roster and attendance stand at ``now``."""
    orgs = {o.id: o for o in roster.organizations}
    attendees = []
    for row in attendance:
        member = roster.member(row.member_id) if row.member_id else None
        org_id = row.organization_id or (member.organization_id if member else None)
        org = orgs.get(org_id or "")
        attendees.append(
            FrozenAttendee(
                attendance_id=row.id,
                member_id=row.member_id,
                name=row.name,
                role=row.role,
                organization_id=org_id if org else None,
                organization=row.organization_name or (org.name if org else ""),
            )
        )
    profile = roster.profile
    return MeetingRecord(
        meeting_id=meeting_id,
        frozen_at=now.in_timezone("UTC"),
        reconstructed=reconstructed,
        collaborative=profile.name,
        decision_rule=profile.decision_rule,
        quorum=Quorum(kind=profile.quorum.kind, value=profile.quorum.value),
        expected=[
            FrozenOrganization(
                id=o.id,
                name=o.name,
                sector=o.sector,
                mou_status=o.mou_status,
                mou_signed_on=o.mou_signed_on,
            )
            for o in roster.active_organizations()
        ],
        attendees=attendees,
        people={m.id: m.name for m in roster.members},
        subcommittees={s.id: s.name for s in roster.subcommittees},
        confidentiality_statement=profile.confidentiality_statement,
        data_protection_statement=profile.data_protection_statement,
    )


def same_name(a: str, b: str) -> bool:
    """Organization names compared as people read them: case, accents and spacing ignored."""
    return _fold(a) == _fold(b) and bool(_fold(a))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def summarize_record(
    records: list[Attendance], record: MeetingRecord, *, attended: bool = True
) -> AttendanceSummary:
    """Attendance counts against the record's expected organizations (not today's roster).

    Guests never make an organization represented (and never count towards the quorum), so an
    organization is never listed both as represented and as absent. ``attended``: everyone who
    came (the minutes' record of who took part); otherwise only those still in the room (the
    close: people who left early or stepped out count for nothing)."""
    here = [r for r in records if (r.status.attending if attended else r.in_room)]
    expected = {o.id for o in record.expected}
    by_members: set[str] = set()
    for r in here:
        if r.is_guest:
            continue
        frozen = record.attendee(r.id)
        org_id = frozen.organization_id if frozen else r.organization_id
        if org_id and org_id in expected:
            by_members.add(org_id)
    represented = [o for o in record.expected if o.id in by_members]
    sectors = sorted({o.sector for o in represented}, key=lambda s: list(Sector).index(s))
    required = record.quorum_required
    return AttendanceSummary(
        present=len(here),
        expected=sum(1 for r in records if r.member_id is not None),
        organizations=[o.name for o in represented],
        sectors=sectors,
        missing_organizations=[o.name for o in record.expected if o.id not in by_members],
        quorum_required=required,
        quorum_met=len(represented) >= required,
        member_organizations=len(represented),
        guests=sum(1 for r in here if r.is_guest),
        left_early=sum(1 for r in records if r.status is AttendanceStatus.LEFT_EARLY),
        stepped_out=sum(1 for r in records if r.status.in_room and r.stepped_out),
    )
