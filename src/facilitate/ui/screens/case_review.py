"""Who may stay for a confidential item: the reminder names them, one key steps them out, and
leaving the item offers to bring them back in (domain rule: ``domain.case_review``)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...domain.case_review import StepOut, must_step_out, stepped_out
from ...domain.common import FacilitateError, counted
from ...domain.meeting import AgendaItem
from ...services.live import LiveMeeting
from ...storage.workspace import MeetingBundle
from ..commands import CASE_REVIEW, bindings
from ..safe_text import one_line, safe
from .dialogs import ConfidentialityDialog

SHOWN = 8  # names listed in the reminder (80x24: the statement must stay readable)


def who_must_step_out(live: LiveMeeting, bundle: MeetingBundle) -> list[StepOut]:
    """Everyone still in the room who may not stay for a confidential item."""
    try:
        roster = live.roster()
    except FacilitateError:
        roster = None
    if roster is None:  # (unreadable roster: guests at least, who never may stay)
        return [StepOut(a, "guest") for a in bundle.attendance if a.in_room and a.is_guest]
    return must_step_out(bundle.attendance, roster)


class CaseReviewReminder(ConfidentialityDialog):
    """The reminder before a confidential item, with who may not stay (guests, members
    without a signed MOU or an undertaking of their own, members flagged in the roster).
    ``s`` marks them all stepped out and acknowledges; the result is then True and
    ``stepped_out_chosen`` is set."""

    BINDINGS = bindings(CASE_REVIEW)

    def __init__(self, statement: str, people: Sequence[StepOut] = ()) -> None:
        self.people = list(people)
        self.step_out_chosen = False
        super().__init__(statement, first=False, guests=self._lines())

    def _lines(self) -> list[str]:
        return [f"{one_line(p.attendance.name, 30)} ({p.reason})" for p in self.people]

    def _guests_text(self) -> Content:
        if not self.people:
            return Content("")
        # Grouped by reason, guests first; at most SHOWN names in all (80x24).
        groups: dict[str, list[str]] = {}
        for p in sorted(self.people, key=lambda p: not p.attendance.is_guest):
            groups.setdefault(p.reason, []).append(one_line(p.attendance.name, 30))
        parts, shown = [], 0
        for reason, names in groups.items():
            room = SHOWN - shown
            if room <= 0:
                break
            parts.append(f"{reason}: {', '.join(names[:room])}")
            shown += min(room, len(names))
        more = f"; and {len(self.people) - shown} more" if shown < len(self.people) else ""
        return safe(
            f"May not stay, still in the room ({len(self.people)}): {'; '.join(parts)}{more}.\n"
            "s: mark them stepped out (asked back in when the item ends)"
        )

    def show_people(self, people: Sequence[StepOut]) -> bool:
        """For another showing (kept dialog): who is in the room now."""
        self.people = list(people)
        self.step_out_chosen = False
        return self.show_guests(self._lines())

    def action_step_out(self) -> None:
        if not self.people:
            return
        self.step_out_chosen = True
        self.dismiss(True)


def step_out(live: LiveMeeting, dialog: CaseReviewReminder, item: AgendaItem | None) -> str:
    """Mark the people the reminder named as stepped out (for ``item``); the message to show."""
    ids = [p.attendance.id for p in dialog.people]
    live.step_out(ids, item.id if item else None)
    return (
        f"{counted(len(ids), 'person', 'people')} stepped out: not counted in the room until "
        "they are back in (offered when the item ends)."
    )


class BackInDialog(ModalScreen[bool]):
    """On leaving a confidential item for an open one: bring those who stepped out back in."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Back in", priority=True),
        Binding("escape,n", "answer(False)", "Still out"),
    ]

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__()
        self.names = list(names)

    def compose(self) -> ComposeResult:
        listed = ", ".join(one_line(n, 30) for n in self.names[:8])
        if len(self.names) > 8:
            listed += f" and {len(self.names) - 8} more"
        with Vertical(classes="dialog", id="back-in"):
            yield Static("The confidential item is over", classes="dialog-title")
            yield Static(
                safe(f"Stepped out: {listed}. Ask them back into the room."), id="back-in-names"
            )
            yield Static("Enter or y: back in the room    Esc or n: still out", classes="hint")

    def action_answer(self, back: bool) -> None:
        self.dismiss(back)


def offer_back_in(
    screen: object, live: LiveMeeting, left: AgendaItem | None, entered: AgendaItem
) -> None:
    """Leaving a confidential item for an open one, with people out: ask to bring them in."""
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    if left is None or not left.confidential or entered.confidential:
        return
    out = stepped_out(live.load().attendance)
    if not out:
        return

    def done(back: bool | None) -> None:
        if back:
            try:
                live.step_in()
            except FacilitateError as exc:
                screen.app.report(exc)  # type: ignore[attr-defined]
                return
            screen.notify(f"{counted(len(out), 'person', 'people')} back in the room.", timeout=3)
        reload = getattr(screen, "reload", None)
        if reload is not None:
            reload()

    screen.app.push_screen(BackInDialog([a.name for a in out]), done)
