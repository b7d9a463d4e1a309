"""Circulating the agenda: Markdown, HTML and a calendar invitation (.ics).

Agendas go out by e-mail to every member, so confidential items show their title only (no
notes), and report-backs on actions from confidential items do not show the action text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import Date, DateTime

from ..domain.common import FacilitateError
from ..domain.meeting import ItemKind, Meeting, MeetingStatus
from ..domain.training import TrainingSnippet
from ..minutes.blocks import (
    Block,
    Document,
    Heading,
    ListItem,
    NumberedList,
    Paragraph,
    Run,
    to_html,
    to_markdown,
)
from ..minutes.export import check_format, slug, transaction_of
from ..storage.workspace import Transaction, Workspace
from .planner import ReportBackGroup, report_backs_due, slot_summary

AGENDA_FORMATS = ("md", "html", "ics")
WITHHELD = "action from a confidential item (details withheld)"


@dataclass(frozen=True)
class AgendaEntry:
    number: int
    start: str  # local HH:mm
    title: str
    minutes: int
    presenter: str
    confidential: bool
    notes: str  # empty for confidential items
    kind: ItemKind
    training_topic: str


@dataclass(frozen=True)
class AgendaView:
    meeting: Meeting
    collaborative: str
    confidentiality_statement: str
    entries: list[AgendaEntry]
    report_backs: list[ReportBackGroup]
    summary: str
    day: str
    time: str


def agenda_view(tx: Transaction, meeting_id: str) -> AgendaView:
    bundle = tx.bundle(meeting_id)
    meeting = bundle.meeting
    profile = tx.profile()
    snippets = {s.id: s for s in tx.all(TrainingSnippet)}
    items = [i for i in bundle.items if not i.deferred]
    cursor = meeting.local(meeting.start)
    first_day = cursor.date()
    entries: list[AgendaEntry] = []
    for n, item in enumerate(items, start=1):
        snippet = snippets.get(item.training_id or "")
        entries.append(
            AgendaEntry(
                number=n,
                start=_clock_label(cursor, first_day),
                title=item.title,
                minutes=item.planned_minutes,
                presenter=item.presenter,
                confidential=bool(item.confidential),
                notes="" if item.confidential else item.notes.strip(),
                kind=item.kind,
                training_topic=snippet.topic if snippet else "",
            )
        )
        cursor = cursor.add(minutes=item.planned_minutes)
    local_start, local_end = meeting.local(meeting.start), meeting.local(meeting.end)
    return AgendaView(
        meeting=meeting,
        collaborative=profile.name,
        confidentiality_statement=profile.confidentiality_statement,
        entries=entries,
        report_backs=report_backs_due(tx, meeting_id),
        summary=slot_summary(meeting, items),
        day=local_start.format("dddd D MMMM YYYY"),
        time=f"{local_start.format('HH:mm')}–{local_end.format('HH:mm')} "
        f"{local_start.format('zz')} ({meeting.timezone})",
    )


def _entry_line(entry: AgendaEntry) -> str:
    marks = f"{entry.minutes} min" + (", confidential" if entry.confidential else "")
    line = f"{entry.title} ({marks})"
    if entry.presenter:
        line += f" — {entry.presenter}"
    return line


def _report_back_lines(group: ReportBackGroup) -> list[str]:
    lines = []
    for e in group.entries:
        text = WITHHELD if e.confidential else e.text
        flag = "OVERDUE: " if e.overdue else ""
        lines.append(f"{flag}{text} (due {e.due}; raised {e.raised_on})")
    return lines


def agenda_document(view: AgendaView) -> Document:
    m = view.meeting
    blocks: list[Block] = [
        Heading(f"Agenda: {m.title}", 1),
        Paragraph.of(Run(view.collaborative, italic=True)),
        Paragraph.field("Date", view.day),
        Paragraph.field("Time", view.time),
    ]
    if m.location:
        blocks.append(Paragraph.field("Location", m.location))
    if m.facilitator:
        blocks.append(Paragraph.field("Facilitator", m.facilitator))
    if m.note_taker:
        blocks.append(Paragraph.field("Note-taker", m.note_taker))
    if m.status is not MeetingStatus.PLANNED:
        blocks.append(Paragraph.field("Status", m.status.value))
    blocks.append(Heading("Agenda", 2))
    items: list[ListItem] = []
    for entry in view.entries:
        para = Paragraph((Run(entry.start, bold=True), Run(" " + _entry_line(entry))))
        children: list[ListItem] = []
        if entry.notes:
            children.append(ListItem(Paragraph.of(entry.notes)))
        if entry.kind is ItemKind.TRAINING and entry.training_topic:
            children.append(ListItem(Paragraph.of(f"Topic: {entry.training_topic}")))
        if entry.kind is ItemKind.REPORT_BACKS:
            for group in view.report_backs:
                label = Paragraph.of(Run(group.label, bold=True))
                children.append(
                    ListItem(
                        label,
                        tuple(ListItem(Paragraph.of(line)) for line in _report_back_lines(group)),
                    )
                )
        items.append(ListItem(para, tuple(children)))
    if items:
        blocks.append(NumberedList(tuple(items)))
    else:
        blocks.append(Paragraph.of("No agenda items yet."))
    blocks.append(Paragraph.field("Time planned", view.summary))
    if view.report_backs and not any(e.kind is ItemKind.REPORT_BACKS for e in view.entries):
        blocks.append(Heading("Report-backs due", 2))
        blocks.append(
            NumberedList(
                tuple(
                    ListItem(
                        Paragraph.of(Run(g.label, bold=True)),
                        tuple(ListItem(Paragraph.of(x)) for x in _report_back_lines(g)),
                    )
                    for g in view.report_backs
                )
            )
        )
    blocks.append(Paragraph.field("Confidentiality", view.confidentiality_statement))
    return Document(title=f"Agenda: {m.title}", blocks=tuple(blocks))


def agenda_text(view: AgendaView) -> str:
    """Plain text for a calendar description."""
    m = view.meeting
    lines = [view.collaborative, f"{view.day}, {view.time}"]
    if m.location:
        lines.append(f"Location: {m.location}")
    if m.facilitator:
        lines.append(f"Facilitator: {m.facilitator}")
    lines += ["", "Agenda"]
    for entry in view.entries:
        lines.append(f"{entry.number}. {entry.start} {_entry_line(entry)}")
        if entry.notes:
            lines += [f"   {line}" for line in entry.notes.split("\n") if line.strip()]
        if entry.kind is ItemKind.REPORT_BACKS:
            for group in view.report_backs:
                lines.append(f"   - {group.label}")
                lines += [f"     - {x}" for x in _report_back_lines(group)]
    lines += ["", f"Time planned: {view.summary}", "", view.confidentiality_statement]
    return "\n".join(lines)


def render_agenda(
    source: Workspace | Transaction, meeting_id: str, fmt: str, *, now: DateTime | None = None
) -> bytes:
    """The agenda as ``md``, ``html`` or ``ics`` bytes (``now`` stamps the .ics DTSTAMP)."""
    fmt = check_format(fmt, AGENDA_FORMATS)
    view = agenda_view(transaction_of(source), meeting_id)
    if fmt == "md":
        return to_markdown(agenda_document(view)).encode("utf-8")
    if fmt == "html":
        return to_html(agenda_document(view)).encode("utf-8")
    if fmt == "ics":
        from ..minutes.ics import meeting_to_ics

        return meeting_to_ics(
            view.meeting, agenda_text(view), collaborative=view.collaborative, now=now
        )
    raise FacilitateError(f"Unknown format {fmt!r}.")  # pragma: no cover


def suggested_agenda_filename(meeting: Meeting, fmt: str) -> str:
    fmt = check_format(fmt, AGENDA_FORMATS)
    day = meeting.local(meeting.start).format("YYYY-MM-DD")
    return f"agenda-{day}-{slug(meeting.title)}.{fmt}"


def _clock_label(instant: DateTime, first_day: Date) -> str:
    """HH:mm, with the day when the agenda has run past midnight ("00:20 (Fri 11 Dec)")."""
    if instant.date() == first_day:
        return instant.format("HH:mm")
    return f"{instant.format('HH:mm')} ({instant.format('ddd D MMM')})"
