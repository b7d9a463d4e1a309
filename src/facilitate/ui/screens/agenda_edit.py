"""The live agenda's keys and dialogs on the meeting screen: + adds an item after the selected
one, m changes its title or planned minutes, [ and ] move it up or down, - drops it to the next
meeting (after asking). The changes are saved at once (``services.live_agenda``), so the clock
bar's projection and re-plan take them into account, and another instance on the workspace or
the follow view shows them at its next poll."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from ...domain.common import FacilitateError, ValidationError
from ...domain.meeting import AgendaItem, ItemKind
from ...services.live_agenda import LiveAgenda
from ..safe_text import labelled, one_line, plain
from .dialogs import _Form

if TYPE_CHECKING:
    from .meeting import MeetingScreen


def field_row(label: str, widget: Widget) -> Horizontal:
    """A one-line field, as the between-meetings forms have, from widgets the meeting's own
    forms use already (a new widget type adds its styles to the app's, and every kept form
    would be restyled at its next showing)."""
    return Horizontal(Static(label, classes="field-label"), widget, classes="field-row")


def _minutes(text: str) -> int:
    text = text.strip()
    if not text.isdecimal():
        raise ValidationError(f"Minutes must be a whole number (got {text!r}): e.g. 10.")
    return int(text)


class AgendaItemForm(_Form):
    """Add an item (every field), or change one (title and minutes)."""

    def __init__(self, agenda: LiveAgenda, item: AgendaItem | None, after: str | None) -> None:
        super().__init__()
        self.agenda = agenda
        self.item = item
        self.after = after
        self.saved: AgendaItem | None = None
        self.TITLE_TEXT = "Add an agenda item" if item is None else "Change an agenda item"

    def compose_fields(self) -> ComposeResult:
        item = self.item
        yield field_row(
            "Title", Input(value=plain(item.title) if item else "", id="item-title", compact=True)
        )
        yield field_row(
            "Minutes",
            Input(
                value=str(item.planned_minutes) if item else "10", id="item-minutes", compact=True
            ),
        )
        if item is not None:
            return
        yield field_row(
            "Kind",
            Select(
                [(k.label, k.value) for k in ItemKind],
                value=ItemKind.NEW_BUSINESS.value,
                allow_blank=False,
                id="item-kind",
                compact=True,
            ),
        )
        yield field_row("Presenter", Input(id="item-presenter", compact=True))
        yield field_row(
            "Confidential",
            Select(
                [("by its kind (a case review is)", "kind"), ("yes: members only", "yes")],
                value="kind",
                allow_blank=False,
                id="item-confidential",
                compact=True,
            ),
        )

    def save(self) -> None:
        title = self.value("#item-title")
        minutes = _minutes(self.value("#item-minutes"))
        if self.item is not None:
            self.saved = self.agenda.change(self.item.id, title=title, minutes=minutes)
            return
        kind = ItemKind(str(self.query_one("#item-kind", Select).value))
        confidential = self.query_one("#item-confidential", Select).value == "yes"
        self.saved = self.agenda.add(
            title,
            minutes,
            kind=kind,
            presenter=self.value("#item-presenter"),
            # Not ticked: decided by the kind (a case review is confidential).
            confidential=True if confidential else None,
            after=self.after,
        )


class AddItemForm(AgendaItemForm):
    """The add form, kept by the meeting screen between uses (see MeetingScreen._push_kept:
    building a modal form is most of what opening one costs) and built ahead of first use."""

    def __init__(self, agenda: LiveAgenda, after: str | None) -> None:
        super().__init__(agenda, None, after)

    def reuse(self, after: str | None) -> bool:
        """Prepare for another use: empty fields, placed after ``after``."""
        self.after = after
        self.saved = None
        self.clear()
        return True


class DropConfirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Drop", priority=True),
        Binding("escape,n", "answer(False)", "Keep"),
    ]

    def __init__(self, item: AgendaItem) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="drop-item"):
            yield Static(
                labelled("Move [b]$t[/b] to the next meeting?", t=one_line(self.item.title, 50)),
                classes="dialog-title",
            )
            yield Static(
                f"Its {self.item.planned_minutes} minutes leave today's plan; the next meeting's "
                "agenda gets it when that meeting is planned.",
            )
            yield Static("y: move it    Esc or n: keep it", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def selected_item(screen: MeetingScreen) -> AgendaItem | None:
    table = screen.query_one("#agenda", DataTable)
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return screen.bundle.item(key)


def _agenda(screen: MeetingScreen) -> LiveAgenda:
    return LiveAgenda(screen.live.ws, screen.live.meeting_id)


def _select(screen: MeetingScreen, item_id: str) -> None:
    ids = [i.id for i in screen.bundle.items if not i.deferred]
    if item_id in ids:
        screen.query_one("#agenda", DataTable).move_cursor(row=ids.index(item_id))


def new_add_form(screen: MeetingScreen) -> AddItemForm:
    return AddItemForm(_agenda(screen), None)


def add_item(screen: MeetingScreen) -> None:
    selected = selected_item(screen)
    after = selected.id if selected else None
    forms: list[AddItemForm] = []

    def make() -> AddItemForm:
        form = AddItemForm(_agenda(screen), after)
        forms.append(form)
        return form

    def reuse(form: AddItemForm) -> bool:
        forms.append(form)
        return form.reuse(after)

    def done(saved: bool | None) -> None:
        screen.reload()
        added = forms[-1].saved if forms else None
        if saved and added is not None:
            _select(screen, added.id)
            screen.notify(f"Added {one_line(added.title, 40)}.", markup=False, timeout=3)

    screen._push_kept(AddItemForm, make, reuse, done)


def change_item(screen: MeetingScreen) -> None:
    item = selected_item(screen)
    if item is None:
        return
    screen.app.push_screen(
        AgendaItemForm(_agenda(screen), item, None), lambda _saved: screen.reload()
    )


def move_item(screen: MeetingScreen, offset: int) -> None:
    item = selected_item(screen)
    if item is None:
        return
    try:
        moved = _agenda(screen).move(item.id, offset)
    except FacilitateError as exc:
        screen.app.report(exc)  # type: ignore[attr-defined]
        return
    screen.reload()
    _select(screen, item.id)
    if not moved:
        screen.notify("Already first." if offset < 0 else "Already last.", timeout=2)


def drop_item(screen: MeetingScreen) -> None:
    item = selected_item(screen)
    if item is None:
        return

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        try:
            _agenda(screen).drop(item.id)
        except FacilitateError as exc:
            screen.app.report(exc)  # type: ignore[attr-defined]
            return
        screen.reload()
        screen.notify(
            f"Moved to the next meeting: {one_line(item.title, 40)}.", markup=False, timeout=3
        )

    try:  # said now, not after the question
        from ...domain.live_agenda import check_droppable

        check_droppable(item, screen.bundle.meeting.current_item_id)
    except FacilitateError as exc:
        screen.app.report(exc)  # type: ignore[attr-defined]
        return
    screen.app.push_screen(DropConfirm(item), answer)


def run_step(screen: MeetingScreen, step: str, offset: int = 0) -> None:
    """The meeting screen's live-agenda keys: add, change, move (offset -1 or 1), drop."""
    if step == "add":
        add_item(screen)
    elif step == "change":
        change_item(screen)
    elif step == "move":
        move_item(screen, offset)
    elif step == "drop":
        drop_item(screen)
