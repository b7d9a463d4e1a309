"""Esc on a filled-in form asks before throwing away what was typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class DiscardDialog(ModalScreen[bool]):
    """True: discard the form's input; False: back to the form, input kept."""

    BINDINGS = [
        Binding("y,d", "answer(True)", "Discard", priority=True),
        Binding("escape,n,k", "answer(False)", "Keep editing"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.form_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="discard"):
            yield Static("Discard what you typed?", classes="dialog-title")
            yield Static(f"{self.form_title}: nothing has been saved yet.", markup=False)
            yield Static("y: discard    n or Esc: keep editing (Ctrl+S saves)", classes="hint")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)
