"""The session's confidential unlock, shared by the screens that show confidential records
(history, the action tracker, subcommittees): a flag per app session (never stored on disk),
the dialog that asks before unlocking, and the one-line marker saying which state is on."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

_UNLOCKED: WeakKeyDictionary[App[Any], bool] = WeakKeyDictionary()


def confidential_unlocked(app: App[Any]) -> bool:
    """True once confidential notes were unlocked in this app session (never stored on disk)."""
    return _UNLOCKED.get(app, False)


def set_confidential_unlocked(app: App[Any], unlocked: bool) -> None:
    _UNLOCKED[app] = unlocked


class ConfidentialMarker(Static):
    """One line: a loud marker while confidential notes are unlocked, a quiet hint otherwise."""

    def on_mount(self) -> None:
        self.refresh_marker()

    def refresh_marker(self) -> None:
        unlocked = confidential_unlocked(self.app)
        self.set_class(unlocked, "unlocked")
        self.update(
            " CONFIDENTIAL UNLOCKED - members-only notes are shown (u locks) "
            if unlocked
            else "Confidential notes hidden (u unlocks for this session)"
        )


class UnlockDialog(ModalScreen[bool]):
    """Ask before confidential notes become visible and searchable."""

    BINDINGS = [
        Binding("y", "unlock", "Unlock"),
        Binding("escape,n", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unlock-dialog"):
            yield Static("Unlock confidential notes?", classes="dialog-title")
            yield Static(
                "Notes of confidential agenda items (such as case reviews), and the decisions "
                "and actions raised under them, become visible and searchable on these screens "
                "until you quit facilitate or press u again.\n\nCheck that nobody who should "
                "not see them can see this screen (projector, shared room, screen sharing).",
                id="unlock-text",
            )
            yield Static("y: unlock    Esc or n: keep hidden", classes="hint")

    def action_unlock(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def toggle_unlock(screen: Widget, after: Any) -> None:
    """The ``u`` key of every tracker screen: ask, then unlock; or lock at once."""
    app = screen.app
    if confidential_unlocked(app):
        set_confidential_unlocked(app, False)
        app.notify("Confidential notes hidden again.", timeout=3)
        after()
        return

    def done(ok: bool | None) -> None:
        if ok:
            set_confidential_unlocked(app, True)
            app.notify("Confidential notes unlocked for this session.", timeout=3)
        after()

    app.push_screen(UnlockDialog(), done)
