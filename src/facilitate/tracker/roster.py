"""Roster edits: organizations, members and subcommittees, with the checks the domain objects
cannot make alone (duplicates, references, e-mail addresses).

Each function saves in one locked transaction and refuses a record someone else changed since it
was loaded (its ``rev``). The object passed in is not modified: the saved copy is returned.
"""

from __future__ import annotations

import copy
import re

from pendulum import Date

from ..domain.common import ValidationError, clean_text
from ..domain.roster import (
    Member,
    MouStatus,
    Organization,
    PartnershipType,
    Sector,
    Subcommittee,
)
from ..storage.workspace import Transaction, Workspace

# Deliberately loose: one @, something before it, a dotted domain after it, no spaces.
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")


def name_key(text: str) -> str:
    """How names are compared for duplicates: cleaned, whitespace collapsed, case-folded."""
    return " ".join(clean_text(text).split()).casefold()


def check_contact(contact: str) -> str:
    """A contact is free text (a phone number is fine), but anything with an @ must be an
    e-mail address that could work."""
    value = clean_text(contact).strip()
    if "@" in value and not EMAIL.match(value):
        raise ValidationError(
            f"Contact {value!r} is not a valid e-mail address: use name@example.org "
            "(or a phone number)."
        )
    return value


def parse_choice(text: str, kind: type[MouStatus] | type[PartnershipType], field: str) -> str:
    """An enum value from its value or label, ignoring case, spaces, hyphens and underscores."""
    key = re.sub(r"[\s_-]+", "", text).casefold()
    for member in kind:
        label = getattr(member, "label", member.value)
        if key in (
            re.sub(r"[\s_-]+", "", member.value).casefold(),
            re.sub(r"[\s_-]+", "", str(label)).casefold(),
        ):
            return member.value
    raise ValidationError(
        f"Unknown {field} {text!r}: use one of " + ", ".join(m.value for m in kind) + "."
    )


def parse_mou(text: str) -> MouStatus:
    return MouStatus(parse_choice(text, MouStatus, "MOU status"))


def parse_partnership(text: str) -> PartnershipType:
    return PartnershipType(parse_choice(text, PartnershipType, "partnership"))


def parse_sector(text: str) -> Sector:
    key = re.sub(r"[\s_-]+", "", text).casefold()
    for sector in Sector:
        if key in (
            re.sub(r"[\s_-]+", "", sector.value).casefold(),
            re.sub(r"[\s_-]+", "", sector.label).casefold(),
        ):
            return sector
    return Sector.parse(text)  # raises the domain's message


# --- organizations ---------------------------------------------------------------------------


def _check_org(tx: Transaction, org: Organization) -> None:
    org.validate()
    key = name_key(org.name)
    for other in tx.all(Organization):
        if other.id != org.id and name_key(other.name) == key:
            raise ValidationError(
                f"An organization named {other.name!r} is already on the roster"
                + ("" if other.active else " (deactivated: reactivate it instead)")
                + "."
            )


def add_organization(ws: Workspace, org: Organization) -> Organization:
    mine = copy.deepcopy(org)
    with ws.transaction() as tx:
        _check_org(tx, mine)
        tx.add(mine)
    return mine


def update_organization(ws: Workspace, org: Organization) -> Organization:
    mine = copy.deepcopy(org)
    with ws.transaction() as tx:
        _check_org(tx, mine)
        tx.update(mine)
    return mine


def set_organization_active(ws: Workspace, org: Organization, active: bool) -> Organization:
    if org.active == active:
        state = "active" if active else "deactivated"
        raise ValidationError(f"{org.name} is already {state}.")
    mine = copy.deepcopy(org)
    mine.active = active
    with ws.transaction() as tx:
        tx.update(mine)
    return mine


def new_organization(
    name: str,
    sector: Sector,
    mou_status: MouStatus = MouStatus.NONE,
    mou_signed_on: Date | None = None,
    partnership: PartnershipType = PartnershipType.INFORMAL,
) -> Organization:
    return Organization(
        name=name,
        sector=sector,
        mou_status=mou_status,
        mou_signed_on=mou_signed_on,
        partnership=partnership,
    )


# --- members ---------------------------------------------------------------------------------


def _check_member(tx: Transaction, member: Member) -> None:
    member.validate()
    member.contact = check_contact(member.contact)
    org = tx.find(Organization, member.organization_id)
    if org is None:
        raise ValidationError(f"{member.name} has no organization on the roster: pick one.")
    key = name_key(member.name)
    for other in tx.all(Member):
        if other.id == member.id:
            continue
        if other.organization_id == member.organization_id and name_key(other.name) == key:
            raise ValidationError(
                f"{other.name} is already a member for {org.name}"
                + ("" if other.active else " (deactivated: reactivate them instead)")
                + "."
            )


def add_member(ws: Workspace, member: Member) -> Member:
    mine = copy.deepcopy(member)
    with ws.transaction() as tx:
        _check_member(tx, mine)
        org = tx.get(Organization, mine.organization_id)
        if not org.active:
            raise ValidationError(
                f"{org.name} is deactivated: reactivate it before adding members."
            )
        tx.add(mine)
    return mine


def update_member(ws: Workspace, member: Member) -> Member:
    mine = copy.deepcopy(member)
    with ws.transaction() as tx:
        _check_member(tx, mine)
        tx.update(mine)
    return mine


def set_member_active(ws: Workspace, member: Member, active: bool) -> Member:
    if member.active == active:
        state = "active" if active else "deactivated"
        raise ValidationError(f"{member.name} is already {state}.")
    mine = copy.deepcopy(member)
    mine.active = active
    with ws.transaction() as tx:
        tx.update(mine)
    return mine


# --- subcommittees ---------------------------------------------------------------------------


def _check_subcommittee(tx: Transaction, sub: Subcommittee) -> None:
    sub.validate()
    key = name_key(sub.name)
    for other in tx.all(Subcommittee):
        if other.id != sub.id and name_key(other.name) == key:
            raise ValidationError(f"A subcommittee named {other.name!r} already exists.")
    members = {m.id: m for m in tx.all(Member)}
    seen: list[str] = []
    for member_id in sub.member_ids:
        if member_id not in members:
            raise ValidationError(f"No member with id {member_id!r}: pick members from the roster.")
        if member_id not in seen:
            seen.append(member_id)
    sub.member_ids = seen
    if sub.chair_id is not None:
        chair = members.get(sub.chair_id)
        if chair is None:
            raise ValidationError("The chair is not on the roster: pick a member as chair.")
        stored = tx.find(Subcommittee, sub.id)
        unchanged = stored is not None and stored.chair_id == sub.chair_id
        if not chair.active and not unchanged:
            raise ValidationError(f"{chair.name} is deactivated: pick an active member as chair.")


def add_subcommittee(ws: Workspace, sub: Subcommittee) -> Subcommittee:
    mine = copy.deepcopy(sub)
    with ws.transaction() as tx:
        _check_subcommittee(tx, mine)
        tx.add(mine)
    return mine


def update_subcommittee(ws: Workspace, sub: Subcommittee) -> Subcommittee:
    mine = copy.deepcopy(sub)
    with ws.transaction() as tx:
        _check_subcommittee(tx, mine)
        tx.update(mine)
    return mine
