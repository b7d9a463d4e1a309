"""Putting a parsed agenda into a meeting. The dry run and the real run share one plan: the same
meeting is chosen, the same checks refuse (with the same message and exit code), the same items
are built; only the real run writes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pendulum import DateTime

from ...domain.common import FacilitateError, counted, system_clock
from ...domain.meeting import AgendaItem, ItemKind, Meeting, MeetingStatus, planned_total
from ...domain.training import TrainingSnippet
from ...storage.workspace import Transaction, Workspace
from .common import DEFAULT_MINUTES, RANGE_RULE, AgendaImportError
from .parse import ImportedItem, ParsedAgenda


@dataclass
class ImportPlan:
    meeting: Meeting
    items: list[AgendaItem]
    replaced: list[str]
    parsed: ParsedAgenda
    dry_run: bool = False

    @property
    def missing(self) -> list[ImportedItem]:
        return self.parsed.missing_durations

    @property
    def confidential(self) -> list[str]:
        return [i.title for i in self.items if i.confidential]

    def summary_lines(self) -> list[str]:
        return report_lines(self)


ImportResult = ImportPlan  # the name callers used before the dry run shared the plan


def _pick_meeting(tx: Transaction, meeting_id: str | None, now: DateTime) -> Meeting:
    if meeting_id is not None:
        return tx.get(Meeting, meeting_id)
    planned = [m for m in tx.meetings() if m.status is MeetingStatus.PLANNED]
    if not planned:
        raise FacilitateError(
            "No planned meeting to import into: create one with 'facilitate meetings "
            "new', or name one with --meeting."
        )
    future = [m for m in planned if m.end >= now]
    return (future or planned)[0]


def _plan(
    tx: Transaction, parsed: ParsedAgenda, meeting_id: str | None, now: DateTime
) -> tuple[ImportPlan, list[AgendaItem]]:
    """Every check and every item, without writing. Returns the plan and the items replaced."""
    meeting = _pick_meeting(tx, meeting_id, now)
    bundle = tx.bundle(meeting.id)
    if meeting.status is not MeetingStatus.PLANNED or any(i.started for i in bundle.items):
        raise FacilitateError(
            f"{meeting.title} ({meeting.id}) has already started: its agenda is not replaced."
        )
    if bundle.decisions or bundle.actions:
        raise FacilitateError(
            f"{meeting.title} already has decisions or actions recorded against its agenda: "
            "its agenda is not replaced."
        )
    snippets = {s.title.lower(): s for s in tx.all(TrainingSnippet)}
    created: list[AgendaItem] = []
    for n, imported in enumerate(parsed.items):
        training_id = None
        if imported.kind is ItemKind.TRAINING:
            name = re.sub(r"^training\s*[:\-–—]\s*", "", imported.title, flags=re.I).lower()
            snippet = snippets.get(name)
            training_id = snippet.id if snippet else None
        item = AgendaItem(
            meeting_id=meeting.id,
            position=n,
            title=imported.title,
            kind=imported.kind,
            planned_minutes=imported.minutes if imported.minutes is not None else DEFAULT_MINUTES,
            presenter=imported.presenter,
            confidential=imported.confidential,
            notes=imported.notes,
            training_id=training_id,
        )
        try:
            item.validate()
        except FacilitateError as exc:
            raise AgendaImportError(parsed.source, imported.line, str(exc)) from exc
        created.append(item)
    plan = ImportPlan(meeting, created, [i.title for i in bundle.items], parsed)
    return plan, list(bundle.items)


def plan_import(
    ws: Workspace,
    parsed: ParsedAgenda,
    meeting_id: str | None = None,
    *,
    now: DateTime | None = None,
) -> ImportPlan:
    """What ``import_agenda`` would do, refusing what it would refuse; nothing is written."""
    plan, _ = _plan(ws.snapshot(), parsed, meeting_id, now or system_clock())
    plan.dry_run = True
    return plan


def import_agenda(
    ws: Workspace,
    parsed: ParsedAgenda,
    meeting_id: str | None = None,
    *,
    now: DateTime | None = None,
) -> ImportPlan:
    """Replace the agenda of a meeting that has not started with the parsed items.

    Without ``meeting_id`` the next planned meeting is used. Everything happens in one
    transaction: on any error nothing is written.
    """
    with ws.transaction() as tx:
        plan, old = _plan(tx, parsed, meeting_id, now or system_clock())
        # One pass, not a delete and an add per item: each of those scans the whole table,
        # which made a 2,000-item import quadratic. Every item was validated by _plan.
        tx.replace_all(old, plan.items)
        return plan


def _item_line(n: int, item: AgendaItem, imported: ImportedItem) -> str:
    minutes = (
        f"{item.planned_minutes} min"
        if imported.minutes is not None
        else f"no duration, {DEFAULT_MINUTES} min assumed"
    )
    parts = [item.kind.value.replace("_", " "), minutes]
    if item.presenter:
        parts.append(item.presenter)
    if item.confidential:
        parts.append(f"CONFIDENTIAL ({imported.why_confidential or 'marked'})")
    return f"{n:>3}. {item.title} [{', '.join(parts)}]"


def report_lines(plan: ImportPlan) -> list[str]:
    """What the import does (dry run) or did (real run): the same lines but the verbs."""
    m = plan.meeting
    parsed = plan.parsed
    local = m.local(m.start)
    when = f"{m.title} ({m.id}, {local.format('dddd D MMMM YYYY HH:mm')} {m.timezone})"
    n = counted(len(plan.items), "item")
    lines: list[str] = []
    if plan.dry_run:
        lines.append(f"Dry run: would import {n} from {parsed.source} into {when}.")
    else:
        lines.append(f"Imported {n} from {parsed.source} into {when}.")
    for number, (item, imported) in enumerate(zip(plan.items, parsed.items, strict=True), 1):
        lines.append(_item_line(number, item, imported))
    for skipped in parsed.skipped:
        lines.append(f"Skipped line {skipped.line}: {skipped.what}: {skipped.reason}.")
    for warning in parsed.warnings:
        lines.append(f"Warning: {warning}")
    if plan.replaced:
        verb = (
            "Would replace the existing agenda" if plan.dry_run else "Replaced the previous agenda"
        )
        lines.append(f"{verb} ({counted(len(plan.replaced), 'item')}: {'; '.join(plan.replaced)}).")
    else:
        lines.append("The meeting has no agenda yet." if plan.dry_run else "")
    total = planned_total(plan.items)
    slot = m.slot_minutes
    if total <= slot:
        fit = "fits" if total == slot else f"{slot - total} min to spare"
    else:
        fit = f"{total - slot} min over the slot"
    assumed = len(plan.missing) * DEFAULT_MINUTES
    lines.append(
        f"Planned time: {total} of {slot} min ({fit})"
        + (f", including {assumed} min assumed" if assumed else "")
        + "."
    )
    if plan.missing:
        lines.append(
            f"No duration for {counted(len(plan.missing), 'item')} ({DEFAULT_MINUTES} min "
            "assumed each): " + "; ".join(f"{i.title} (line {i.line})" for i in plan.missing) + "."
        )
    else:
        lines.append("Every item has a duration.")
    if plan.dry_run or any("(the upper bound)" in i.notes for i in parsed.items):
        lines.append(f"Ranges: {RANGE_RULE}.")
    if plan.confidential:
        lines.append("Confidential: " + "; ".join(plan.confidential) + ".")
    if plan.dry_run:
        lines.append("Nothing was imported (--dry-run).")
    return [line for line in lines if line]
