"""One command table per screen. It feeds the screen's BINDINGS (footer), the command palette
(Ctrl+P) and the help screen, so every action has a key, a label and a palette entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from textual.app import SystemCommand
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
        return {
            "space": "Space",
            "question_mark": "?",
            "escape": "Esc",
            "enter": "Enter",
            "plus": "+",
            "minus": "-",
            "left_square_bracket": "[",
            "right_square_bracket": "]",
        }.get(first, first.replace("ctrl+", "^"))


def bindings(commands: list[Command], *, help_at: int | None = None) -> list[BindingType]:
    """The screen's BINDINGS. ``help_at``: show "? Help" at that place in the footer (it is an
    app binding, which the footer lists after the screen's own keys: on an 80-column
    terminal the busiest screens cut it off)."""
    out: list[BindingType] = [
        Binding(c.key, c.action, c.label, show=c.show, priority=c.priority) for c in commands
    ]
    if help_at is not None:
        out.insert(help_at, Binding(HELP.key, HELP.action, HELP.label))
    return out


def command_name(title: str) -> str:
    """A palette entry's name without its key: "Quit (^q)" -> "Quit"."""
    return title.rsplit(" (", 1)[0] if title.endswith(")") else title


def one_per_name(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """The palette's entries, the first of each name only: ours come before Textual's, so
    the screen's "Quit (q)" stands for the app's "Quit (^q)" and for Textual's "Quit"."""
    seen: set[str] = set()
    for command in commands:
        name = command_name(command.title)
        if name not in seen:
            seen.add(name)
            yield command


HELP = Command("question_mark,f1", "app.help", "Help", "List every key on every screen")

GLOBAL = [
    HELP,
    # Priority: a dialog (a modal screen) hides the app's other bindings from its keys.
    Command(
        "ctrl+t",
        "app.cycle_theme",
        "Theme",
        "Switch theme (dark, light, projector, 16-colour)",
        show=False,
        priority=True,
    ),
    Command(
        "ctrl+q",
        "app.quit",
        "Quit",
        "Quit (everything is already saved)",
        show=False,
        priority=True,
    ),
]

HOME = [
    Command("s", "start", "Start/resume", "Start or resume the next meeting"),
    Command("q", "app.quit", "Quit", "Quit facilitate"),
    Command("o", "roster", "Orgs", "Roster: organizations, members and the membership matrix"),
    Command(
        "c", "subcommittees", "Committees", "Subcommittees: charge, chair, members, open actions"
    ),
    Command("a", "actions", "Actions", "Action tracker: every action item across meetings"),
    Command("h", "history", "History", "Meeting history, search across meetings, and trends"),
]

# The live-meeting screens list their keys most used first, with help in the first 80
# columns (help_at in their BINDINGS), and no palette hint in the footer: an 80x24 terminal
# over SSH cut off "Close", "Help" and the roll call's way back (? and Ctrl+P still list all).
MEETING = [
    Command("n", "next_item", "Next", "Go to the next agenda item"),
    Command("space", "toggle_pause", "Pause", "Pause or resume the item timer"),
    # "o" is a priority key: the notes are focused at its place in a burst, so the words
    # typed right after it over a laggy link land in the notes, not on the agenda and the
    # meeting's own keys (see ui/typeahead.py for forms). (Esc is not: run by the app ahead
    # of the letters still queued in the notes, it would save the notes without them.)
    Command(
        "o",
        "focus_notes",
        "Notes",
        "Type notes for the current item (Esc to leave)",
        priority=True,
    ),
    Command("d", "decision", "Decision", "Record a decision on the current item"),
    Command("a", "action", "Action", "Record an action item on the current item"),
    Command("i", "roll_call", "Roll call", "Introductions and attendance"),
    Command("e", "close_meeting", "Close", "Feedback, next meeting date, end and export"),
    # The speakers' queue (ui/screens/meeting_speakers.py). "s" is a priority key so that a
    # name typed right after it (a burst over SSH) lands in the picker, not on this screen.
    Command(
        "s",
        "add_speaker",
        "Queue",
        "Add a speaker to the queue: type a name or organization, Enter (also withdraw/move)",
        priority=True,
    ),
    Command("k", "next_speaker", "Next up", "Next speaker: the one speaking is done"),
    Command("t", "training", "Training", "Pick and deliver a training snippet"),
    Command("r", "replan", "Re-plan", "Propose how to end on time"),
    Command("b", "previous_item", "Back", "Go back to the previous agenda item"),
    Command("enter", "revisit", "Go to", "Go to (or revisit) the selected item", show=False),
    Command("x", "pin", "Pin", "Pin or unpin the selected item for re-planning", show=False),
    Command("escape", "leave_notes", "Agenda", "Back to the agenda list", show=False),
    # The live agenda (agenda_edit) and correcting the record (meeting_record).
    Command(
        "plus",
        "live_agenda('add')",
        "Add item",
        "Add an agenda item after the selected one",
        show=False,
    ),
    Command(
        "m",
        "live_agenda('change')",
        "Change item",
        "Change the selected item's title or minutes",
        show=False,
    ),
    Command(
        "left_square_bracket",
        "live_agenda('move', -1)",
        "Up",
        "Move the selected item up",
        show=False,
    ),
    Command(
        "right_square_bracket",
        "live_agenda('move', 1)",
        "Down",
        "Move the selected item down",
        show=False,
    ),
    Command(
        "minus",
        "live_agenda('drop')",
        "Drop item",
        "Move the selected item to the next meeting",
        show=False,
    ),
    Command(
        "c",
        "correct_record",
        "Correct",
        "Correct the record: edit or delete decisions, actions, feedback, notes",
        show=False,
    ),
    # Rounds, airtime and the limit (ui/screens/meeting_speakers.py).
    Command("R", "round", "Round", "Round around the table (information sharing, report-backs)"),
    Command("A", "airtime", "Airtime", "Airtime: minutes spoken by sector and organization"),
    Command(
        "l",
        "speaker_limit",
        "Limit",
        "Change the per-speaker limit on the current item (0: none)",
        show=False,
    ),
]
MEETING_HELP_AT = 7  # after "e Close"

ROLL_CALL = [
    Command("p", "mark('present')", "Present", "Mark the selected person present"),
    Command("r", "mark('remote')", "Remote", "Mark the selected person remote"),
    Command("l", "mark('late')", "Late", "Mark the selected person late"),
    Command("a", "mark('absent')", "Absent", "Mark the selected person absent"),
    Command("x", "mark('excused')", "Excused", "Mark the selected person excused"),
    Command(
        "y",
        "mark('left_early')",
        "Left early",
        "Mark the selected person as left early (no longer counted from then on)",
        show=False,
    ),
    Command("i", "introduced", "Intro", "Tick the selected person off as introduced (if present)"),
    Command("g", "guest", "Guest", "Add a walk-in guest"),
    Command("escape", "back", "Agenda", "Back to the agenda"),
]
ROLL_CALL_HELP_AT = len(ROLL_CALL)

# A round around the table (ui/screens/round.py, meeting R).
ROUND = [
    Command("n", "next_turn", "Next", "Next turn: the one speaking spoke, the next one speaks"),
    Command("s", "mark('spoke')", "Spoke", "Mark the selected turn spoke"),
    Command("p", "mark('passed')", "Passed", "Mark the selected turn passed"),
    Command("x", "mark('skipped')", "Skipped", "Mark the selected turn skipped (not reached)"),
    Command("o", "note", "Note", "A short note on the selected turn (into the item's notes)"),
    Command("left_square_bracket", "move(-1)", "Up", "Move the selected turn up (waiting only)"),
    Command("right_square_bracket", "move(1)", "Down", "Move the selected turn down"),
    Command("escape", "back", "Meeting", "Back to the meeting (the round goes on)"),
]
ROUND_HELP_AT = len(ROUND)

# The reminder before a confidential item (ui/screens/case_review.py).
CASE_REVIEW = [
    Command("enter,y", "ack", "Acknowledged", "The reminder was read: go on", priority=True),
    Command(
        "s",
        "step_out",
        "Step them out",
        "Mark everyone named (who may not stay) stepped out, until the item ends",
        priority=True,
    ),
    Command("escape", "cancel", "Back", "Back to the item before (this one stays pending)"),
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
CLOSE_HELP_AT = len(CLOSE)

# --- Between meetings (tracker screens) ---

ROSTER = [
    Command("n", "new_org", "New org", "Add an organization (name, sector, MOU, partnership)"),
    Command("m", "new_member", "New member", "Add a member: name, role, organization, contact"),
    Command("e", "edit", "Edit", "Edit the selected organization or member"),
    Command(
        "x",
        "toggle_active",
        "Deactivate",
        "Deactivate the selected organization or member, or reactivate it",
    ),
    Command("1", "tab('orgs')", "Orgs", "Show the organizations", show=False),
    Command("2", "tab('members')", "Members", "Show the members", show=False),
    Command(
        "3", "tab('matrix')", "Matrix", "Membership matrix: sectors covered, gaps, MOU follow-up"
    ),
    Command("escape", "back", "Back", "Back to the home screen"),
]

SUBCOMMITTEES = [
    Command("n", "new", "New", "Add a subcommittee"),
    Command("e", "edit", "Edit", "Edit the selected subcommittee: name, charge, chair, members"),
    Command("t", "tracker", "Its actions", "Open the action tracker filtered to this subcommittee"),
    Command("escape", "back", "Back", "Back to the home screen"),
]

ACTIONS = [
    Command("d", "close('done')", "Done", "Mark the selected action done, with a report-back note"),
    Command("x", "close('dropped')", "Drop", "Drop the selected action, with a note saying why"),
    Command("r", "reassign", "Reassign", "Give the selected action to another owner"),
    Command("p", "postpone", "Postpone", "New report-back date, with a reason (kept in history)"),
    Command("f", "filter", "Filter", "Filter by status, subcommittee, owner, overdue, due before"),
    Command("o", "toggle_overdue", "Overdue", "Show only overdue actions (press again for all)"),
    Command(
        "s", "cycle_status", "Status", "Cycle the status: open, done, dropped, all", show=False
    ),
    Command("c", "clear_filters", "Clear", "Clear filters: open, soonest first", show=False),
    Command("t", "toggle_order", "Order", "Report-back date: soonest or latest first", show=False),
    Command(
        "u",
        "unlock",
        "Unlock",
        "Unlock confidential action text for this session (asks first); again to lock",
        show=False,
    ),
    Command("ctrl+r", "refresh", "Refresh", "Reload the actions from disk", show=False),
    Command("escape", "back", "Back", "Back to the previous screen", show=False),
]

HISTORY = [
    Command("enter", "open", "Open", "Open the selected meeting (read-only)", show=False),
    Command("s", "search", "Search", "Search notes, decisions, actions and agenda titles"),
    Command("1", "tab('meetings')", "Meetings", "Show all meetings", show=False),
    Command("2", "tab('search')", "Results", "Show the search box and results", show=False),
    Command(
        "3", "tab('trends')", "Trends", "Trends: attendance, organizations, ratings, meeting length"
    ),
    Command(
        "u", "unlock", "Unlock", "Unlock confidential notes for this session (asks); again locks"
    ),
    Command("r", "report", "Report", "The year in numbers: the annual report on screen, exports"),
    Command("ctrl+r", "refresh", "Refresh", "Reload the meetings from disk", show=False),
    Command("escape", "back", "Back", "Back (from the search box: to the results)"),
]

# The annual report screen (ui/screens/report.py), opened from the history with r.
REPORT = [
    Command("left_square_bracket", "year(-1)", "Prev year", "Show the year before"),
    Command("right_square_bracket", "year(1)", "Next year", "Show the year after"),
    Command("m", "export('md')", "Markdown", "Export this year's report as Markdown"),
    Command("h", "export('html')", "HTML", "Export this year's report as HTML, with charts"),
    Command("w", "export('docx')", "Word", "Export this year's report as Word, with charts"),
    Command("escape", "back", "Back", "Back to the history"),
]

MEETING_DETAIL = [
    Command("u", "unlock", "Unlock", "Show confidential notes (asks first); again to lock"),
    Command(
        "c", "correct_record", "Correct", "Correct the record (until the minutes are approved)"
    ),
    Command("escape", "back", "Back", "Back to the history"),
]

RECORD = [
    Command("e,enter", "edit", "Edit", "Correct the selected decision, action, feedback or notes"),
    Command("x,delete", "delete", "Delete", "Delete the selected entry from the record (asks)"),
    Command("escape", "close", "Back", "Back (every correction is in the audit log)"),
]

CONFLICT = [
    Command("m", "choose('mine')", "Keep mine", "Save your version over theirs", priority=True),
    Command("t", "choose('theirs')", "Take theirs", "Drop your edits, keep theirs", priority=True),
    Command("b", "choose('both')", "Keep both", "Save both versions, merged", priority=True),
    Command("escape", "later", "Decide later", "Keep your text on screen, unsaved"),
]

FOLLOW = [
    Command("q", "app.quit", "Quit", "Close the follow view (it never changes anything)"),
    Command("ctrl+t", "app.cycle_theme", "Theme", "Switch theme (projector: high contrast)"),
]

TABLES: dict[str, list[Command]] = {
    "Everywhere": GLOBAL,
    "Home": HOME,
    "Meeting": MEETING,
    "Roll call": ROLL_CALL,
    "Round around the table": ROUND,
    "Case-review reminder": CASE_REVIEW,
    "Close": CLOSE,
    "Roster": ROSTER,
    "Subcommittees": SUBCOMMITTEES,
    "Action tracker": ACTIONS,
    "History": HISTORY,
    "Annual report": REPORT,
    "Meeting (read-only)": MEETING_DETAIL,
    "Correct the record": RECORD,
    "Notes conflict": CONFLICT,
    "Follow view (facilitate follow)": FOLLOW,
}
