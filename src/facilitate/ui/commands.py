"""One command table per screen. It feeds the screen's BINDINGS (footer), the command palette
(Ctrl+P) and the help screen, so every action has a key, a label and a palette entry."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Command:
    key: str
    action: str
    label: str
    help: str
    show: bool = True
    priority: bool = False

    @property
    def key_display(self) -> str:
        first = self.key.split(",")[0]
        return {"space": "Space", "question_mark": "?", "escape": "Esc", "enter": "Enter"}.get(
            first, first.replace("ctrl+", "^")
        )


def bindings(commands: list[Command]) -> list[BindingType]:
    return [
        Binding(c.key, c.action, c.label, show=c.show, priority=c.priority) for c in commands
    ]


GLOBAL = [
    Command("question_mark,f1", "app.help", "Help", "List every key on every screen"),
    Command("ctrl+t", "app.cycle_theme", "Theme", "Switch theme (dark, light, projector)", show=False),
    Command("ctrl+q", "app.quit", "Quit", "Quit (everything is already saved)", show=False),
]

HOME = [
    Command("s", "start", "Start/resume", "Start or resume the next meeting"),
    Command("q", "app.quit", "Quit", "Quit facilitate"),
]

MEETING = [
    Command("n", "next_item", "Next", "Go to the next agenda item"),
    Command("b", "previous_item", "Back", "Go back to the previous agenda item"),
    Command("space", "toggle_pause", "Pause", "Pause or resume the item timer"),
    Command("enter", "revisit", "Go to", "Go to (or revisit) the selected item", show=False),
    Command("o", "focus_notes", "Notes", "Type notes for the current item (Esc to leave)"),
    Command("i", "roll_call", "Roll call", "Introductions and attendance"),
    Command("d", "decision", "Decision", "Record a decision on the current item"),
    Command("a", "action", "Action", "Record an action item on the current item"),
    Command("t", "training", "Training", "Pick and deliver a training snippet"),
    Command("r", "replan", "Re-plan", "Propose how to end on time"),
    Command("x", "pin", "Pin", "Pin or unpin the selected item for re-planning", show=False),
    Command("e", "close_meeting", "Close", "Feedback, next meeting date, end and export"),
    Command("escape", "leave_notes", "Agenda", "Back to the agenda list", show=False),
]

ROLL_CALL = [
    Command("p", "mark('present')", "Present", "Mark the selected person present"),
    Command("r", "mark('remote')", "Remote", "Mark the selected person remote"),
    Command("l", "mark('late')", "Late", "Mark the selected person late"),
    Command("a", "mark('absent')", "Absent", "Mark the selected person absent"),
    Command("x", "mark('excused')", "Excused", "Mark the selected person excused"),
    Command("y", "mark('left_early')", "Left early", "Mark the selected person as left early", show=False),
    Command("i", "introduced", "Introduced", "Tick the selected person off as introduced"),
    Command("g", "guest", "Guest", "Add a walk-in guest"),
    Command("escape", "back", "Agenda", "Back to the agenda"),
]

CLOSE = [
    Command("f", "feedback", "Feedback", "Add a feedback rating or comment"),
    Command("N", "next_date", "Next date", "Set the next meeting date"),
    Command("E", "end_meeting", "End meeting", "End the meeting and show the summary"),
    Command("m", "export('md')", "Markdown", "Export the minutes as Markdown"),
    Command("h", "export('html')", "HTML", "Export the minutes as HTML"),
    Command("w", "export('docx')", "Word", "Export the minutes as Word (.docx)"),
    Command("escape", "back", "Back", "Back to the meeting"),
]

TABLES: dict[str, list[Command]] = {
    "Everywhere": GLOBAL,
    "Home": HOME,
    "Meeting": MEETING,
    "Roll call": ROLL_CALL,
    "Close": CLOSE,
}
