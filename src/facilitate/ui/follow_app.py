"""`facilitate follow`: a small read-only app around FollowScreen.

It shares the terminal handling of the main app (too-small screen, NO_COLOR, clean exit on
SIGHUP) but none of its writing: the theme can be switched for the room, yet is not remembered.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import SystemCommand
from textual.screen import Screen

from ..domain.common import Clock, FacilitateError, system_clock
from ..storage.workspace import Workspace
from .app import TerminalApp, load_themes
from .commands import Command, bindings, one_per_name

FOLLOW_GLOBAL = [
    Command("ctrl+q", "app.quit", "Quit", "Quit the follow view", show=False),
]


class FollowApp(TerminalApp):
    CSS_PATH = "app.tcss"
    TITLE = "facilitate follow"
    BINDINGS = bindings(FOLLOW_GLOBAL)
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, ws: Workspace, meeting_id: str, *, clock: Clock = system_clock) -> None:
        super().__init__()
        self.ws = ws
        self.meeting_id = meeting_id
        self.clock = clock
        for theme in load_themes():
            self.register_theme(theme)
        self._warnings = self.register_user_themes()

    def on_mount(self) -> None:
        from ..services import preferences
        from .screens.follow import FollowScreen

        mine = preferences.load().theme  # the user's own choice, read only
        self.theme = self.pick_theme(mine)
        for warning in self._warnings:
            self.notify(warning, severity="warning", markup=False, timeout=10)
        try:
            profile = self.ws.snapshot().profile()
        except FacilitateError as exc:
            self.report(exc)
        else:
            self.title = f"{profile.name} (follow)"
            self.theme = self.pick_theme(mine or profile.theme)
        self.push_screen(FollowScreen(self.ws, self.meeting_id, self.clock))

    def action_cycle_theme(self) -> None:
        order = self.themes_in_order()
        current = order.index(self.theme) if self.theme in order else -1
        self.theme = order[(current + 1) % len(order)]
        self.notify(f"Theme: {self.theme} (this screen only)", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        ours = [
            SystemCommand(
                f"{command.label} ({command.key_display})",
                command.help,
                partial(screen.run_action, command.action),
            )
            for command in getattr(screen, "COMMAND_TABLE", [])
        ]
        ours += [
            SystemCommand(
                f"Theme: {name.removeprefix('facilitate-')}",
                "Switch colours on this screen (not remembered: follow never writes)",
                partial(setattr, self, "theme", name),
            )
            for name in self.themes_in_order()
        ]
        # Textual's own (theme picker, keys, screenshot, quit) after ours, one per name.
        yield from one_per_name([*ours, *super().get_system_commands(screen)])

    def report(self, exc: Exception) -> None:
        self.notify(str(exc), severity="error", markup=False, timeout=8)


def run_follow(ws: Workspace, meeting_id: str) -> int:
    app = FollowApp(ws, meeting_id)
    app.crash_root = ws.root
    app.run()
    return app.exit_code()
