"""The membership matrix: sectors covered, gaps to recruit for, MOUs to follow up."""

from __future__ import annotations

import pendulum

from facilitate.domain.matrix import membership_matrix
from facilitate.domain.roster import (
    Member,
    MouStatus,
    Organization,
    Profile,
    Roster,
    Sector,
)


def roster(*orgs: Organization, members: list[Member] | None = None) -> Roster:
    return Roster(profile=Profile(name="TF"), organizations=list(orgs), members=list(members or []))


def test_sample_matrix(sample):
    m = membership_matrix(sample.snapshot().roster())
    assert len(m.covered) == 13 and m.sectors_total == 22
    assert Sector.DEFENSE_ATTORNEYS in m.gaps and Sector.JUDGES in m.gaps
    assert Sector.OTHER not in m.gaps
    assert len(m.rows) == 13 + len(m.gaps)
    assert [o.name for o in m.follow_up][:3] == [
        "Federal Investigations Resident Office, Port Merrow",
        "Harbor Valley Unified School District",
        "St. Brigid Regional Medical Center",
    ]
    assert [o.mou_status for o in m.follow_up] == [
        MouStatus.IN_REVIEW,
        MouStatus.IN_REVIEW,
        MouStatus.IN_REVIEW,
        MouStatus.UNSIGNED_COMMITMENT,
        MouStatus.NONE,
        MouStatus.NONE,
    ]
    assert m.mou_counts[MouStatus.SIGNED] == 7


def test_rows_follow_sector_order_with_gaps_and_member_counts():
    pd = Organization(id="o1", name="Police", sector=Sector.LAW_ENFORCEMENT_LOCAL)
    da = Organization(
        id="o2",
        name="DA",
        sector=Sector.PROSECUTORS,
        mou_status=MouStatus.SIGNED,
        mou_signed_on=pendulum.date(2025, 1, 1),
    )
    other = Organization(id="o3", name="Misc", sector=Sector.OTHER)
    gone = Organization(id="o4", name="Gone", sector=Sector.JUDGES, active=False)
    members = [
        Member(name="A", organization_id="o1"),
        Member(name="B", organization_id="o1"),
        Member(name="C", organization_id="o1", active=False),
    ]
    m = membership_matrix(roster(da, other, pd, gone, members=members))
    first = m.rows[0]
    assert first.organization is not None and m.rows[-1].organization is not None
    assert (first.sector, first.organization.name, first.members) == (
        Sector.LAW_ENFORCEMENT_LOCAL,
        "Police",
        2,
    )
    assert m.rows[1].is_gap and m.rows[1].sector is Sector.LAW_ENFORCEMENT_STATE
    # A deactivated organization covers nothing: judges stay a gap.
    assert Sector.JUDGES in m.gaps
    assert m.rows[-1].sector is Sector.OTHER and m.rows[-1].organization.name == "Misc"
    assert m.covered == [Sector.LAW_ENFORCEMENT_LOCAL, Sector.PROSECUTORS]
    assert [o.name for o in m.follow_up] == ["Misc", "Police"]
    assert m.organizations_in(Sector.PROSECUTORS) == [da]


def test_two_organizations_in_one_sector_get_a_row_each():
    a = Organization(name="B shelter", sector=Sector.HOMELESS_ADVOCATES)
    b = Organization(name="A shelter", sector=Sector.HOMELESS_ADVOCATES)
    m = membership_matrix(roster(a, b))
    shelters = [r for r in m.rows if r.sector is Sector.HOMELESS_ADVOCATES]
    names = [getattr(r.organization, "name", None) for r in shelters]
    assert names == ["A shelter", "B shelter"]
