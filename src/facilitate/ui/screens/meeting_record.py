"""Correcting the record of a meeting (decisions, action items, feedback, notes), from the
meeting screen (c) and from a meeting opened in the history (c), until its minutes are
approved. The screen lists the record; e edits the selected entry, Delete removes it after
asking. Every change goes through ``services.corrections.RecordEditor``: logged with the old and the
new value, refused after approval with a message saying so, refused if someone else changed
the entry since it was listed."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static, TextArea

from ...domain.actions import ActionItem
from ...domain.common import Clock, FacilitateError, ValidationError, parse_date, system_clock
from ...domain.meeting import (
    AgendaItem,
    Decision,
    DecisionMethod,
    Feedback,
    under_confidential,
)
from ...domain.roster import Roster
from ...services.corrections import RecordEditor
from ...storage.workspace import MeetingBundle, Workspace
from ..commands import RECORD, bindings
from ..safe_text import labelled, one_line, plain, safe
from .dialogs import _count, _Form
from .tracker_dialogs import field_row

WITHHELD = "(confidential: unlock in the history with u)"
PREBUILD_AFTER = 0.3  # seconds after the record opens: its decision form is built


@dataclass(frozen=True)
class Entry:
    """One row of the record: what it is, the record itself, whether it is confidential."""

    kind: str  # Decision, Action, Feedback, Notes
    record: Any
    confidential: bool

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record.id}"


def record_entries(bundle: MeetingBundle) -> list[Entry]:
    """The record in the order of the minutes: notes by item, decisions, actions, feedback."""
    items = {i.id: i for i in bundle.items}
    out = [Entry("Notes", i, bool(i.confidential)) for i in bundle.items if i.notes.strip()]
    out += [
        Entry("Decision", d, under_confidential(d.agenda_item_id, items))
        for d in sorted(bundle.decisions, key=lambda d: (d.recorded_at is None, d.recorded_at))
    ]
    out += [Entry("Action", a, under_confidential(a.agenda_item_id, items)) for a in bundle.actions]
    out += [Entry("Feedback", f, False) for f in bundle.feedback]
    return out


def _describe(entry: Entry, items: dict[str, AgendaItem]) -> str:
    r = entry.record
    if entry.kind == "Notes":
        return f"{one_line(r.title, 28)}: {one_line(r.notes, 60)}"
    if entry.kind == "Decision":
        return f"{one_line(r.text, 60)} ({r.method_text()})"
    if entry.kind == "Action":
        return f"{one_line(r.text, 60)} (report back {r.due_label()})"
    rating = f"{r.rating}/5 " if r.rating is not None else ""
    who = f" ({one_line(r.attendee, 20)})" if r.attendee else ""
    return f"{rating}{one_line(r.comment, 60)}{who}"


class RecordScreen(ModalScreen[bool]):
    """The record of one meeting, to correct. Dismissed with True if anything changed."""

    COMMAND_TABLE = RECORD
    BINDINGS = bindings(RECORD)

    def __init__(
        self,
        ws: Workspace,
        meeting_id: str,
        *,
        show_confidential: bool,
        clock: Clock = system_clock,
        decision_form: DecisionEditForm | None = None,
    ) -> None:
        super().__init__()
        self.editor = RecordEditor(ws, meeting_id)
        self.ws = ws
        self.meeting_id = meeting_id
        self.clock = clock
        self.show_confidential = show_confidential
        self.changed = False
        self.entries: list[Entry] = []
        # The decision form: one the meeting screen keeps between openings of the record
        # (built ahead with its other forms: the first e no longer builds one), or this
        # screen's own, built 0.3 s after it opens (_prebuild) and removed with it.
        self._decision_form: DecisionEditForm | None = decision_form
        self._lent = decision_form is not None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="record-dialog"):
            yield Static("Correct the record", classes="dialog-title")
            yield DataTable(id="record-table", cursor_type="row", zebra_stripes=False)
            yield Static(
                "e: edit   Del or x: delete   Esc: back   (every change is in the audit log)",
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one("#record-table", DataTable)
        table.add_column("", key="kind", width=8)
        table.add_column("Entry", key="text", width=62)
        self.refill()
        table.focus()
        self.set_timer(PREBUILD_AFTER, self._prebuild)

    def _prebuild(self) -> None:
        """Build the decision form ahead of its first use (as the meeting screen does with
        its forms): composed, styled and laid out while hidden."""
        if self._decision_form is None and any(e.kind == "Decision" for e in self.entries):
            form = self._keep_decision_form()
            form.build_ahead()
            self.app._get_screen(form)

    def _keep_decision_form(self, record: Decision | None = None) -> DecisionEditForm:
        form = DecisionEditForm(self.editor, record)
        self.app.install_screen(form, f"DecisionEditForm-{id(self)}")
        self._decision_form = form
        return form

    def _drop_decision_form(self) -> None:
        form, self._decision_form = self._decision_form, None
        if form is None or self._lent:  # (the meeting screen's: it stays there)
            self._lent = False
            return
        with contextlib.suppress(ScreenStackError):
            self.app.uninstall_screen(form)
            if form.is_mounted:
                form.remove()
            else:
                form.call_next(form.remove)

    def on_unmount(self) -> None:
        self._drop_decision_form()

    def refill(self) -> None:
        bundle = self.ws.snapshot().bundle(self.meeting_id)
        self.bundle = bundle
        items = {i.id: i for i in bundle.items}
        self.entries = record_entries(bundle)
        table = self.query_one("#record-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for entry in self.entries:
            hidden = entry.confidential and not self.show_confidential
            text = WITHHELD if hidden else _describe(entry, items)
            mark = "(C) " if entry.confidential else ""
            table.add_row(entry.kind, safe(mark + text), key=entry.key)
        if not self.entries:
            table.add_row("", "Nothing recorded yet.", key="-")
        table.move_cursor(row=min(max(keep, 0), max(table.row_count - 1, 0)))

    def selected(self) -> Entry | None:
        table = self.query_one("#record-table", DataTable)
        if not self.entries or table.cursor_row < 0:
            return None
        entry = self.entries[min(table.cursor_row, len(self.entries) - 1)]
        if entry.confidential and not self.show_confidential:
            self.app.notify(
                "That entry is confidential: unlock confidential notes first (u in the history).",
                markup=False,
                timeout=5,
            )
            return None
        return entry

    def _done(self, saved: bool | None) -> None:
        if saved:
            self.changed = True
            self.refill()

    @on(DataTable.RowSelected, "#record-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        form: _Form
        record = copy.deepcopy(entry.record)
        if entry.kind == "Decision":
            kept = self._decision_form
            if kept is not None and kept.is_mounted:
                kept.load(record)
                form = kept
            else:
                self._drop_decision_form()
                form = self._keep_decision_form(record)
        elif entry.kind == "Action":
            form = ActionEditForm(self.editor, record, self.ws.snapshot().roster(), self.clock)
        elif entry.kind == "Feedback":
            form = FeedbackEditForm(self.editor, record)
        else:
            form = NotesEditForm(self.editor, record)
        self.app.push_screen(form, self._done)

    def action_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if entry.kind == "Notes":
            self.app.notify("Notes are corrected, not deleted: e, then clear the text.", timeout=5)
            return
        what = {"Decision": "decision", "Action": "action item", "Feedback": "feedback"}
        label = what[entry.kind]

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.editor.delete(entry.record)
            except FacilitateError as exc:
                self.app.report(exc)  # type: ignore[attr-defined]
                self.refill()
                return
            self.app.notify(f"The {label} was deleted (kept in the audit log).", timeout=4)
            self._done(True)

        self.app.push_screen(ConfirmDelete(f"Delete this {label} from the record?"), answer)

    def action_close(self) -> None:
        self._drop_decision_form()
        self.dismiss(self.changed)


class ConfirmDelete(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Delete", priority=True),
        Binding("escape,n", "answer(False)", "Keep"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-delete"):
            yield Static(safe(self.question), classes="dialog-title")
            yield Static("y: delete    Esc or n: keep it", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class _EditForm(_Form):
    """A correction form: the fields start with the stored values; saving goes through the
    record editor (which logs the old and new values)."""

    def __init__(self, editor: RecordEditor, record: Any) -> None:
        super().__init__()
        self.editor = editor
        self.record = record

    def save(self) -> None:
        self.editor.save(self.fill(self.record))

    def fill(self, record: Any) -> Any:
        raise NotImplementedError


class DecisionEditForm(_EditForm):
    """Kept by the record screen between uses (``load`` fills it with another decision) and
    built ahead of its first use: building a modal form is most of what opening one costs."""

    TITLE_TEXT = "Correct a decision"

    def compose_fields(self) -> ComposeResult:
        yield Input(placeholder="Decision text", id="decision-text")
        yield Select(
            [("Consensus", "consensus"), ("Vote", "vote")],
            value="consensus",
            allow_blank=False,
            id="decision-method",
        )
        yield Input(placeholder="For", id="votes-for")
        yield Input(placeholder="Against", id="votes-against")
        yield Input(placeholder="Abstain", id="votes-abstain")
        yield Input(placeholder="Dissent or concerns", id="decision-dissent")

    def on_mount(self) -> None:
        if self.record is not None:
            self.load(self.record)

    def load(self, d: Decision) -> None:
        """Show ``d`` (a copy: saved through the editor, compared by its rev)."""
        self.record = d
        vote = d.method is DecisionMethod.VOTE
        values = {
            "#decision-text": plain(d.text),
            "#votes-for": str(d.votes_for) if vote else "",
            "#votes-against": str(d.votes_against) if vote else "",
            "#votes-abstain": str(d.abstentions) if vote else "",
            "#decision-dissent": plain(d.dissent),
        }
        for selector, value in values.items():
            self.query_one(selector, Input).value = value
        self.query_one("#decision-method", Select).value = d.method.value
        # The stored decision is what Esc compares with: unchanged, it closes without asking.
        self._initial = self._values()
        self.show_error("")
        self.query_one("#decision-text", Input).focus()

    def fill(self, d: Decision) -> Decision:
        d.text = self.value("#decision-text")
        d.method = DecisionMethod(str(self.query_one("#decision-method", Select).value))
        d.dissent = self.value("#decision-dissent")
        if d.method is DecisionMethod.VOTE:
            d.votes_for = _count(self.value("#votes-for"), "Votes for")
            d.votes_against = _count(self.value("#votes-against"), "Votes against")
            d.abstentions = _count(self.value("#votes-abstain"), "Abstentions")
        return d


class ActionEditForm(_EditForm):
    TITLE_TEXT = "Correct an action item"

    def __init__(
        self, editor: RecordEditor, record: ActionItem, roster: Roster, clock: Clock
    ) -> None:
        super().__init__(editor, record)
        self.roster = roster
        self.clock = clock

    def compose_fields(self) -> ComposeResult:
        a: ActionItem = self.record
        members = {m.id for m in self.roster.members}
        subs = {s.id for s in self.roster.subcommittees}
        yield field_row("Action", Input(value=plain(a.text), id="action-text", compact=True))
        yield field_row(
            "Owner",
            Select(
                [
                    (plain(f"{m.name} ({(self.roster.org(m.organization_id) or m).name})"), m.id)
                    for m in self.roster.members
                    if m.active or m.id == a.owner_id
                ],
                prompt="(none)",
                value=a.owner_id if a.owner_id in members else Select.NULL,
                id="action-owner",
                compact=True,
            ),
        )
        yield field_row(
            "Subcommittee",
            Select(
                [(plain(s.name), s.id) for s in self.roster.subcommittees],
                prompt="(none)",
                value=a.subcommittee_id if a.subcommittee_id in subs else Select.NULL,
                id="action-sub",
                compact=True,
            ),
        )
        yield field_row("Report back", Input(value=a.due_label(), id="action-due", compact=True))

    def fill(self, a: ActionItem) -> ActionItem:
        a.text = self.value("#action-text")
        owner = self.query_one("#action-owner", Select).value
        sub = self.query_one("#action-sub", Select).value
        a.owner_id = owner if isinstance(owner, str) else None
        a.subcommittee_id = sub if isinstance(sub, str) else None
        due_text = self.value("#action-due").strip()
        if due_text.lower() in ("next meeting", "next"):
            a.due, a.due_next_meeting = None, True
        elif due_text != self.record.due_label():
            today = self.clock().date()
            a.due, a.due_next_meeting = parse_date(due_text, today=today), False
        return a


class FeedbackEditForm(_EditForm):
    TITLE_TEXT = "Correct feedback"

    def compose_fields(self) -> ComposeResult:
        f: Feedback = self.record
        rating = "" if f.rating is None else str(f.rating)
        yield field_row("Rating 1-5", Input(value=rating, id="fb-rating", compact=True))
        yield field_row("Comment", Input(value=plain(f.comment), id="fb-comment", compact=True))
        yield field_row("From", Input(value=plain(f.attendee), id="fb-attendee", compact=True))

    def fill(self, f: Feedback) -> Feedback:
        text = self.value("#fb-rating").strip()
        if text and not (text.isdecimal() and len(text) == 1):
            raise ValidationError(f"Rating {text!r} is not 1-5: leave it empty or use 1 to 5.")
        f.rating = int(text) if text else None
        f.comment = self.value("#fb-comment")
        f.attendee = self.value("#fb-attendee")
        return f


class NotesEditForm(_EditForm):
    TITLE_TEXT = "Correct the notes"
    AUTO_FOCUS = "TextArea"

    def compose_fields(self) -> ComposeResult:
        item: AgendaItem = self.record
        yield Static(labelled("Notes of $t", t=one_line(item.title, 60)), classes="hint")
        yield TextArea(plain(item.notes), id="notes-text", soft_wrap=True, tab_behavior="focus")

    def save(self) -> None:
        self.editor.save_notes(self.record, self.query_one("#notes-text", TextArea).text)

    @on(TextArea.Changed)
    def _typed(self) -> None:
        self.show_error("")


def open_record(
    screen: Any,
    ws: Workspace,
    meeting_id: str,
    *,
    show_confidential: bool,
    clock: Clock,
    after: Any,
    decision_form: DecisionEditForm | None = None,
) -> None:
    """Open the record of a meeting for correction, or say why it cannot be corrected.
    ``decision_form``: one kept by the calling screen for this meeting, used and left there."""
    editor = RecordEditor(ws, meeting_id)
    try:
        editor.check()
    except FacilitateError as exc:
        screen.app.report(exc)
        return
    screen.app.push_screen(
        RecordScreen(
            ws,
            meeting_id,
            show_confidential=show_confidential,
            clock=clock,
            decision_form=decision_form,
        ),
        after,
    )
