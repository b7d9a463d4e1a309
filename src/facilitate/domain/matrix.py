"""The membership matrix: member organizations against the sectors of a multi-sector response.

A stakeholder planning tool (seed 004): which sectors have a member organization, which do not
(the gaps to recruit for), and whose MOU still needs following up (seed 000: in review, an
unsigned statement of commitment, or nothing yet). Pure: built from a Roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from .roster import MouStatus, Organization, Roster, Sector

# MOUs to follow up, most urgent first: in review (nearly there), then unsigned, then none.
FOLLOW_UP_ORDER = (MouStatus.IN_REVIEW, MouStatus.UNSIGNED_COMMITMENT, MouStatus.NONE)


@dataclass(frozen=True)
class MatrixRow:
    sector: Sector
    organization: Organization | None  # None: nobody covers this sector (a gap)
    members: int = 0  # active members of the organization

    @property
    def is_gap(self) -> bool:
        return self.organization is None


@dataclass(frozen=True)
class MembershipMatrix:
    rows: list[MatrixRow]
    covered: list[Sector]  # sectors of the response with an active member organization
    gaps: list[Sector]  # sectors of the response without one ("other" is never a gap)
    mou_counts: dict[MouStatus, int]  # active organizations by MOU status
    follow_up: list[Organization]  # active organizations whose MOU is not signed

    @property
    def sectors_total(self) -> int:
        return len([s for s in Sector if s is not Sector.OTHER])

    def organizations_in(self, sector: Sector) -> list[Organization]:
        return [r.organization for r in self.rows if r.sector is sector and r.organization]


def membership_matrix(roster: Roster) -> MembershipMatrix:
    """One row per (sector, active organization), and one gap row per uncovered sector.

    Sectors keep the order of the multi-sector response; "other" appears only when an
    organization is filed under it.
    """
    active = sorted(roster.active_organizations(), key=lambda o: o.name.lower())
    members: dict[str, int] = {}
    for m in roster.active_members():
        members[m.organization_id] = members.get(m.organization_id, 0) + 1
    rows: list[MatrixRow] = []
    covered: list[Sector] = []
    gaps: list[Sector] = []
    for sector in Sector:
        orgs = [o for o in active if o.sector is sector]
        if orgs:
            if sector is not Sector.OTHER:
                covered.append(sector)
            rows.extend(MatrixRow(sector, o, members.get(o.id, 0)) for o in orgs)
        elif sector is not Sector.OTHER:
            gaps.append(sector)
            rows.append(MatrixRow(sector, None))
    counts = {status: sum(1 for o in active if o.mou_status is status) for status in MouStatus}
    follow_up = sorted(
        (o for o in active if o.mou_status in FOLLOW_UP_ORDER),
        key=lambda o: (FOLLOW_UP_ORDER.index(o.mou_status), o.name.lower()),
    )
    return MembershipMatrix(
        rows=rows, covered=covered, gaps=gaps, mou_counts=counts, follow_up=follow_up
    )
