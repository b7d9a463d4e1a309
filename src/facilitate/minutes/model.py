"""What the minutes say: gathered from the workspace once, with confidential items redacted.

Redaction happens here and only here: the writers (Markdown, HTML, Word) never see the text of a
confidential item unless the caller asked for it with ``include_confidential``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pendulum
from pendulum import DateTime

from ..domain.actions import ActionItem, ActionStatus
from ..domain.cadence import reported_at
from ..domain.common import counted
from ..domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceSummary,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    average_rating,
    planned_total,
)
from ..domain.record import MeetingRecord, summarize_record
from ..domain.roster import DecisionRule, Roster
from ..domain.speaking import SpeakingTurn, airtime, sector_label, who_spoke
from ..domain.training import TrainingSnippet
from ..services.record import record_for
from ..storage.workspace import Transaction

REDACTED = "discussed; details withheld under the collaborative's confidentiality agreement"
BANNER = "CONFIDENTIAL: members only"
DASH = "—"


def fmt_day(instant: DateTime) -> str:
    return instant.format("dddd D MMMM YYYY")


def fmt_time(instant: DateTime) -> str:
    return instant.format("HH:mm")


def fmt_minutes_diff(delta: int) -> str:
    if delta > 0:
        return f"{delta} min over"
    if delta < 0:
        return f"{-delta} min under"
    return "on time"


def whole_minutes(seconds: float) -> int:
    return int(seconds / 60 + 0.5)


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    role: str
    organization: str
    status: str
    guest: bool = False
    attending: bool = False


@dataclass(frozen=True)
class ItemRecord:
    number: int
    title: str
    kind: ItemKind
    presenter: str
    planned: int
    actual: int | None  # None: not started
    state: str  # held / not reached / moved to next meeting / planned
    notes: str  # already redacted when confidential and not included
    confidential: bool
    redacted: bool
    deferred: bool
    # Organizations (or names) that spoke, in order; empty when none did or when withheld.
    spoke: tuple[str, ...] = ()


@dataclass(frozen=True)
class AirtimeRow:
    """One sector's time on the floor. ``organizations``: who in it spoke and for how long
    (members-only minutes; empty in the redacted version, which shows sector totals only)."""

    sector: str  # as people read it
    seconds: float
    share: float  # 0..1 of all the time spoken
    organizations: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class DecisionRecord:
    item_title: str
    text: str
    method: str
    dissent: str
    redacted: bool


@dataclass(frozen=True)
class ActionRecord:
    item_title: str
    text: str
    owner: str
    subcommittee: str
    due: str
    status: str
    redacted: bool


@dataclass(frozen=True)
class ReportBackRecord:
    text: str
    owner: str
    subcommittee: str
    raised: str
    status: str
    report: str
    redacted: bool


@dataclass(frozen=True)
class TrainingRecord:
    title: str
    topic: str
    presenter: str
    planned: int
    actual: int | None  # minutes the item ran, None if it never started
    delivered: bool  # marked delivered at this meeting (TrainingSnippet.delivered_at_meeting)


@dataclass(frozen=True)
class MinutesData:
    collaborative: str
    meeting_id: str
    title: str
    day: str
    time: str
    timezone: str
    location: str
    facilitator: str
    note_taker: str
    meeting_status: MeetingStatus
    minutes_status: MinutesStatus
    approved_on: str
    corrections: str
    attendance: list[AttendanceRow]
    summary: AttendanceSummary  # everyone who attended (left early included)
    closing: AttendanceSummary  # who was still in the room at the close
    stepped_out: list[str]  # "Name (Item title)" for each person who stepped out
    member_organizations: int
    quorum_rule: str
    items: list[ItemRecord]
    planned_total: int
    actual_total: int
    any_started: bool
    session: str
    decisions: list[DecisionRecord]
    actions: list[ActionRecord]
    report_backs: list[ReportBackRecord]
    training: list[TrainingRecord]
    feedback_count: int
    feedback_rated: int
    feedback_average: float | None
    feedback_comments: list[str]
    next_meeting: str
    confidentiality_statement: str
    data_protection_statement: str
    include_confidential: bool
    has_confidential: bool
    start: DateTime
    end: DateTime
    reconstructed_on: str = ""  # the record was rebuilt from a later roster on this day
    feedback_comments_withheld: int = 0  # comments left out of the redacted minutes
    airtime: tuple[AirtimeRow, ...] = ()  # by sector; empty when nobody had a timed turn
    airtime_total: float = 0.0  # seconds


def owner_name(roster: Roster, member_id: str | None, record: MeetingRecord | None = None) -> str:
    if not member_id:
        return ""
    if record is not None and member_id in record.people:
        return record.people[member_id]
    member = roster.member(member_id)
    return member.name if member else "(former member)"


def subcommittee_name(
    roster: Roster, sub_id: str | None, record: MeetingRecord | None = None
) -> str:
    if not sub_id:
        return ""
    if record is not None and sub_id in record.subcommittees:
        return record.subcommittees[sub_id]
    sub = roster.subcommittee(sub_id)
    return sub.name if sub else "(former subcommittee)"


def action_status_label(action: ActionItem) -> str:
    return {
        ActionStatus.OPEN: "Open",
        ActionStatus.DONE: "Done",
        ActionStatus.DROPPED: "Dropped",
    }[action.status]


def gather_minutes(
    tx: Transaction,
    meeting_id: str,
    *,
    include_confidential: bool = False,
    now: DateTime | None = None,
) -> MinutesData:
    """Everything the minutes show, with confidential content already withheld unless asked."""
    bundle = tx.bundle(meeting_id)
    meeting = bundle.meeting
    roster = tx.roster()
    tz = meeting.timezone
    local_start, local_end = meeting.local(meeting.start), meeting.local(meeting.end)
    clock = _clock_for(meeting, bundle.items, now)
    # Everything the roster contributes comes from the meeting's record: frozen when it ended.
    record = record_for(tx, meeting, now or pendulum.now("UTC"))

    items_by_id = {i.id: i for i in bundle.items}
    confidential_ids = {i.id for i in bundle.items if i.confidential}

    # Agenda and notes.
    records: list[ItemRecord] = []
    for n, item in enumerate(bundle.items, start=1):
        started = item.started
        actual = whole_minutes(item.elapsed_seconds(clock)) if started else None
        if item.deferred:
            state = "moved to next meeting"
        elif started:
            state = "held"
        elif meeting.status is MeetingStatus.ENDED:
            state = "not reached"
        else:
            state = "planned"
        redacted = bool(item.confidential) and not include_confidential
        notes = item.notes.strip()
        # Who spoke on a confidential item follows its notes: withheld unless asked.
        spoke = () if redacted else tuple(who_spoke(bundle.turns, item.id))
        if redacted:
            notes = REDACTED if (started or notes) else ""
        records.append(
            ItemRecord(
                number=n,
                title=item.title,
                kind=item.kind,
                presenter=item.presenter,
                planned=item.planned_minutes,
                actual=actual,
                state=state,
                notes=notes,
                confidential=bool(item.confidential),
                redacted=redacted,
                deferred=item.deferred,
                spoke=spoke,
            )
        )
    actual_total = whole_minutes(sum(i.elapsed_seconds(clock) for i in bundle.items))

    # Decisions: confidential items collapse to one withheld line each.
    decisions: list[DecisionRecord] = []
    withheld: set[str] = set()
    two_thirds = record.decision_rule is DecisionRule.TWO_THIRDS
    for decision in bundle.decisions:
        under = items_by_id.get(decision.agenda_item_id or "")
        title = under.title if under else "General"
        if under is not None and under.id in confidential_ids and not include_confidential:
            if under.id not in withheld:
                withheld.add(under.id)
                decisions.append(DecisionRecord(title, REDACTED, "", "", True))
            continue
        method = decision.method_text()
        if decision.method.value == "vote":
            method += "; carried" if decision.passes(two_thirds) else "; not carried"
        if decision.quorum_met is False:
            method += "; recorded without a quorum"
        if decision.method.value == "vote" and decision.attending is not None:
            method += f"; {counted(decision.attending, 'member')} in the room"
        decisions.append(DecisionRecord(title, decision.text, method, decision.dissent, False))

    # Actions raised at this meeting.
    actions: list[ActionRecord] = []
    withheld = set()
    for action in bundle.actions:
        under = items_by_id.get(action.agenda_item_id or "")
        title = under.title if under else "General"
        if under is not None and under.id in confidential_ids and not include_confidential:
            if under.id not in withheld:
                withheld.add(under.id)
                actions.append(ActionRecord(title, REDACTED, DASH, DASH, DASH, DASH, True))
            continue
        actions.append(
            ActionRecord(
                item_title=title,
                text=action.text,
                owner=owner_name(roster, action.owner_id, record) or DASH,
                subcommittee=subcommittee_name(roster, action.subcommittee_id, record) or DASH,
                due=action.due_label(),
                status=action_status_label(action),
                redacted=False,
            )
        )

    # Report-backs received on earlier actions.
    meetings = tx.meetings()
    earlier_confidential: dict[str, set[str]] = {}
    report_backs: list[ReportBackRecord] = []
    for action, raised in reported_at(tx.all_actions(), meetings, meeting):
        if raised.id not in earlier_confidential:
            earlier_confidential[raised.id] = {
                i.id for i in tx.all(AgendaItem, raised.id) if i.confidential
            }
        raised_on = raised.local(raised.start).format("D MMMM YYYY")
        if action.agenda_item_id in earlier_confidential[raised.id] and not include_confidential:
            report_backs.append(ReportBackRecord(REDACTED, DASH, DASH, raised_on, DASH, DASH, True))
            continue
        report_backs.append(
            ReportBackRecord(
                text=action.text,
                owner=owner_name(roster, action.owner_id, record) or DASH,
                subcommittee=subcommittee_name(roster, action.subcommittee_id, record) or DASH,
                raised=raised_on,
                status=action_status_label(action),
                report=action.report_back.strip() or DASH,
                redacted=False,
            )
        )

    # Training: delivered only if marked delivered at this meeting; time on the item is not enough
    # (an item left after a second was skipped). Planned, before the meeting.
    snippets: dict[str, TrainingSnippet] = {s.id: s for s in tx.all(TrainingSnippet)}
    training: list[TrainingRecord] = []
    listed: set[str] = set()
    for item in bundle.items:
        if item.kind is not ItemKind.TRAINING and not item.training_id:
            continue
        if item.deferred:
            continue
        snippet = snippets.get(item.training_id or "")
        delivered = snippet is not None and snippet.delivered_at_meeting(meeting.id)
        if snippet is not None and delivered:
            listed.add(snippet.id)
        training.append(
            TrainingRecord(
                title=snippet.title if snippet else item.title,
                topic=snippet.topic if snippet else "",
                presenter=item.presenter,
                planned=item.planned_minutes,
                actual=whole_minutes(item.elapsed_seconds(clock)) if item.started else None,
                delivered=delivered,
            )
        )
    # Marked delivered during another item: no training item of its own, so no time of its own.
    others = [
        s for s in snippets.values() if s.id not in listed and s.delivered_at_meeting(meeting.id)
    ]
    others.sort(
        key=lambda s: min(d.delivered_at for d in s.deliveries if d.meeting_id == meeting.id)
    )
    training.extend(
        TrainingRecord(s.title, s.topic, "", s.minutes, None, delivered=True) for s in others
    )

    # Feedback.
    # Comments are members-only (they can point at a withheld case); ratings are summarised.
    comments = [f.comment.strip() for f in bundle.feedback if f.comment.strip()]
    comments_withheld = 0 if include_confidential else len(comments)
    if not include_confidential:
        comments = []
    rated = sum(1 for f in bundle.feedback if f.rating is not None)

    # Next meeting.
    next_text = "not yet scheduled"
    if meeting.next_meeting_start is not None:
        local = meeting.next_meeting_start.in_timezone(tz)
        next_text = f"{fmt_day(local)}, {fmt_time(local)} ({tz})"
    else:
        later = [
            m for m in meetings if m.start > meeting.start and m.status is MeetingStatus.PLANNED
        ]
        if later:
            nxt = later[0]
            local = nxt.local(nxt.start)
            until = fmt_time(nxt.local(nxt.end))
            next_text = f"{fmt_day(local)}, {fmt_time(local)}–{until} ({nxt.timezone})"
            if nxt.location:
                next_text += f", {nxt.location}"

    # By organization, then name; guests last (then by name).
    attendance = sorted(
        (_attendance_row(r, record, roster) for r in bundle.attendance),
        key=lambda row: (row.guest, _sort_key(row.organization), _sort_key(row.name)),
    )

    spoken = _airtime_rows(bundle.turns, clock, include_confidential)

    return MinutesData(
        collaborative=record.collaborative,
        meeting_id=meeting.id,
        title=meeting.title,
        day=fmt_day(local_start),
        time=f"{fmt_time(local_start)}–{fmt_time(local_end)} {local_start.format('zz')}",
        timezone=tz,
        location=meeting.location,
        facilitator=meeting.facilitator,
        note_taker=meeting.note_taker,
        meeting_status=meeting.status,
        minutes_status=meeting.minutes_status,
        approved_on=meeting.minutes_approved_on.format("D MMMM YYYY")
        if meeting.minutes_approved_on
        else "",
        corrections=meeting.minutes_corrections.strip(),
        attendance=attendance,
        summary=summarize_record(bundle.attendance, record, attended=True),
        closing=summarize_record(bundle.attendance, record, attended=False),
        stepped_out=[
            f"{r.name} ({'; '.join(_title(items_by_id, i) for i in r.stepped_out_during)})"
            for r in bundle.attendance
            if r.stepped_out_during
        ],
        member_organizations=record.quorum_basis,
        quorum_rule=record.quorum.describe(),
        items=records,
        planned_total=planned_total(bundle.items),
        actual_total=actual_total,
        any_started=any(i.started for i in bundle.items),
        session=_session_text(meeting),
        decisions=decisions,
        actions=actions,
        report_backs=report_backs,
        training=training,
        feedback_count=len(bundle.feedback),
        feedback_rated=rated,
        feedback_average=average_rating(bundle.feedback),
        feedback_comments=comments,
        feedback_comments_withheld=comments_withheld,
        next_meeting=next_text,
        confidentiality_statement=record.confidentiality_statement,
        data_protection_statement=record.data_protection_statement,
        include_confidential=include_confidential,
        has_confidential=bool(confidential_ids),
        start=meeting.start,
        end=meeting.end,
        reconstructed_on=record.frozen_at.in_timezone(tz).format("D MMMM YYYY")
        if record.reconstructed
        else "",
        airtime=spoken,
        airtime_total=sum(row.seconds for row in spoken),
    )


def _airtime_rows(
    turns: list[SpeakingTurn], clock: DateTime, include_confidential: bool
) -> tuple[AirtimeRow, ...]:
    """Time on the floor by sector. Every turn counts, confidential items' too; who spoke in
    each sector is named only in the members-only minutes."""
    by_sector: dict[str, dict[str, float]] = {}
    for turn in sorted((t for t in turns if t.spans), key=lambda t: t.spans[0].start):
        seconds = turn.elapsed_seconds(clock)
        if seconds > 0:
            orgs = by_sector.setdefault(turn.sector, {})
            orgs[turn.speaker] = orgs.get(turn.speaker, 0.0) + seconds
    totals = airtime(turns, clock)
    if totals.total_seconds <= 0:
        return ()
    return tuple(
        AirtimeRow(
            sector=sector_label(sector),
            seconds=seconds,
            share=totals.share(sector),
            organizations=tuple(by_sector.get(sector, {}).items()) if include_confidential else (),
        )
        for sector, seconds in totals.by_sector.items()
        if seconds > 0
    )


def _title(items_by_id: dict[str, AgendaItem], item_id: str) -> str:
    item = items_by_id.get(item_id)
    return item.title if item is not None else "an item no longer on the agenda"


def _attendance_row(r: Attendance, record: MeetingRecord, roster: Roster) -> AttendanceRow:
    frozen = record.attendee(r.id)
    if frozen is not None:
        name, role, organization = frozen.name, frozen.role, frozen.organization
    else:  # added after the meeting ended: as recorded on the row itself
        name, role = r.name, r.role
        organization = r.organization_name or _org_name(roster, r.organization_id)
    return AttendanceRow(
        name=name,
        role=role or DASH,
        organization=organization or DASH,
        status=r.status.label + (", guest" if r.is_guest else ""),
        guest=r.is_guest,
        attending=r.status.attending,
    )


def _sort_key(text: str) -> tuple[str, str]:
    """Alphabetical as readers expect: case and accents do not change the order."""
    plain = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return (folded, text)


def _org_name(roster: Roster, org_id: str | None) -> str:
    org = roster.org(org_id) if org_id else None
    return org.name if org else ""


def _clock_for(meeting: Meeting, items: list[AgendaItem], now: DateTime | None) -> DateTime:
    """The instant open time spans are measured to: the meeting's end if it ended, else now."""
    if meeting.ended_at is not None:
        return meeting.ended_at
    if now is not None:
        return now
    if any(i.running for i in items):
        return pendulum.now("UTC")
    return meeting.end


def _session_text(meeting: Meeting) -> str:
    if meeting.started_at is None:
        return ""
    opened = meeting.local(meeting.started_at)
    text = f"Opened at {fmt_time(opened)}"
    if meeting.ended_at is None:
        return text + " (still in progress)."
    closed = meeting.local(meeting.ended_at)
    late = round((meeting.ended_at - meeting.end).total_seconds() / 60)
    when = "on time" if late == 0 else (f"{late} min late" if late > 0 else f"{-late} min early")
    scheduled = f"{fmt_time(meeting.local(meeting.start))}–{fmt_time(meeting.local(meeting.end))}"
    return f"{text}, closed at {fmt_time(closed)} (scheduled {scheduled}): ended {when}."
