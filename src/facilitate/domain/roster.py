"""The collaborative, its member organizations, people and subcommittees."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from pendulum import Date

from .common import (
    ValidationError,
    clean_text,
    counted,
    new_id,
    optional_text,
    require_minutes,
    require_text,
    require_timezone,
)


class Sector(StrEnum):
    """The sectors of a multi-sector response to trafficking (seed 001), plus 'other'."""

    LAW_ENFORCEMENT_LOCAL = "law_enforcement_local"
    LAW_ENFORCEMENT_STATE = "law_enforcement_state"
    LAW_ENFORCEMENT_FEDERAL = "law_enforcement_federal"
    SOCIAL_SERVICES = "social_services"
    PROSECUTORS = "prosecutors"
    DEFENSE_ATTORNEYS = "defense_attorneys"
    JUDGES = "judges"
    NGO_ADVOCACY = "ngo_advocacy"
    SURVIVORS = "survivors"
    CHILD_WELFARE = "child_welfare"
    JUVENILE_JUSTICE = "juvenile_justice"
    HEALTH_CARE = "health_care"
    MENTAL_HEALTH = "mental_health"
    EDUCATORS = "educators"
    RESEARCHERS = "researchers"
    ACTIVISTS = "activists"
    HOMELESS_ADVOCATES = "homeless_advocates"
    LGBT_ADVOCATES = "lgbt_advocates"
    FAITH_BASED = "faith_based"
    PRIVATE_SECTOR = "private_sector"
    PUBLIC_OFFICIALS = "public_officials"
    MEDIA = "media"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SECTOR_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Sector:
        key = text.strip().lower()
        for sector in cls:
            if key in (sector.value, sector.label.lower()):
                return sector
        raise ValidationError(
            f"Unknown sector {text!r}: use one of " + ", ".join(s.value for s in cls) + "."
        )


SECTOR_LABELS: dict[Sector, str] = {
    Sector.LAW_ENFORCEMENT_LOCAL: "Law enforcement (local)",
    Sector.LAW_ENFORCEMENT_STATE: "Law enforcement (state)",
    Sector.LAW_ENFORCEMENT_FEDERAL: "Law enforcement (federal)",
    Sector.SOCIAL_SERVICES: "Social services",
    Sector.PROSECUTORS: "Prosecutors",
    Sector.DEFENSE_ATTORNEYS: "Defense attorneys",
    Sector.JUDGES: "Judges",
    Sector.NGO_ADVOCACY: "NGOs and advocacy",
    Sector.SURVIVORS: "Survivors",
    Sector.CHILD_WELFARE: "Child welfare",
    Sector.JUVENILE_JUSTICE: "Juvenile justice",
    Sector.HEALTH_CARE: "Health care",
    Sector.MENTAL_HEALTH: "Mental health",
    Sector.EDUCATORS: "Educators",
    Sector.RESEARCHERS: "Researchers and academics",
    Sector.ACTIVISTS: "Social activists",
    Sector.HOMELESS_ADVOCATES: "Homeless advocates",
    Sector.LGBT_ADVOCATES: "LGBT advocates",
    Sector.FAITH_BASED: "Faith-based",
    Sector.PRIVATE_SECTOR: "Private sector",
    Sector.PUBLIC_OFFICIALS: "Public officials",
    Sector.MEDIA: "Media",
    Sector.OTHER: "Other",
}


class MouStatus(StrEnum):
    SIGNED = "signed"
    IN_REVIEW = "in_review"
    UNSIGNED_COMMITMENT = "unsigned_commitment"  # unsigned statement of commitment (seed 000)
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "signed": "Signed",
            "in_review": "In review",
            "unsigned_commitment": "Unsigned commitment",
            "none": "None",
        }[self.value]


class PartnershipType(StrEnum):
    FORMAL = "formal"
    INFORMAL = "informal"


class DecisionRule(StrEnum):
    CONSENSUS = "consensus"
    MAJORITY = "majority"
    TWO_THIRDS = "two_thirds"

    @property
    def label(self) -> str:
        return {
            "consensus": "Consensus",
            "majority": "Majority vote",
            "two_thirds": "Two-thirds vote",
        }[self.value]


class QuorumKind(StrEnum):
    FRACTION = "fraction"  # of active member organizations
    COUNT = "count"  # number of member organizations


@dataclass(kw_only=True)
class Quorum:
    kind: QuorumKind = QuorumKind.FRACTION
    value: float = 0.5

    def validate(self) -> None:
        if isinstance(self.value, bool) or not math.isfinite(self.value):
            raise ValidationError(f"Quorum {self.value!r} is not a number: use e.g. 0.5 or 6.")
        if self.kind is QuorumKind.FRACTION and not 0 < self.value <= 1:
            raise ValidationError(
                f"Quorum fraction {self.value} is outside 0-1: use e.g. 0.5 for half."
            )
        if self.kind is QuorumKind.COUNT and (self.value < 1 or self.value != int(self.value)):
            raise ValidationError(f"Quorum count {self.value} must be a whole number of 1 or more.")

    def required(self, member_organizations: int) -> int:
        """How many organizations must be represented for quorum."""
        if self.kind is QuorumKind.COUNT:
            return int(self.value)
        return max(1, math.ceil(self.value * member_organizations - 1e-9))

    def describe(self) -> str:
        if self.kind is QuorumKind.COUNT:
            return counted(int(self.value), "organization")
        return f"{self.value:.0%} of member organizations"


class CadenceUnit(StrEnum):
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(kw_only=True)
class Cadence:
    every: int = 1
    unit: CadenceUnit = CadenceUnit.MONTHS

    def validate(self) -> None:
        if (
            isinstance(self.every, bool)
            or not isinstance(self.every, int)
            or not 1 <= self.every <= 12
        ):
            raise ValidationError(f"Cadence every {self.every} {self.unit}: use 1 to 12.")

    def describe(self) -> str:
        if self.every == 1:
            return "monthly" if self.unit is CadenceUnit.MONTHS else "weekly"
        return f"every {self.every} {self.unit.value}"


DEFAULT_CONFIDENTIALITY = (
    "What is said about individual cases stays in this room. Share case details only with "
    "members who need them for their work, under the agreements your agency has signed."
)
DEFAULT_DATA_PROTECTION = (
    "Personal data exchanged in this collaborative is handled under applicable data-protection "
    "and confidentiality law. Minutes record no identifying details of victims or survivors."
)


@dataclass(kw_only=True)
class Profile:
    """The collaborative itself: one per workspace."""

    id: str = "profile"
    rev: int = 0
    name: str
    mission: str = ""
    decision_rule: DecisionRule = DecisionRule.CONSENSUS
    quorum: Quorum = field(default_factory=Quorum)
    confidentiality_statement: str = DEFAULT_CONFIDENTIALITY
    data_protection_statement: str = DEFAULT_DATA_PROTECTION
    cadence: Cadence = field(default_factory=Cadence)
    # The standing slot as the collaborative states it ("second Thursday of the month,
    # 10:00-12:00"); empty: inferred from the meetings held (see domain/standing.py).
    standing_slot: str = ""
    timezone: str = "UTC"
    theme: str = "facilitate-dark"
    # Minutes each speaker in the queue may take, unless an item sets its own (0: no limit).
    speaker_limit_minutes: int = 3

    def validate(self) -> Profile:
        self.name = require_text(self.name, "Collaborative name")
        self.mission = optional_text(self.mission, "Mission statement", max_len=5000)
        self.confidentiality_statement = require_text(
            self.confidentiality_statement, "Confidentiality statement", max_len=5000
        )
        self.data_protection_statement = optional_text(
            self.data_protection_statement, "Data-protection statement", max_len=5000
        )
        self.quorum.validate()
        self.cadence.validate()
        self.standing_slot = " ".join(self.standing_slot.split())
        if self.standing_slot:
            from .standing import parse_standing

            parse_standing(self.standing_slot)  # a clear error on text it cannot read
        require_timezone(self.timezone)
        self.speaker_limit_minutes = require_minutes(
            self.speaker_limit_minutes, "Speaker limit", maximum=120
        )
        return self


@dataclass(kw_only=True)
class Organization:
    id: str = field(default_factory=lambda: new_id("org"))
    rev: int = 0
    name: str
    sector: Sector = Sector.OTHER
    mou_status: MouStatus = MouStatus.NONE
    mou_signed_on: Date | None = None
    partnership: PartnershipType = PartnershipType.INFORMAL
    active: bool = True

    def validate(self) -> Organization:
        self.name = require_text(self.name, "Organization name")
        if self.mou_status is MouStatus.SIGNED and self.mou_signed_on is None:
            raise ValidationError(
                f"MOU for {self.name} is marked signed without a date: add the signing date."
            )
        if self.mou_status is not MouStatus.SIGNED:
            self.mou_signed_on = None
        return self

    def mou_label(self) -> str:
        if self.mou_status is MouStatus.SIGNED and self.mou_signed_on:
            return f"Signed {self.mou_signed_on.to_date_string()}"
        return self.mou_status.label


_ATOM = r"[^@\s.<>(),;:\"\[\]]+"
EMAIL_ADDRESS = re.compile(rf"^[^@\s<>(),;:\"\[\]]+@{_ATOM}(?:\.{_ATOM})+$")


def check_email(value: str, who: str = "") -> str:
    """An optional e-mail address: empty, or one address such as name@example.org."""
    text = " ".join(clean_text(value or "").split())
    if text and (len(text) > 254 or not EMAIL_ADDRESS.match(text)):
        whose = f" for {who}" if who else ""
        raise ValidationError(
            f"E-mail {text!r}{whose} is not an address: use one address such as "
            "name@example.org, or leave it empty."
        )
    return text


@dataclass(kw_only=True)
class Member:
    id: str = field(default_factory=lambda: new_id("mem"))
    rev: int = 0
    name: str
    role: str = ""
    organization_id: str
    contact: str = ""
    email: str = ""  # optional; where circulated minutes and agendas go
    active: bool = True
    # Signed a confidentiality undertaking of their own: may stay for case review even when
    # their organization's MOU is not signed.
    undertaking: bool = False
    # Flagged by the task force to step out of case review whatever the MOU says.
    steps_out: bool = False

    def validate(self) -> Member:
        self.name = require_text(self.name, "Member name")
        self.role = optional_text(self.role, "Role", max_len=200)
        self.contact = optional_text(self.contact, "Contact", max_len=200)
        self.email = check_email(self.email, self.name)
        if not self.organization_id:
            raise ValidationError(f"{self.name} has no organization: pick one from the roster.")
        return self


@dataclass(kw_only=True)
class Subcommittee:
    id: str = field(default_factory=lambda: new_id("sub"))
    rev: int = 0
    name: str
    charge: str = ""
    chair_id: str | None = None
    member_ids: list[str] = field(default_factory=list)

    def validate(self) -> Subcommittee:
        self.name = require_text(self.name, "Subcommittee name")
        self.charge = optional_text(self.charge, "Charge", max_len=5000)
        if self.chair_id and self.chair_id not in self.member_ids:
            self.member_ids.insert(0, self.chair_id)
        return self


@dataclass(kw_only=True)
class Roster:
    """A read-only view of the collaborative used by rules (quorum, coverage)."""

    profile: Profile
    organizations: list[Organization] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    subcommittees: list[Subcommittee] = field(default_factory=list)

    def org(self, org_id: str) -> Organization | None:
        return next((o for o in self.organizations if o.id == org_id), None)

    def member(self, member_id: str) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    def subcommittee(self, sub_id: str) -> Subcommittee | None:
        return next((s for s in self.subcommittees if s.id == sub_id), None)

    def active_organizations(self) -> list[Organization]:
        return [o for o in self.organizations if o.active]

    def active_members(self) -> list[Member]:
        active_orgs = {o.id for o in self.active_organizations()}
        return [m for m in self.members if m.active and m.organization_id in active_orgs]

    def covered_sectors(self) -> set[Sector]:
        return {o.sector for o in self.active_organizations()}

    def sector_gaps(self) -> list[Sector]:
        """Sectors of the multi-sector response with no active member organization."""
        covered = self.covered_sectors()
        return [s for s in Sector if s is not Sector.OTHER and s not in covered]
