"""Every key on every screen, from the same command tables as the footer and palette."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..commands import TABLES


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        lines = ["facilitate keys  (Esc closes; Ctrl+P searches every command)", ""]
        for screen, commands in TABLES.items():
            lines.append(f"{screen}")
            for c in commands:
                lines.append(f"  {c.key_display:<7} {c.help}")
            lines.append("")
        with VerticalScroll(id="help-body", classes="dialog"):
            yield Static("\n".join(lines), markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
