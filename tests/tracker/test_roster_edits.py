"""Roster edits: validation with clear messages, duplicates, deactivation, subcommittees."""

from __future__ import annotations

import copy

import pendulum
import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.roster import Member, MouStatus, Organization, Sector, Subcommittee
from facilitate.storage.errors import StaleRecordError
from facilitate.tracker import roster as edits

from .conftest import digest


def test_add_organization_and_member(sample):
    org = edits.add_organization(
        sample,
        edits.new_organization(
            "Larkin County Public Defender",
            Sector.DEFENSE_ATTORNEYS,
            MouStatus.SIGNED,
            pendulum.date(2026, 12, 1),
        ),
    )
    member = edits.add_member(
        sample,
        Member(name="Carla Jensen", role="Deputy", organization_id=org.id, contact="cj@pd.example"),
    )
    roster = sample.snapshot().roster()
    assert roster.org(org.id).mou_label() == "Signed 2026-12-01"
    assert roster.member(member.id).organization_id == org.id
    assert Sector.DEFENSE_ATTORNEYS in roster.covered_sectors()


@pytest.mark.parametrize(
    "name,message",
    [
        ("port merrow   POLICE department", "already on the roster"),
        ("", "Organization name is empty"),
        ("x" * 300, "300 characters long"),
    ],
)
def test_organization_validation(sample, name, message):
    before = digest(sample.root)
    with pytest.raises(ValidationError, match=message):
        edits.add_organization(sample, edits.new_organization(name, Sector.MEDIA))
    assert digest(sample.root) == before


def test_signed_mou_needs_a_date(sample):
    org = Organization(name="New", sector=Sector.MEDIA, mou_status=MouStatus.SIGNED)
    with pytest.raises(ValidationError, match="without a date"):
        edits.add_organization(sample, org)


@pytest.mark.parametrize(
    "contact,ok",
    [
        ("", True),
        ("+1 555 0100", True),
        ("ana@example.org", True),
        ("ana.ortiz+tf@dept.county.gov", True),
        ("ana@", False),
        ("@example.org", False),
        ("ana@example", False),
        ("ana@@example.org", False),
        ("ana @example.org", False),
    ],
)
def test_contact_must_be_a_plausible_email_when_it_has_an_at(contact, ok):
    if ok:
        assert edits.check_contact(contact) == contact
    else:
        with pytest.raises(ValidationError, match="not a valid e-mail"):
            edits.check_contact(contact)


def test_member_validation(sample):
    with pytest.raises(ValidationError, match="already a member for Port Merrow"):
        edits.add_member(sample, Member(name="marcus  delaney", organization_id="org-pmpd"))
    # The same name in another organization is another person.
    edits.add_member(sample, Member(name="Marcus Delaney", organization_id="org-larkin-da"))
    with pytest.raises(ValidationError, match="e-mail"):
        edits.add_member(sample, Member(name="Bea", organization_id="org-pmpd", contact="bea@pmpd"))
    with pytest.raises(ValidationError, match="no organization on the roster"):
        edits.add_member(sample, Member(name="Bea", organization_id="org-nowhere"))


def test_deactivate_and_reactivate(sample):
    org = sample.snapshot().get(Organization, "org-larkin-county")
    off = edits.set_organization_active(sample, org, False)
    roster = sample.snapshot().roster()
    assert not roster.org("org-larkin-county").active
    assert Sector.PUBLIC_OFFICIALS in roster.sector_gaps()
    assert all(m.organization_id != "org-larkin-county" for m in roster.active_members())
    with pytest.raises(ValidationError, match="already deactivated"):
        edits.set_organization_active(sample, off, False)
    with pytest.raises(ValidationError, match="deactivated: reactivate it"):
        edits.add_member(sample, Member(name="New", organization_id="org-larkin-county"))
    edits.set_organization_active(sample, off, True)
    assert sample.snapshot().get(Organization, "org-larkin-county").active


def test_stale_edit_is_refused(sample):
    org = sample.snapshot().get(Organization, "org-hvusd")
    mine, theirs = copy.deepcopy(org), copy.deepcopy(org)
    theirs.mou_status, theirs.mou_signed_on = MouStatus.SIGNED, pendulum.date(2026, 12, 1)
    edits.update_organization(sample, theirs)
    mine.name = "HVUSD"
    with pytest.raises(StaleRecordError):
        edits.update_organization(sample, mine)
    assert sample.snapshot().get(Organization, "org-hvusd").mou_status is MouStatus.SIGNED


def test_subcommittees(sample):
    sub = edits.add_subcommittee(
        sample,
        Subcommittee(
            name="Labor trafficking",
            charge="Map the labor trafficking referral routes.",
            chair_id="mem-hana-kobayashi",
            member_ids=["mem-owen-gallagher", "mem-owen-gallagher"],
        ),
    )
    stored = sample.snapshot().get(Subcommittee, sub.id)
    assert stored.member_ids == ["mem-hana-kobayashi", "mem-owen-gallagher"]
    with pytest.raises(ValidationError, match="already exists"):
        edits.add_subcommittee(sample, Subcommittee(name="labor TRAFFICKING"))
    with pytest.raises(ValidationError, match="No member with id"):
        edits.add_subcommittee(sample, Subcommittee(name="X", member_ids=["mem-ghost"]))
    stored.charge = "Updated charge."
    edits.update_subcommittee(sample, stored)
    assert sample.snapshot().get(Subcommittee, sub.id).charge == "Updated charge."


def test_chair_must_be_active_when_chosen(sample):
    member = sample.snapshot().get(Member, "mem-hana-kobayashi")
    edits.set_member_active(sample, member, False)
    with pytest.raises(ValidationError, match="pick an active member as chair"):
        edits.add_subcommittee(sample, Subcommittee(name="New", chair_id="mem-hana-kobayashi"))
    # An existing subcommittee whose chair left can still be edited.
    sub = sample.snapshot().get(Subcommittee, "sub-data-protocols")
    chair = sample.snapshot().get(Member, sub.chair_id)
    edits.set_member_active(sample, chair, False)
    sub.charge = "Still editable."
    edits.update_subcommittee(sample, sub)
