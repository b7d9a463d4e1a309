"""A meeting, its agenda, attendance, decisions and feedback."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from pendulum import Date, DateTime, Duration

from .common import (
    ValidationError,
    as_utc,
    new_id,
    optional_text,
    require_minutes,
    require_text,
    require_timezone,
    require_title,
)
from .roster import Organization, Roster, Sector


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    ENDED = "ended"


class MinutesStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


@dataclass(kw_only=True)
class Meeting:
    id: str = field(default_factory=lambda: new_id("mtg"))
    rev: int = 0
    title: str
    start: DateTime  # UTC
    end: DateTime  # UTC
    timezone: str = "UTC"
    location: str = ""
    facilitator: str = ""
    note_taker: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    minutes_status: MinutesStatus = MinutesStatus.DRAFT
    minutes_approved_on: Date | None = None
    minutes_corrections: str = ""
    # Live state. The running item is the one whose last span is open; `current_item_id`
    # also remembers the item while the meeting is paused.
    started_at: DateTime | None = None
    ended_at: DateTime | None = None
    confidentiality_ack_at: DateTime | None = None
    current_item_id: str | None = None
    paused: bool = False
    next_meeting_start: DateTime | None = None

    def validate(self) -> Meeting:
        self.title = require_title(self.title, "Meeting title")
        self.location = optional_text(self.location, "Location", max_len=200)
        self.facilitator = optional_text(self.facilitator, "Facilitator", max_len=200)
        self.note_taker = optional_text(self.note_taker, "Note-taker", max_len=200)
        require_timezone(self.timezone)
        self.start = as_utc(self.start)
        self.end = as_utc(self.end)
        if self.end <= self.start:
            raise ValidationError(
                f"Meeting ends ({self.local(self.end).format('YYYY-MM-DD HH:mm')}) before it "
                f"starts ({self.local(self.start).format('YYYY-MM-DD HH:mm')}): fix the end time."
            )
        if self.end - self.start > Duration(hours=12):
            raise ValidationError("Meeting is longer than 12 hours: check the start and end times.")
        return self

    def local(self, instant: DateTime) -> DateTime:
        return instant.in_timezone(self.timezone)

    @property
    def slot_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class ItemKind(StrEnum):
    OPENING = "opening"  # opening & confidentiality reminder
    INTRODUCTIONS = "introductions"
    MINUTES_APPROVAL = "minutes_approval"
    REPORT_BACKS = "report_backs"
    TRAINING = "training"
    INFORMATION_SHARING = "information_sharing"
    CASE_REVIEW = "case_review"
    NEW_BUSINESS = "new_business"
    DECISIONS = "decisions"
    FEEDBACK = "feedback"
    CLOSING = "closing"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ITEM_KIND_LABELS[self]


ITEM_KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.OPENING: "Opening and confidentiality reminder",
    ItemKind.INTRODUCTIONS: "Introductions",
    ItemKind.MINUTES_APPROVAL: "Approval of previous minutes",
    ItemKind.REPORT_BACKS: "Subcommittee report-backs",
    ItemKind.TRAINING: "Training",
    ItemKind.INFORMATION_SHARING: "Information sharing",
    ItemKind.CASE_REVIEW: "Case review",
    ItemKind.NEW_BUSINESS: "New business",
    ItemKind.DECISIONS: "Decisions",
    ItemKind.FEEDBACK: "Feedback",
    ItemKind.CLOSING: "Close",
    ItemKind.OTHER: "Other",
}


@dataclass(kw_only=True)
class TimeSpan:
    start: DateTime
    end: DateTime | None = None

    def seconds(self, now: DateTime) -> float:
        stop = self.end if self.end is not None else now
        return max(0.0, (stop - self.start).total_seconds())


@dataclass(kw_only=True)
class AgendaItem:
    id: str = field(default_factory=lambda: new_id("itm"))
    rev: int = 0
    meeting_id: str
    position: int = 0
    title: str
    kind: ItemKind = ItemKind.OTHER
    planned_minutes: int = 5
    presenter: str = ""
    # None (the default) means: decided by the kind, so case reviews are confidential unless a
    # caller says otherwise. After construction it is always a bool.
    confidential: bool = None  # type: ignore[assignment]
    notes: str = ""
    spans: list[TimeSpan] = field(default_factory=list)
    pinned: bool = False
    deferred: bool = False  # moved to the next meeting by a re-plan
    training_id: str | None = None
    # Minutes each speaker may take on this item (0: no limit); None: the profile's default.
    speaker_limit_minutes: int | None = None

    def __post_init__(self) -> None:
        if self.confidential is None:
            # Case reviews are confidential by default; an explicit False is kept.
            self.confidential = self.kind is ItemKind.CASE_REVIEW

    def validate(self) -> AgendaItem:
        self.title = require_title(self.title, "Agenda item title", max_len=300)
        self.planned_minutes = require_minutes(self.planned_minutes)
        self.presenter = optional_text(self.presenter, "Presenter", max_len=200)
        self.notes = optional_text(self.notes, "Notes")
        if self.speaker_limit_minutes is not None:
            self.speaker_limit_minutes = require_minutes(
                self.speaker_limit_minutes, "Speaker limit", maximum=120
            )
        for span in self.spans:
            if span.end is not None and span.end < span.start:
                raise ValidationError(
                    f"Agenda item {self.title!r} has a time span ending before it starts."
                )
        return self

    @property
    def running(self) -> bool:
        return bool(self.spans) and self.spans[-1].end is None

    @property
    def started(self) -> bool:
        return bool(self.spans)

    def elapsed_seconds(self, now: DateTime) -> float:
        return sum(span.seconds(now) for span in self.spans)


def under_confidential(agenda_item_id: str | None, items_by_id: Mapping[str, AgendaItem]) -> bool:
    """A decision or action raised under a confidential agenda item is confidential too.

    An item id that no longer resolves is treated as confidential (as storage's audit log does):
    when in doubt, withhold.
    """
    if not agenda_item_id:
        return False
    item = items_by_id.get(agenda_item_id)
    return item is None or bool(item.confidential)


def planned_total(items: list[AgendaItem]) -> int:
    """Planned minutes of the agenda, leaving out items moved to the next meeting."""
    return sum(i.planned_minutes for i in items if not i.deferred)


class AttendanceStatus(StrEnum):
    EXPECTED = "expected"  # not yet marked
    PRESENT = "present"
    REMOTE = "remote"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def attending(self) -> bool:
        return self in (
            AttendanceStatus.PRESENT,
            AttendanceStatus.REMOTE,
            AttendanceStatus.LATE,
            AttendanceStatus.LEFT_EARLY,
        )

    @property
    def in_room(self) -> bool:
        """Attending and still here: a person who left early no longer counts from then on
        (present count, organizations, sectors, quorum, who may vote)."""
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.REMOTE, AttendanceStatus.LATE)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(kw_only=True)
class Attendance:
    id: str = field(default_factory=lambda: new_id("att"))
    rev: int = 0
    meeting_id: str
    member_id: str | None = None  # None for a guest
    name: str
    role: str = ""
    organization_id: str | None = None
    organization_name: str = ""  # for guests, or a snapshot of the member's organization
    status: AttendanceStatus = AttendanceStatus.EXPECTED
    introduced: bool = False
    # Out of the room for a confidential item (see domain.case_review); the ids of the items
    # they stepped out for, in order, for the minutes.
    stepped_out: bool = False
    stepped_out_during: list[str] = field(default_factory=list)

    def validate(self) -> Attendance:
        self.name = require_text(self.name, "Name")
        self.role = optional_text(self.role, "Role", max_len=200)
        self.organization_name = optional_text(self.organization_name, "Organization", max_len=200)
        return self

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    @property
    def in_room(self) -> bool:
        """In the room now: attending, not left early, not stepped out for a case."""
        return self.status.in_room and not self.stepped_out

    @property
    def may_vote(self) -> bool:
        """Members in the room vote; guests never do."""
        return self.in_room and not self.is_guest


@dataclass(kw_only=True)
class AttendanceSummary:
    """Who is in the room now. Guests are counted as people but never as an organization
    represented (their employer is not a member of the task force) and never vote."""

    present: int  # people in the room (members and guests)
    expected: int
    organizations: list[str]  # member organizations represented (names)
    sectors: list[Sector]
    missing_organizations: list[str]  # expected (active member) organizations not represented
    quorum_required: int
    quorum_met: bool
    member_organizations: int = 0  # len(organizations): the quorum counts these
    guests: int = 0  # of ``present``
    left_early: int = 0  # attended, then left: no longer counted
    stepped_out: int = 0  # out of the room for a confidential item

    @property
    def members_present(self) -> int:
        """Who may vote now."""
        return self.present - self.guests


def summarize_attendance(
    records: list[Attendance], roster: Roster, *, attended: bool = False
) -> AttendanceSummary:
    """Live counts for the roll call: who is here now, which organizations and sectors, quorum.

    People who left early or stepped out count for nothing from that moment (a decision keeps
    the counts it was taken with, see ``Decision.attending``). ``attended``: count everyone
    who came instead, for the minutes' record of who took part."""
    here = [r for r in records if (r.status.attending if attended else r.in_room)]
    org_ids = {r.organization_id for r in here if r.organization_id and not r.is_guest}
    member_orgs: list[Organization] = roster.active_organizations()
    represented = [o for o in member_orgs if o.id in org_ids]
    sectors = sorted({o.sector for o in represented}, key=lambda s: list(Sector).index(s))
    missing = [o.name for o in member_orgs if o.id not in org_ids]
    required = roster.profile.quorum.required(len(member_orgs))
    return AttendanceSummary(
        present=len(here),
        expected=sum(1 for r in records if r.member_id is not None),
        organizations=[o.name for o in represented],
        sectors=sectors,
        missing_organizations=missing,
        quorum_required=required,
        quorum_met=len(represented) >= required,
        member_organizations=len(represented),
        guests=sum(1 for r in here if r.is_guest),
        left_early=sum(1 for r in records if r.status is AttendanceStatus.LEFT_EARLY),
        stepped_out=sum(1 for r in records if r.status.in_room and r.stepped_out),
    )


MAX_VOTES = 10_000


def require_vote_count(count: object, label: str) -> int:
    """A vote count: a whole number from 0 to ``MAX_VOTES``."""
    if not isinstance(count, int) or isinstance(count, bool):
        raise ValidationError(f"{label} must be a whole number, not {count!r}.")
    if count < 0:
        raise ValidationError(f"{label} cannot be negative ({count}): enter 0 or more.")
    if count > MAX_VOTES:
        raise ValidationError(f"{label} is more than {MAX_VOTES:,}: check the count.")
    return count


class DecisionMethod(StrEnum):
    CONSENSUS = "consensus"
    VOTE = "vote"


@dataclass(kw_only=True)
class Decision:
    id: str = field(default_factory=lambda: new_id("dec"))
    rev: int = 0
    meeting_id: str
    agenda_item_id: str | None = None
    text: str
    method: DecisionMethod = DecisionMethod.CONSENSUS
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    dissent: str = ""
    recorded_at: DateTime | None = None
    # Whether the roll call showed a quorum when it was recorded; None: nobody was marked yet
    # (or it was recorded before this was kept). The minutes say so when it was not.
    quorum_met: bool | None = None
    # The room when it was taken (None: recorded before this was kept, or before the roll
    # call): members who could vote, and member organizations represented.
    attending: int | None = None
    organizations_present: int | None = None

    def validate(self) -> Decision:
        self.text = require_text(self.text, "Decision text", max_len=5000)
        self.dissent = optional_text(self.dissent, "Dissent or concerns", max_len=5000)
        for label, count in (
            ("Votes for", self.votes_for),
            ("Votes against", self.votes_against),
            ("Abstentions", self.abstentions),
        ):
            require_vote_count(count, label)
        if self.method is DecisionMethod.VOTE:
            if self.votes_for + self.votes_against + self.abstentions == 0:
                raise ValidationError("A vote needs counts: enter for, against and abstain.")
        else:
            self.votes_for = self.votes_against = self.abstentions = 0
        return self

    def method_text(self) -> str:
        if self.method is DecisionMethod.CONSENSUS:
            return "Consensus"
        return (
            f"Vote: {self.votes_for} for, {self.votes_against} against, "
            f"{self.abstentions} abstaining"
        )

    def passes(self, rule_two_thirds: bool = False) -> bool:
        if self.method is DecisionMethod.CONSENSUS:
            return True
        cast = self.votes_for + self.votes_against
        if cast == 0:
            return False
        if rule_two_thirds:
            return self.votes_for * 3 >= cast * 2
        return self.votes_for * 2 > cast


@dataclass(kw_only=True)
class Feedback:
    id: str = field(default_factory=lambda: new_id("fbk"))
    rev: int = 0
    meeting_id: str
    attendee: str = ""  # empty: the room as a whole
    rating: int | None = None
    comment: str = ""

    def validate(self) -> Feedback:
        if self.rating is not None and (
            isinstance(self.rating, bool)
            or not isinstance(self.rating, int)
            or not 1 <= self.rating <= 5
        ):
            raise ValidationError(
                f"Rating {self.rating!r} is not 1-5: leave it empty or use 1 to 5."
            )
        self.comment = optional_text(self.comment, "Comment", max_len=5000)
        self.attendee = optional_text(self.attendee, "Attendee", max_len=200)
        if self.rating is None and not self.comment.strip():
            raise ValidationError("Feedback is empty: give a rating (1-5), a comment, or both.")
        return self


def average_rating(feedback: list[Feedback]) -> float | None:
    ratings = [f.rating for f in feedback if f.rating is not None]
    return round(sum(ratings) / len(ratings), 2) if ratings else None


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DEFERRED = "deferred"


@dataclass(kw_only=True)
class AgendaProposal:
    """An agenda item proposed by a member ahead of the meeting, for the facilitator to accept."""

    id: str = field(default_factory=lambda: new_id("prp"))
    rev: int = 0
    meeting_id: str
    title: str
    minutes: int = 10
    proposed_by: str = ""
    confidential: bool = False
    status: ProposalStatus = ProposalStatus.PENDING
    submitted_at: DateTime | None = None

    def validate(self) -> AgendaProposal:
        self.title = require_title(self.title, "Proposal title", max_len=300)
        self.minutes = require_minutes(self.minutes, "Proposal minutes", maximum=240)
        if self.minutes < 1:
            raise ValidationError("An agenda item needs at least 1 minute: ask for 1 or more.")
        self.proposed_by = optional_text(self.proposed_by, "Proposed by", max_len=200)
        return self
