"""Every key on every screen, from the same command tables as the footer and palette. It opens
at the section of the screen it was asked from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..commands import TABLES, Command


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, table: list[Command] | None = None) -> None:
        super().__init__()
        self.table = table
        self.section_line = 0  # where the asking screen's keys start

    def compose(self) -> ComposeResult:
        lines = ["facilitate keys  (Esc closes; Ctrl+P searches every command)", ""]
        for screen, commands in TABLES.items():
            if commands is self.table:
                self.section_line = len(lines)
            lines.append(f"{screen}")
            for c in commands:
                lines.append(f"  {c.key_display:<7} {c.help}")
            lines.append("")
        with VerticalScroll(id="help-body", classes="dialog"):
            yield Static("\n".join(lines), markup=False)

    def on_mount(self) -> None:
        if self.section_line:
            body = self.query_one("#help-body", VerticalScroll)
            self.call_after_refresh(body.scroll_to, y=self.section_line, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
