"""The facilitate Textual app: themes, global keys, the workspace handle and the clock.

Terminal robustness over SSH lives here too: below 80x24 a "window too small" screen replaces
the layout (nothing underneath is lost); NO_COLOR adds a `-no-color` class so states still show
as bold/reverse; SIGHUP (a dropped SSH connection) and SIGTERM save pending notes and exit
cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES, Theme
from textual.widgets import Static

from ..console import error, safe_output
from ..crash import EXIT_CRASH, report_crash
from ..domain.common import Clock, FacilitateError, system_clock
from ..startup_gc import resume_collection
from ..storage.atomic import LockBusyError
from ..storage.workspace import Workspace
from .commands import GLOBAL, bindings, one_per_name
from .gc_pacing import GcPacer
from .lock_wait import SaveQueue
from .safe_text import SafeTitles

SIXTEEN = "facilitate-16"
THEME_ORDER = ["facilitate-dark", "facilitate-light", "facilitate-projector", SIXTEEN]
SIXTEEN_TERMS = {"linux", "screen", "tmux", "vt100", "vt102", "vt220", "ansi", "cons25"}
MIN_SIZE = Size(80, 24)
# SIGHUP (a dropped SSH session) is POSIX-only: Windows has SIGTERM alone (see README).
EXIT_SIGNALS = tuple(getattr(signal, n) for n in ("SIGHUP", "SIGTERM") if hasattr(signal, n))
EXIT_GRACE = 3.0  # seconds a hung-up app gets to exit normally before the watchdog ends it


def load_themes() -> list[Theme]:
    # A plain path (the package is installed as files; importlib.resources would import
    # zipfile and its readers at start-up for nothing).
    packaged = Path(__file__).resolve().parents[1] / "_data" / "themes"
    root = packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "themes"
    themes = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            themes.append(Theme(**json.loads(entry.read_text("utf-8"))))
    return [*themes, sixteen_colour_theme()]


def load_user_themes() -> tuple[list[Theme], list[str]]:
    """The user's own themes (``themes/*.json`` in their config folder, see
    services.preferences), and a one-line warning for each file that cannot be used."""
    from textual.color import ColorParseError

    from ..services.preferences import user_themes

    files, warnings = user_themes()
    themes = []
    for found in files:
        try:
            theme = Theme(**found.data)
            theme.to_color_system()  # (a bad colour is found now, not when drawn)
        except (TypeError, ValueError, ColorParseError) as exc:
            warnings.append(f"Theme file {found.path.name} skipped: {exc}. ({found.path})")
            continue
        themes.append(theme)
    return themes, warnings


def sixteen_colour_theme() -> Theme:
    """The dark theme for 16-colour terminals (TERM=linux, screen): ANSI colours, drawn by the
    terminal's own palette. (Reduced to the nearest of 16, the true-colour theme turns its amber
    accent red and its blue grey.) Also a choice on any terminal: "your terminal's colours"."""
    return Theme(
        name=SIXTEEN,
        ansi=True,
        dark=True,
        primary="ansi_blue",
        secondary="ansi_magenta",
        accent="ansi_cyan",
        warning="ansi_yellow",
        error="ansi_red",
        success="ansi_green",
        foreground="ansi_default",
        background="ansi_default",
        surface="ansi_default",
        panel="ansi_default",
        boost="ansi_default",
        variables=dict(BUILTIN_THEMES["ansi-dark"].variables),
    )


def _too_small(size: Size) -> bool:
    return size.width < MIN_SIZE.width or size.height < MIN_SIZE.height


class TooSmallScreen(SafeTitles, Screen[None]):
    """Shown instead of a garbled layout while the window is below 80x24."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def on_mount(self) -> None:
        self.show_size(self.app.size)

    def on_screen_resume(self) -> None:
        # Back on top (a dialog above it closed) after the window grew: step aside.
        if not _too_small(self.app.size):
            self.app.call_later(self.app.pop_screen)

    def show_size(self, size: Size) -> None:
        self.query_one("#too-small", Static).update(
            f"Window too small\n\nfacilitate needs at least {MIN_SIZE.width}x{MIN_SIZE.height};"
            f" this window is {size.width}x{size.height}.\n\nMake it bigger (or the font "
            "smaller). Nothing is lost meanwhile: the meeting and your notes are saved."
        )


GC_CHECK_EVERY = 5.0  # seconds
GC_IDLE = 2.0  # seconds without a key or click before a screen without a clock collects


class TerminalApp(App[int]):
    """Too-small screen, NO_COLOR class and clean exit on SIGHUP/SIGTERM, crash reports that
    show no data, and the output filter on titles and notifications (shared with follow)."""

    _size_checks = False
    auto_theme: str | None = None  # a theme picked for the terminal, not by the user
    user_theme_names: tuple[str, ...] = ()  # the user's own themes (config folder), in order
    gc_pacer: GcPacer | None = None  # set once start-up is over (see gc_pacing)
    _last_input = 0.0  # time.monotonic() of the last key or click
    crash_root: Path | None = None  # the workspace whose logs/ folder takes a crash report
    crash_message: str | None = None  # the one line for the terminal, once crashed

    # --- crashes ------------------------------------------------------------------------
    # Textual's own report (App._fatal_error) is a traceback with the values of local
    # variables, printed to the terminal: meeting records, case-review notes included. Here
    # every unhandled exception writes a private crash file instead (see facilitate.crash);
    # the terminal gets one line, printed by exit_code() once the screen is restored.

    def _handle_exception(self, error: Exception) -> None:
        if self.crash_message is None:
            self.crash_message = report_crash(error, self.crash_root)
        # What App._handle_exception keeps besides its report: a return code, and the first
        # exception for run_test() to raise in tests.
        self._return_code = EXIT_CRASH
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def exit_code(self) -> int:
        """The program's exit code once run() has returned; prints the crash line if any."""
        if self.crash_message is not None:
            error(self.crash_message)
            return EXIT_CRASH
        return self.return_code or 0

    # --- the output filter --------------------------------------------------------------
    # Titles and subtitles go to the terminal's own title too: a stored "\x1b]0;pwned\x07"
    # would rename the window. Every one is filtered here, whoever sets it.

    def validate_title(self, title: object) -> str:
        return safe_output(title)

    def validate_sub_title(self, sub_title: object) -> str:
        return safe_output(sub_title)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(
            safe_output(message),
            title=safe_output(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        self.set_class(self.no_color, "-no-color")
        self._install_signal_handlers()
        self._size_checks = True  # after the subclass pushed its first screen
        self.call_after_refresh(self._check_size, self.size)

    def on_resize(self, event: events.Resize) -> None:
        # Runs before App._on_resize stores the new size: use the event's.
        if self._size_checks:
            self._check_size(event.size)

    def _check_size(self, size: Size) -> None:
        top = self.screen_stack[-1] if self.screen_stack else None
        if _too_small(size):
            if isinstance(top, TooSmallScreen):
                top.show_size(size)
            else:
                self.push_screen(TooSmallScreen())
        elif isinstance(top, TooSmallScreen):
            self.pop_screen()

    def pick_theme(self, preferred: str | None) -> str:
        """The stored theme; the default dark one is shown as its 16-colour form on a terminal
        known to have 16 colours (TERM=linux, screen...) or when TEXTUAL_COLOR_SYSTEM=standard
        asks for them. That switch is not remembered."""
        usable = preferred in self.available_themes and not (self.no_color and preferred == SIXTEEN)
        name = preferred if usable and preferred else THEME_ORDER[0]
        if self.no_color:
            return name  # greys (Textual's NO_COLOR filter) need a true-colour theme
        if name == THEME_ORDER[0] and self.console.color_system == "standard":
            term = os.environ.get("TERM", "").split("-")[0].split(".")[0]
            if term in SIXTEEN_TERMS or os.environ.get("TEXTUAL_COLOR_SYSTEM") == "standard":
                self.auto_theme = SIXTEEN
                return SIXTEEN
        return name

    def themes_in_order(self) -> list[str]:
        """The themes Ctrl+T cycles through. Not the ANSI one under NO_COLOR: Textual greys
        true colours for NO_COLOR, and would draw the terminal's own colours black."""
        order = [*THEME_ORDER, *(n for n in self.user_theme_names if n not in THEME_ORDER)]
        return [t for t in order if not (self.no_color and t == SIXTEEN)]

    def register_user_themes(self) -> list[str]:
        """Register the user's own themes; returns the warnings about broken theme files."""
        themes, warnings = load_user_themes()
        for theme in themes:
            self.register_theme(theme)
        self.user_theme_names = tuple(t.name for t in themes)
        return warnings

    @property
    def too_small(self) -> bool:
        return any(isinstance(s, TooSmallScreen) for s in self.screen_stack)

    # --- SIGHUP / SIGTERM ---------------------------------------------------------------
    # A plain signal handler (not loop.add_signal_handler) so it runs even if the event loop
    # is stuck writing to a terminal that has gone away. It hands the save to the loop and,
    # in a real terminal, starts a watchdog: if the loop cannot exit within EXIT_GRACE seconds,
    # the watchdog saves from its own thread and ends the process.

    def _install_signal_handlers(self) -> None:
        self._hangup_started = False
        self._hangup_saved = False
        self._previous_handlers: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return
        self._signal_loop = asyncio.get_running_loop()
        for sig in EXIT_SIGNALS:
            self._previous_handlers[sig] = signal.signal(sig, self._on_exit_signal)

    def on_unmount(self) -> None:
        for sig, handler in getattr(self, "_previous_handlers", {}).items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)
        if self.gc_pacer is not None:
            self.gc_pacer.uninstall()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def start_gc_pacing(self) -> None:
        """Called after the first frame, and by the screens that show a running clock when
        they open (see gc_pacing)."""
        if self.gc_pacer is not None:
            # A timed screen opened (right after its first frame): freeze what it holds now,
            # before anyone types into it.
            self.gc_pacer.refreeze()
            self.gc_pacer.collect()
            return
        self.gc_pacer = GcPacer()
        self.gc_pacer.install()
        self.set_interval(GC_CHECK_EVERY, self._pace_gc)
        self.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if self.gc_pacer is not None:
            self.gc_pacer.request()

    def _pace_gc(self) -> None:
        pacer = self.gc_pacer
        # A screen with PACES_GC collects just after it draws a new second instead. Other
        # screens wait until nobody has pressed a key for GC_IDLE seconds: with the action
        # tracker's ten years loaded, a full collection takes ~100-170 ms, and one that
        # Python started by itself used to land in the middle of a filter key.
        if (
            pacer is not None
            and pacer.due
            and not getattr(self.screen, "PACES_GC", False)
            and time.monotonic() - self._last_input >= GC_IDLE
        ):
            pacer.collect()

    def _on_exit_signal(self, signum: int, frame: object) -> None:
        if not self._hangup_started:
            self._hangup_started = True
            if not self.is_headless:
                threading.Thread(target=self._watchdog, name="exit-watchdog", daemon=True).start()
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            self._signal_loop.call_soon_threadsafe(self.hang_up, signum)

    def _watchdog(self) -> None:
        time.sleep(EXIT_GRACE)
        if not self._hangup_saved:
            saver = threading.Thread(target=self.save_pending, daemon=True)
            saver.start()
            saver.join(EXIT_GRACE)
        os._exit(0)

    def save_pending(self) -> None:
        """Ask every screen to save what it holds (e.g. notes waiting for the autosave)."""
        for screen in reversed(self.screen_stack):
            save = getattr(screen, "save_pending", None)
            if callable(save):
                try:
                    save()
                except Exception as exc:  # keep saving the others; exiting anyway
                    self.log.error(f"save_pending failed: {exc!r}")

    def hang_up(self, signum: int = signal.SIGTERM) -> None:
        """The terminal went away (SSH dropped) or we were asked to stop: save and exit."""
        if not self._hangup_saved:
            self.save_pending()
            self._hangup_saved = True
        self.exit(return_code=0)


def _words_provider() -> type[Provider]:
    from .palette import WordsCommandsProvider

    return WordsCommandsProvider


class FacilitateApp(TerminalApp):
    CSS_PATH = "app.tcss"
    TITLE = "facilitate"
    BINDINGS = bindings(GLOBAL)
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {_words_provider}  # (found by description and synonyms too: ui/palette.py)

    def __init__(self, ws: Workspace, *, clock: Clock = system_clock) -> None:
        super().__init__()
        self.ws = ws
        # Saves run on the event loop: a lock held by another process must not freeze the app.
        # They wait in the SaveQueue instead ("Waiting for alice (pid ...)..."; lock_wait.py).
        ws.lock.blocking = False
        self.saves = SaveQueue(self, self.report)
        # The home screen reads every meeting's header and actions on each visit: keep the
        # meeting index (.index.json) up to date so the next start need not parse them all.
        ws.write_index = True
        self.clock = clock
        for theme in load_themes():
            self.register_theme(theme)
        self._warnings = self.register_user_themes()
        # The theme is the user's own choice (services.preferences, never the shared
        # workspace); a theme stored in the workspace profile by an older version is the
        # default for a user who has not chosen one. It is set before the app runs, so the
        # stylesheet is parsed once, with its colours (set in on_mount, it was parsed three
        # times: ~20 ms of start-up).
        from ..services import preferences

        prefs = preferences.load()
        if prefs.problem:
            self._warnings.append(prefs.problem)
        self._profile_error: FacilitateError | None = None
        self._profile_name: str | None = None
        try:
            profile = self.ws.snapshot().profile()
            self._profile_name = profile.name
            self._set_first_theme(self.pick_theme(prefs.theme or profile.theme))
        except FacilitateError as exc:
            self._set_first_theme(self.pick_theme(prefs.theme))
            self._profile_error = exc

    def _set_first_theme(self, name: str) -> None:
        """What App._watch_theme does, minus the stylesheet refresh: nothing is parsed yet."""
        self.set_reactive(App.theme, self._validate_theme(name))
        dark = self.current_theme.dark
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def on_mount(self) -> None:
        from .screens.home import HomeScreen

        # TerminalApp.on_mount runs too (Textual calls the handler of every class in the MRO).
        if self._profile_name is not None:
            self.title = self._profile_name
        if self._profile_error is not None:
            self.notify(str(self._profile_error), severity="error", markup=False, timeout=10)
        for warning in self._warnings:
            self.notify(warning, severity="warning", markup=False, timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(HomeScreen())
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """Start-up work that need not delay the first screen. The backup deferred by the
        command line (Workspace.defer_backup) is taken here, or by the first save if a key
        typed ahead saves sooner."""
        resume_collection()
        self.start_gc_pacing()
        try:
            self.ws.take_due_backup()
        except LockBusyError:
            self.set_timer(1.0, self._take_backup_later)
        except (FacilitateError, OSError) as exc:
            self.notify(
                f"The start-up backup could not be written: {exc}. Your data is unchanged;"
                " free some disk space or fix the backups folder's permissions.",
                severity="error",
                markup=False,
                timeout=15,
            )

    def _take_backup_later(self) -> None:
        """The start-up backup, once another process let go of the workspace lock."""
        try:
            self.ws.take_due_backup()
        except LockBusyError:
            self.set_timer(1.0, self._take_backup_later)
        except (FacilitateError, OSError) as exc:
            self.notify(
                f"The start-up backup could not be written: {exc}. Your data is unchanged.",
                severity="error",
                markup=False,
                timeout=15,
            )

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self.auto_theme:
            return  # chosen for this terminal, not by the user
        self.auto_theme = None
        from ..services import preferences

        try:  # (for this user only: nothing is written to the shared workspace)
            preferences.remember_theme(theme.name)
        except FacilitateError as exc:
            self.notify(f"Theme not remembered: {exc}", severity="warning", markup=False)

    def action_cycle_theme(self) -> None:
        order = self.themes_in_order()
        current = order.index(self.theme) if self.theme in order else -1
        self.theme = order[(current + 1) % len(order)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    def save_pending(self) -> None:
        # Exiting (SIGHUP/SIGTERM): waiting a little for another process's lock freezes
        # nothing that matters any more, and keeps the notes being typed.
        self.ws.lock.blocking = True
        self.ws.lock.timeout = EXIT_GRACE
        super().save_pending()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen | TooSmallScreen):
            # At the keys of the screen it is asked from.
            self.push_screen(HelpScreen(getattr(self.screen, "COMMAND_TABLE", None)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's commands, the themes, help and quit, then Textual's own (theme
        picker, keys panel, maximize, screenshot). One entry per name: the screen's
        "Quit (q)" stands for the app's "Quit (^q)" and for Textual's "Quit"."""
        ours: list[SystemCommand] = [
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
                "Switch colours (remembered for you, not for the workspace)",
                partial(setattr, self, "theme", name),
            )
            for name in self.themes_in_order()
        ]
        ours.append(SystemCommand("Help (?)", "List every key on every screen", self.action_help))
        ours.append(
            SystemCommand("Quit (^q)", "Quit (everything is already saved)", self.action_quit)
        )
        yield from one_per_name([*ours, *super().get_system_commands(screen)])

    def report(self, exc: Exception) -> None:
        """Show a user-facing error as a notification (never a traceback)."""
        self.notify(str(exc), severity="error", markup=False, timeout=8)


def run_app(ws: Workspace, *, crash_root: Path | None = None) -> int:
    """Run the app; its exit code (EXIT_CRASH after a crash, its one line printed). A crash
    report goes to ``crash_root``'s logs folder (default: the workspace's)."""
    app = FacilitateApp(ws)
    app.crash_root = crash_root or ws.root
    app.run()
    return app.exit_code()
