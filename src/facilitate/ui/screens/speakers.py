"""The speakers' queue dialogs: the quick picker (who is next to speak) and the per-item limit.

The picker lists the people in the room and narrows the list as a name or an organization is
typed; Enter queues the highlighted one. Below it, the people already waiting on this item:
Tab reaches that list, where ``x`` withdraws the selected one and ``[``/``]`` move them.

Keys typed ahead (a burst over a laggy SSH link: "s", then "Mar", then Enter) land in the
filter: the meeting screen keeps the picker built (so its filter already has the focus when
it opens), and a key reaching the dialog before its filter has the focus is typed into it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.common import ValidationError
from ..safe_text import labelled, one_line, plain, safe
from .dialogs import KeptDialog, _Form

MAX_LIMIT_MINUTES = 120


@dataclass(frozen=True)
class Candidate:
    """Someone in the room who may be queued (an attendance record)."""

    id: str
    name: str
    organization: str = ""
    waiting: int = 0  # their place in this item's queue; 0: not waiting

    @property
    def label(self) -> str:
        # (One line in the 76-column dialog: 24 + 3 + 28 + 14.)
        org = f" - {one_line(self.organization, 28)}" if self.organization else ""
        place = f"  (waiting #{self.waiting})" if self.waiting else ""
        return f"{one_line(self.name, 24)}{org}{place}"


@dataclass(frozen=True)
class Waiting:
    """A turn waiting in the queue."""

    turn_id: str
    name: str
    organization: str = ""

    @property
    def label(self) -> str:
        org = f" ({one_line(self.organization, 34)})" if self.organization else ""
        return f"{one_line(self.name, 30)}{org}"


def matching(candidates: Sequence[Candidate], typed: str) -> list[Candidate]:
    """Those whose name or organization holds every word typed (any case, anywhere in a
    word); names that begin with what was typed come first, then the rest in their order."""
    words = plain(typed).casefold().split()
    if not words:
        return list(candidates)
    found = [
        c for c in candidates if all(w in f"{c.name} {c.organization}".casefold() for w in words)
    ]
    first = words[0]
    return sorted(found, key=lambda c: not c.name.casefold().startswith(first))


class QueueActions:
    """What the picker asks of the meeting for the waiting list (each returns it anew)."""

    def __init__(
        self,
        withdraw: Callable[[str], list[Waiting] | None],
        move: Callable[[str, int], list[Waiting] | None],
    ) -> None:
        self.withdraw = withdraw
        self.move = move


class WaitingList(OptionList):
    """The people waiting; its own keys work while it has the focus."""

    BINDINGS = [
        Binding("x,delete", "screen.withdraw", "Withdraw"),
        Binding("left_square_bracket", "screen.move(-1)", "Up"),
        Binding("right_square_bracket", "screen.move(1)", "Down"),
    ]


class SpeakerPicker(KeptDialog):
    """Pick who is queued to speak. Dismissed with True once someone was picked (the
    attendance id is in ``picked``), False when closed."""

    CSS_PATH = "meeting.tcss"  # (the meeting screen's: parsed already, see there)
    AUTO_FOCUS = "#picker-filter"
    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "highlight(1)", "Next match", show=False),
        Binding("up", "highlight(-1)", "Previous match", show=False),
    ]

    def __init__(
        self,
        title: str,
        candidates: Sequence[Candidate],
        waiting: Sequence[Waiting],
        actions: QueueActions,
    ) -> None:
        super().__init__()
        self.heading = title
        self.candidates = list(candidates)
        self.waiting = list(waiting)
        self.actions = actions
        self.shown: list[Candidate] = []
        self.picked: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="picker"):
            yield Static(id="picker-title", classes="dialog-title")
            yield Input(placeholder="Type a name or an organization", id="picker-filter")
            options = OptionList(id="picker-options")
            options.can_focus = False  # (Up/Down in the filter move its highlight)
            yield options
            yield Static(id="picker-waiting-title", classes="hint")
            yield WaitingList(id="picker-waiting")
            yield Static(
                "Enter: queue   Up/Down: choose   Esc: close",
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill()

    def reuse(
        self, title: str, candidates: Sequence[Candidate], waiting: Sequence[Waiting]
    ) -> bool:
        """Prepare a kept picker for another use (see MeetingScreen._push_kept)."""
        self.heading = title
        self.candidates = list(candidates)
        self.waiting = list(waiting)
        self.picked = None
        field = self.query_one("#picker-filter", Input)
        field.value = ""
        self.set_focus(field)  # (now, not after a refresh: keys typed ahead follow at once)
        self._fill()
        return True

    def _fill(self) -> None:
        self.query_one("#picker-title", Static).update(
            labelled("Add a speaker: $title", title=one_line(self.heading, 50))
        )
        self._filter(self.query_one("#picker-filter", Input).value)
        self._fill_waiting()

    def _filter(self, typed: str) -> None:
        self.shown = matching(self.candidates, typed)
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        if self.shown:
            options.add_options([Option(safe(c.label), id=c.id) for c in self.shown])
            # The first match not already waiting: Enter then queues someone new.
            options.highlighted = next((k for k, c in enumerate(self.shown) if not c.waiting), 0)
        elif self.candidates:
            options.add_option(
                Option(labelled("[i]Nobody in the room matches.[/i]"), disabled=True)
            )
        else:
            options.add_option(
                Option(
                    labelled("[i]Nobody is marked in the room yet (i: roll call).[/i]"),
                    disabled=True,
                )
            )

    def _fill_waiting(self) -> None:
        n = len(self.waiting)
        title = (
            f"Waiting ({n}); Tab here, then x withdraws, [ and ] move"
            if n
            else "Nobody is waiting on this item."
        )
        self.query_one("#picker-waiting-title", Static).update(title)
        waiting = self.query_one("#picker-waiting", WaitingList)
        keep = waiting.highlighted
        waiting.clear_options()
        waiting.add_options(
            [Option(safe(f"{k}. {w.label}"), id=w.turn_id) for k, w in enumerate(self.waiting, 1)]
        )
        waiting.display = bool(self.waiting)
        if self.waiting:
            waiting.highlighted = min(keep or 0, n - 1)

    # --- typing ------------------------------------------------------------------------------

    @on(Input.Changed, "#picker-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if [c.id for c in self.shown] != [c.id for c in matching(self.candidates, event.value)]:
            self._filter(event.value)  # (the list follows the text Enter was pressed on)
        self.action_pick()

    def on_key(self, event: events.Key) -> None:
        """A key that reached the dialog itself, not its filter: typed before the filter had
        the focus (the dialog was still being built). Typed into the filter, in order."""
        field = self.query_one("#picker-filter", Input)
        if self.focused is not None and self.focused is not field:
            return  # (the waiting list's own keys)
        if event.character is not None and event.character.isprintable() and len(event.key) == 1:
            event.stop()
            event.prevent_default()
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self._filter(field.value)
            self.action_pick()

    def action_highlight(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if self.shown:
            now = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, now + step))

    def action_pick(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        index = options.highlighted
        if not self.shown or index is None or index >= len(self.shown):
            self.app.bell()
            return
        self.picked = self.shown[index].id
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    # --- the waiting list ----------------------------------------------------------------------

    def _selected_waiting(self) -> str | None:
        waiting = self.query_one("#picker-waiting", WaitingList)
        index = waiting.highlighted
        if index is None or index >= len(self.waiting):
            return None
        return self.waiting[index].turn_id

    def action_withdraw(self) -> None:
        turn = self._selected_waiting()
        if turn is not None:
            self._after(self.actions.withdraw(turn), None)

    def action_move(self, offset: int) -> None:
        turn = self._selected_waiting()
        if turn is not None:
            self._after(self.actions.move(turn, offset), turn)

    def _after(self, waiting: list[Waiting] | None, keep: str | None) -> None:
        if waiting is None:  # (failed and reported, or waits for the lock)
            return
        self.waiting = waiting
        ids = [w.turn_id for w in waiting]
        self._fill_waiting()
        if keep in ids:
            self.query_one("#picker-waiting", WaitingList).highlighted = ids.index(keep)
        if not waiting:
            self.set_focus(self.query_one("#picker-filter", Input))


def parse_limit(text: str) -> int | None:
    """The limit as typed: empty is the profile's default (None), 0 no limit, else whole
    minutes from 1 to MAX_LIMIT_MINUTES."""
    text = text.strip()
    if not text:
        return None
    if not text.isdecimal() or not text.isascii():
        raise ValidationError(
            f"Speaker limit must be whole minutes (got {text!r}): enter 0-{MAX_LIMIT_MINUTES}, "
            "0 for no limit, or leave it empty for the default."
        )
    minutes = int(text)
    if minutes > MAX_LIMIT_MINUTES:
        raise ValidationError(
            f"Speaker limit of {minutes} minutes is more than {MAX_LIMIT_MINUTES}: enter fewer."
        )
    return minutes


class LimitForm(_Form):
    """The per-speaker limit on the current item: minutes, 0 for none, empty for the
    profile's default. ``save_limit`` stores it (raises a FacilitateError to show)."""

    TITLE_TEXT = "Speaker limit on this item"

    def __init__(
        self,
        item_title: str,
        current: str,
        default_text: str,
        save_limit: Callable[[int | None], object],
    ) -> None:
        super().__init__()
        self.item_title = item_title
        self.current = current
        self.default_text = default_text
        self.save_limit = save_limit

    def compose_fields(self) -> ComposeResult:
        yield Static(labelled("On: $title", title=one_line(self.item_title, 60)), classes="hint")
        yield Static(
            labelled(
                "Minutes each speaker may take (0: no limit; empty: the default, $default).",
                default=self.default_text,
            )
        )
        yield Input(value=self.current, placeholder="minutes", id="limit-minutes")

    def save(self) -> None:
        self.save_limit(parse_limit(self.value("#limit-minutes")))
