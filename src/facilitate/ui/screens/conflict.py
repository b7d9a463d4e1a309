"""Two people changed the same notes: show both versions and let the user choose.

Nothing is saved until a choice is made; Esc ("decide later") keeps the user's text on screen,
unsaved, and the next save asks again. Keep both merges the two without losing a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from ...collab.merge import merge_notes
from ...services.live import NotesConflictError
from ..commands import CONFLICT, bindings
from ..safe_text import labelled, one_line, plain


@dataclass(frozen=True)
class Resolution:
    choice: str  # "mine", "theirs" or "both"
    text: str


class ConflictScreen(ModalScreen[Resolution | None]):
    CSS_PATH = "meeting.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = CONFLICT
    BINDINGS = bindings(CONFLICT)

    def __init__(self, conflict: NotesConflictError, *, timezone: str = "UTC") -> None:
        super().__init__()
        self.conflict = conflict
        self.timezone = timezone

    def _who(self) -> str:
        changed = self.conflict.changed_by
        if not changed:
            return "Someone else"
        when = ""
        try:
            at = pendulum.parse(str(changed.get("at", "")))
            when = " at " + at.in_timezone(self.timezone).format("HH:mm:ss")  # type: ignore[union-attr]
        except Exception:
            when = ""
        return f"{one_line(changed.get('user', '?'), 20)}{when}"

    def compose(self) -> ComposeResult:
        c = self.conflict
        with Vertical(classes="dialog", id="conflict"):
            yield Static("Notes changed on another screen", classes="dialog-title")
            yield Static(
                labelled(
                    "$who saved other notes for [b]$item[/b] while you typed. "
                    "Nothing is saved until you choose.",
                    who=self._who(),
                    item=one_line(c.item_title, 40),
                ),
                id="conflict-intro",
            )
            with Horizontal(id="conflict-versions"):
                with Vertical(classes="conflict-version"):
                    yield Static("Yours (not saved)", classes="conflict-heading")
                    yield TextArea(
                        plain(c.mine_text), read_only=True, soft_wrap=True, id="conflict-mine"
                    )
                with Vertical(classes="conflict-version"):
                    yield Static("Theirs (saved)", classes="conflict-heading")
                    yield TextArea(
                        plain(c.theirs_text),
                        read_only=True,
                        soft_wrap=True,
                        id="conflict-theirs",
                    )
            with Horizontal(classes="buttons"):
                yield Button("Keep mine (m)", id="conflict-keep-mine", variant="primary")
                yield Button("Take theirs (t)", id="conflict-take-theirs")
                yield Button("Keep both (b)", id="conflict-keep-both")
            yield Static("Tab scrolls a version  Esc: decide later (yours stays)", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#conflict-keep-both", Button).focus()

    def resolution(self, choice: str) -> Resolution:
        c = self.conflict
        text = {
            "mine": c.mine_text,
            "theirs": c.theirs_text,
            "both": merge_notes(c.base_text, c.mine_text, c.theirs_text),
        }[choice]
        return Resolution(choice, text)

    def action_choose(self, choice: str) -> None:
        self.dismiss(self.resolution(choice))

    def action_later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#conflict-keep-mine")
    def _mine(self) -> None:
        self.action_choose("mine")

    @on(Button.Pressed, "#conflict-take-theirs")
    def _theirs(self) -> None:
        self.action_choose("theirs")

    @on(Button.Pressed, "#conflict-keep-both")
    def _both(self) -> None:
        self.action_choose("both")
