"""roster.py: sectors, quorum, cadence, profile, organizations, members, subcommittees."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.roster import (
    SECTOR_LABELS,
    Cadence,
    CadenceUnit,
    Member,
    MouStatus,
    Organization,
    Profile,
    Quorum,
    QuorumKind,
    Roster,
    Sector,
    Subcommittee,
)

from ..conftest import HOSTILE_STRINGS

# --------------------------------------------------------------------------- Sector


@pytest.mark.parametrize("sector", list(Sector))
def test_sector_parse_by_value_and_label(sector: Sector) -> None:
    assert Sector.parse(sector.value) is sector
    assert Sector.parse(sector.label) is sector
    assert Sector.parse(f"  {sector.label.upper()}  ") is sector


def test_every_sector_has_a_label() -> None:
    assert set(SECTOR_LABELS) == set(Sector)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prosecutors", Sector.PROSECUTORS),
        ("law enforcement (local)", Sector.LAW_ENFORCEMENT_LOCAL),
        ("NGOs and advocacy", Sector.NGO_ADVOCACY),
        ("faith-based", Sector.FAITH_BASED),
        ("survivors", Sector.SURVIVORS),
    ],
)
def test_sector_parse_examples(text: str, expected: Sector) -> None:
    assert Sector.parse(text) is expected


@pytest.mark.parametrize("text", ["police", "", "law enforcement", "prosecutor", *HOSTILE_STRINGS])
def test_sector_parse_unknown_lists_every_option(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Sector.parse(text)
    message = str(info.value)
    assert message.startswith("Unknown sector")
    for sector in Sector:
        assert sector.value in message


# --------------------------------------------------------------------------- Quorum


@pytest.mark.parametrize(
    ("kind", "value", "orgs", "required"),
    [
        (QuorumKind.FRACTION, 0.5, 12, 6),
        (QuorumKind.FRACTION, 0.5, 11, 6),
        (QuorumKind.FRACTION, 0.5, 10, 5),
        (QuorumKind.FRACTION, 0.5, 1, 1),
        (QuorumKind.FRACTION, 2 / 3, 12, 8),
        (QuorumKind.FRACTION, 2 / 3, 9, 6),
        (QuorumKind.FRACTION, 2 / 3, 10, 7),
        (QuorumKind.FRACTION, 0.6, 5, 3),  # 0.6*5 is 3.0000000000000004 in floating point
        (QuorumKind.FRACTION, 0.1, 30, 3),  # 0.1*30 is 3.0000000000000004 in floating point
        (QuorumKind.FRACTION, 1.0, 7, 7),
        (QuorumKind.FRACTION, 0.25, 3, 1),
        (QuorumKind.FRACTION, 0.5, 0, 1),  # never zero: an empty roster still needs somebody
        (QuorumKind.COUNT, 5, 12, 5),
        (QuorumKind.COUNT, 5.0, 3, 5),
        (QuorumKind.COUNT, 1, 40, 1),
    ],
)
def test_quorum_required(kind: QuorumKind, value: float, orgs: int, required: int) -> None:
    quorum = Quorum(kind=kind, value=value)
    quorum.validate()
    assert quorum.required(orgs) == required


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (QuorumKind.FRACTION, 0),
        (QuorumKind.FRACTION, -0.5),
        (QuorumKind.FRACTION, 1.01),
        (QuorumKind.FRACTION, 50),
        (QuorumKind.FRACTION, float("nan")),
        (QuorumKind.FRACTION, float("inf")),
        (QuorumKind.COUNT, 0),
        (QuorumKind.COUNT, -3),
        (QuorumKind.COUNT, 2.5),
        (QuorumKind.COUNT, 0.5),
    ],
)
def test_quorum_validate_refuses(kind: QuorumKind, value: float) -> None:
    with pytest.raises(ValidationError, match="Quorum"):
        Quorum(kind=kind, value=value).validate()


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_quorum_count_not_finite_is_a_validation_error(value: float) -> None:
    with pytest.raises(ValidationError, match="Quorum"):
        Quorum(kind=QuorumKind.COUNT, value=value).validate()


def test_quorum_describe() -> None:
    assert Quorum(kind=QuorumKind.FRACTION, value=0.5).describe() == "50% of member organizations"
    assert Quorum(kind=QuorumKind.COUNT, value=5).describe() == "5 organizations"
    assert Quorum(kind=QuorumKind.COUNT, value=1).describe() == "1 organization"


# --------------------------------------------------------------------------- Cadence


@pytest.mark.parametrize("every", [1, 2, 6, 12])
@pytest.mark.parametrize("unit", list(CadenceUnit))
def test_cadence_accepts_one_to_twelve(every: int, unit: CadenceUnit) -> None:
    Cadence(every=every, unit=unit).validate()


@pytest.mark.parametrize("every", [0, -1, 13, 52])
def test_cadence_refuses_out_of_range(every: int) -> None:
    with pytest.raises(ValidationError, match="use 1 to 12"):
        Cadence(every=every, unit=CadenceUnit.WEEKS).validate()


@pytest.mark.parametrize(
    ("every", "unit", "text"),
    [
        (1, CadenceUnit.MONTHS, "monthly"),
        (1, CadenceUnit.WEEKS, "weekly"),
        (2, CadenceUnit.WEEKS, "every 2 weeks"),
        (3, CadenceUnit.MONTHS, "every 3 months"),
    ],
)
def test_cadence_describe(every: int, unit: CadenceUnit, text: str) -> None:
    assert Cadence(every=every, unit=unit).describe() == text


# --------------------------------------------------------------------------- Profile


def test_profile_validate_cleans_and_accepts_defaults() -> None:
    profile = Profile(name="  Metro Task Force\x1b[31m ", timezone="Europe/Amsterdam").validate()
    assert profile.name == "Metro Task Force"
    assert profile.confidentiality_statement  # a default is always there


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Collaborative name is empty"),
        ({"name": "  \t"}, "Collaborative name is empty"),
        ({"name": "x" * 201}, "Collaborative name is 201 characters"),
        ({"timezone": "Mars/Olympus"}, "Unknown timezone"),
        ({"timezone": ""}, "Unknown timezone"),
        ({"confidentiality_statement": "   "}, "Confidentiality statement is empty"),
        ({"mission": "m" * 5001}, "Mission statement is 5001"),
        ({"quorum": Quorum(kind=QuorumKind.FRACTION, value=1.5)}, "Quorum fraction"),
        ({"cadence": Cadence(every=0)}, "Cadence"),
    ],
)
def test_profile_validate_refuses(changes: dict, message: str) -> None:
    fields = {"name": "Metro Task Force", **changes}
    with pytest.raises(ValidationError, match=message):
        Profile(**fields).validate()


# --------------------------------------------------------------------------- Organization


def test_organization_signed_mou_needs_a_date() -> None:
    org = Organization(name="County Prosecutor", mou_status=MouStatus.SIGNED)
    with pytest.raises(ValidationError, match="signed without a date"):
        org.validate()


def test_organization_signed_mou_keeps_its_date() -> None:
    signed = pendulum.date(2025, 3, 1)
    org = Organization(name="County Prosecutor", mou_status=MouStatus.SIGNED, mou_signed_on=signed)
    org.validate()
    assert org.mou_signed_on == signed
    assert org.mou_label() == "Signed 2025-03-01"


@pytest.mark.parametrize(
    "status", [MouStatus.IN_REVIEW, MouStatus.UNSIGNED_COMMITMENT, MouStatus.NONE]
)
def test_organization_not_signed_clears_the_date(status: MouStatus) -> None:
    org = Organization(name="Shelter", mou_status=status, mou_signed_on=pendulum.date(2025, 3, 1))
    org.validate()
    assert org.mou_signed_on is None
    assert org.mou_label() == status.label


def test_organization_name_required_and_cleaned() -> None:
    with pytest.raises(ValidationError, match="Organization name is empty"):
        Organization(name=" ").validate()
    assert Organization(name="Shelter\x1b]0;x\x07").validate().name == "Shelter"


def test_organization_ids_are_unique() -> None:
    assert Organization(name="A").id != Organization(name="A").id


# --------------------------------------------------------------------------- Member


@pytest.mark.parametrize("org_id", ["", None])
def test_member_requires_organization(org_id: str | None) -> None:
    with pytest.raises(ValidationError, match="has no organization"):
        Member(name="Dana", organization_id=org_id).validate()  # type: ignore[arg-type]


def test_member_validate_cleans() -> None:
    member = Member(name=" Dana\x07 ", organization_id="org-1", role="Det.\x1b[1m").validate()
    assert member.name == "Dana"
    assert member.role == "Det."
    with pytest.raises(ValidationError, match="Member name is empty"):
        Member(name="", organization_id="org-1").validate()


# --------------------------------------------------------------------------- Subcommittee


def test_subcommittee_chair_is_added_to_members_first() -> None:
    sub = Subcommittee(name="Victim services", chair_id="mem-c", member_ids=["mem-a", "mem-b"])
    sub.validate()
    assert sub.member_ids == ["mem-c", "mem-a", "mem-b"]


def test_subcommittee_chair_already_member_is_not_duplicated() -> None:
    sub = Subcommittee(name="Training", chair_id="mem-b", member_ids=["mem-a", "mem-b"])
    sub.validate()
    sub.validate()
    assert sub.member_ids == ["mem-a", "mem-b"]


def test_subcommittee_without_chair_keeps_members() -> None:
    sub = Subcommittee(name="Data", member_ids=["mem-a"]).validate()
    assert sub.member_ids == ["mem-a"]
    with pytest.raises(ValidationError, match="Subcommittee name is empty"):
        Subcommittee(name="").validate()


# --------------------------------------------------------------------------- Roster


@pytest.fixture
def roster() -> Roster:
    orgs = [
        Organization(id="org-pd", name="City PD", sector=Sector.LAW_ENFORCEMENT_LOCAL),
        Organization(id="org-da", name="District Attorney", sector=Sector.PROSECUTORS),
        Organization(id="org-sh", name="Shelter", sector=Sector.NGO_ADVOCACY),
        Organization(id="org-sh2", name="Second shelter", sector=Sector.NGO_ADVOCACY),
        Organization(id="org-x", name="Misc", sector=Sector.OTHER),
        Organization(id="org-old", name="Old clinic", sector=Sector.HEALTH_CARE, active=False),
    ]
    members = [
        Member(id="mem-1", name="Ana", organization_id="org-pd"),
        Member(id="mem-2", name="Ben", organization_id="org-da", active=False),
        Member(id="mem-3", name="Cy", organization_id="org-old"),
        Member(id="mem-4", name="Di", organization_id="org-sh"),
        Member(id="mem-5", name="Ed", organization_id="org-gone"),
    ]
    subs = [Subcommittee(id="sub-1", name="Victim services")]
    return Roster(
        profile=Profile(name="Task force"), organizations=orgs, members=members, subcommittees=subs
    )


def test_roster_active_organizations(roster: Roster) -> None:
    assert [o.id for o in roster.active_organizations()] == [
        "org-pd",
        "org-da",
        "org-sh",
        "org-sh2",
        "org-x",
    ]


def test_roster_active_members_exclude_inactive_members_and_orgs(roster: Roster) -> None:
    # mem-2 inactive, mem-3 in an inactive org, mem-5 in an org not on the roster.
    assert [m.id for m in roster.active_members()] == ["mem-1", "mem-4"]


def test_roster_covered_sectors_only_from_active_orgs(roster: Roster) -> None:
    assert roster.covered_sectors() == {
        Sector.LAW_ENFORCEMENT_LOCAL,
        Sector.PROSECUTORS,
        Sector.NGO_ADVOCACY,
        Sector.OTHER,
    }


def test_roster_sector_gaps(roster: Roster) -> None:
    gaps = roster.sector_gaps()
    assert Sector.OTHER not in gaps
    assert Sector.HEALTH_CARE in gaps  # only an inactive org covers it
    assert Sector.PROSECUTORS not in gaps
    assert Sector.SURVIVORS in gaps
    assert gaps == [
        s
        for s in Sector
        if s
        not in {
            Sector.LAW_ENFORCEMENT_LOCAL,
            Sector.PROSECUTORS,
            Sector.NGO_ADVOCACY,
            Sector.OTHER,
        }
    ]


def test_roster_sector_gaps_empty_roster_and_full_roster() -> None:
    empty = Roster(profile=Profile(name="T"))
    assert empty.sector_gaps() == [s for s in Sector if s is not Sector.OTHER]
    full = Roster(
        profile=Profile(name="T"),
        organizations=[
            Organization(name=s.label, sector=s) for s in Sector if s is not Sector.OTHER
        ],
    )
    assert full.sector_gaps() == []


def test_roster_lookups(roster: Roster) -> None:
    assert getattr(roster.org("org-da"), "name", None) == "District Attorney"
    assert getattr(roster.org("org-old"), "name", None) == "Old clinic"
    assert roster.org("nope") is None
    assert getattr(roster.member("mem-4"), "name", None) == "Di"
    assert roster.member("nope") is None
    assert getattr(roster.subcommittee("sub-1"), "name", None) == "Victim services"
    assert roster.subcommittee("nope") is None
