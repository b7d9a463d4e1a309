"""The facilitate Textual app: themes, global keys, the workspace handle and the clock."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import partial
from importlib import resources
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import Theme

from ..domain.common import Clock, FacilitateError, system_clock
from ..domain.roster import Profile
from ..storage.workspace import Workspace
from .commands import GLOBAL, bindings

THEME_ORDER = ["facilitate-dark", "facilitate-light", "facilitate-projector"]


def load_themes() -> list[Theme]:
    packaged = resources.files("facilitate").joinpath("_data", "themes")
    root = packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "themes"
    themes = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            themes.append(Theme(**json.loads(entry.read_text("utf-8"))))
    return themes


class FacilitateApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "facilitate"
    BINDINGS = bindings(GLOBAL)
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, ws: Workspace, *, clock: Clock = system_clock) -> None:
        super().__init__()
        self.ws = ws
        self.clock = clock
        for theme in load_themes():
            self.register_theme(theme)

    def on_mount(self) -> None:
        from .screens.home import HomeScreen

        try:
            profile = self.ws.snapshot().profile()
            self.title = profile.name
            if profile.theme in self.available_themes:
                self.theme = profile.theme
            else:
                self.theme = THEME_ORDER[0]
        except FacilitateError as exc:
            self.theme = THEME_ORDER[0]
            self.notify(str(exc), severity="error", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(HomeScreen())

    def _remember_theme(self, theme: Theme) -> None:
        try:
            with self.ws.transaction() as tx:
                profile: Profile = tx.profile()
                if profile.theme != theme.name:
                    profile.theme = theme.name
                    tx.update(profile)
        except FacilitateError as exc:
            self.notify(f"Theme not remembered: {exc}", severity="warning", markup=False)

    def action_cycle_theme(self) -> None:
        current = THEME_ORDER.index(self.theme) if self.theme in THEME_ORDER else -1
        self.theme = THEME_ORDER[(current + 1) % len(THEME_ORDER)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        table = getattr(screen, "COMMAND_TABLE", [])
        for command in table:
            yield SystemCommand(
                f"{command.label} ({command.key_display})",
                command.help,
                partial(screen.run_action, command.action),
            )
        for name in THEME_ORDER:
            yield SystemCommand(
                f"Theme: {name.removeprefix('facilitate-')}",
                "Switch colours (remembered for this workspace)",
                partial(setattr, self, "theme", name),
            )
        yield SystemCommand("Help (?)", "List every key on every screen", self.action_help)
        yield SystemCommand("Quit (^q)", "Quit (everything is already saved)", self.action_quit)

    def report(self, exc: Exception) -> None:
        """Show a user-facing error as a notification (never a traceback)."""
        self.notify(str(exc), severity="error", markup=False, timeout=8)


def run_app(ws: Workspace) -> int:
    app = FacilitateApp(ws)
    app.run()
    return 0
