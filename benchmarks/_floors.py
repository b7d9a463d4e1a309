"""Stock-Textual floors for the key benchmark: the change each facilitate key makes on screen,
made by stock Textual widgets in an app as small as the minimal one (Header + widget + Footer,
80x24), with nothing of facilitate in it: no storage, no save, no meeting.

They answer "what does Textual itself cost to make this change?": the key target is p95 <= 1.5x
the floor of the same change, measured in the same run. Each floor is measured the same
way as the keys (``_tui.Probe``), in the same run, interleaved with the minimal app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static, TextArea

NOTES = (
    "Shelter reports two new referrals this month; the hotline saw a rise in calls about "
    "labour cases. The prosecutor's office asked for earlier contact on witness support.\n"
)


class _Base(App[None]):
    """Header + the widget(s) under test + Footer, like the minimal app."""

    BINDINGS = [Binding("x", "step", "Step")]
    count = 0

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.body()
        yield Footer()

    def action_step(self) -> None:
        self.count += 1
        self.step(self.count)

    def step(self, n: int) -> None:
        raise NotImplementedError


class StaticText(_Base):
    def body(self) -> ComposeResult:
        yield Static("Item 0: Agency updates", id="title")

    def step(self, n: int) -> None:
        self.query_one("#title", Static).update(f"Item {n}: Agency updates")


class Typing(App[None]):
    """A stock TextArea with soft wrap, as the meeting's notes box; keys type into it."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextArea(NOTES * 2, id="notes", soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)


def _agenda(table: DataTable[str], rows: int) -> None:
    table.cursor_type = "row"
    table.add_columns("#", "Item", "Minutes", "Used")
    table.add_rows([(str(i + 1), f"Agenda item {i + 1}", "10", "0:00") for i in range(rows)])


class Cell(_Base):
    """One cell of a 60-row table changes (as a roll-call mark changes one person's row)."""

    def body(self) -> ComposeResult:
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.cursor_type = "row"
        self.columns = table.add_columns("Name", "Organization", "Status")
        for i in range(60):
            table.add_row(f"Member {i}", f"Agency {i % 12}", "-", key=str(i))

    def step(self, n: int) -> None:
        table = self.query_one(DataTable)
        table.update_cell(str(n % 10), self.columns[2], "present" if n % 2 else "absent")


class Step(_Base):
    """Next item: the agenda's cursor moves down one row, the title and the notes change."""

    def body(self) -> ComposeResult:
        yield DataTable(id="agenda")
        yield Static("", id="title")
        yield TextArea("", id="notes", soft_wrap=True)

    def on_mount(self) -> None:
        _agenda(self.query_one(DataTable), 15)

    def step(self, n: int) -> None:
        table = self.query_one(DataTable)
        row = n % table.row_count
        table.move_cursor(row=row)
        self.query_one("#title", Static).update(f"Agenda item {row + 1}")
        self.query_one("#notes", TextArea).load_text(NOTES if n % 2 else NOTES * 2)


class Refill(_Base):
    """A filter: a 7-column table emptied and refilled, in the tracker's cycle of row counts
    on ten years (done 833, dropped 98, all 1,000, open 69)."""

    COUNTS = (833, 98, 1000, 69)

    def body(self) -> ComposeResult:
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.cursor_type = "row"
        table.add_columns("Due", "Action", "Owner", "Status", "From", "Sub", "Id")
        self.rows = [
            (
                f"2026-{1 + i % 12:02}-{1 + i % 28:02}",
                f"Follow up {i}",
                f"Member {i % 300}",
                "open",
                "2026-01",
                "Training",
                f"A{i}",
            )
            for i in range(1000)
        ]
        table.add_rows(self.rows[:69])

    def step(self, n: int) -> None:
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(self.rows[: self.COUNTS[n % len(self.COUNTS)]])


class _Form(ModalScreen[None]):
    """A form like the decision form: title, "On:" line, text, method, dissent, error line."""

    BINDINGS = [Binding("escape", "dismiss", "Back")]

    def compose(self) -> ComposeResult:
        yield Label("Record a decision")
        yield Static("On: Agency updates")
        yield Input(placeholder="Decision text")
        yield Select([("Consensus", "c"), ("Vote", "v")], value="c", allow_blank=False)
        yield Input(placeholder="Dissent or concerns noted (optional)")
        yield Static("", id="error")
        yield Footer()


class Modal(_Base):
    """A form opened over the screen: an installed screen, so the same one each time (the
    cheapest way Textual offers; a new one each time costs several times more)."""

    def body(self) -> ComposeResult:
        yield Static("Meeting screen")

    def on_mount(self) -> None:
        self.install_screen(_Form(), name="form")

    def step(self, n: int) -> None:
        self.push_screen("form")


class StepIntoModal(Step):
    """Next item into a case review: the step above, and a form-sized dialog (the reminder)
    pushed over it in the same key, as an installed screen."""

    def on_mount(self) -> None:
        super().on_mount()
        self.install_screen(_Form(), name="form")

    def step(self, n: int) -> None:
        super().step(n)
        self.push_screen("form")


class TwoLines(_Base):
    """Next speaker: the queue panel's two one-line Statics (who speaks, who waits) change."""

    def body(self) -> ComposeResult:
        yield Static("Agenda and item", id="item")
        yield Static("Speaking 0:00 · 3:00 left: Member 0 (Agency 0)", id="now")
        yield Static("Next (3): Member 1, Member 2, Member 3", id="next")

    def step(self, n: int) -> None:
        self.query_one("#now", Static).update(f"Speaking 0:00 · 3:00 left: Member {n} (Agency)")
        self.query_one("#next", Static).update(f"Next (3): Member {n + 1}, Member {n + 2}")


class _Round(Screen[None]):
    """A screen like the round: heading, a table of the turns, a summary, footer."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("10:04  Information sharing 12:00\nRound on Information sharing", id="t")
        yield DataTable(id="turns", cursor_type="row")
        yield Static("Left 8 of 8: Agency 1; Agency 2 +6 more\n0 turns done; on time", id="s")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Organization", "Status", "Time", "Note")
        self.fill(0)
        table.focus()

    def fill(self, n: int) -> None:
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([(str(i), f"Agency {i} (Member {n})", "-", "", "") for i in range(1, 9)])


class KeptScreen(_Base):
    """Start a round: a screen with a 5-column table of 8 turns, installed once, its rows
    replaced and pushed each time: the cheapest way Textual offers to show that screen (a
    new one each time costs ~2x more), and the way facilitate shows its round screen (kept
    by the meeting screen, refilled for each round)."""

    def body(self) -> ComposeResult:
        yield Static("Meeting screen")

    def on_mount(self) -> None:
        self.install_screen(_Round(), name="round")

    def step(self, n: int) -> None:
        screen = self.get_screen("round")
        if screen.is_mounted:  # (built at its first showing: see Floor.warm)
            screen.fill(n)  # type: ignore[attr-defined]
        self.push_screen(screen)


@dataclass(frozen=True)
class Floor:
    names: tuple[str, ...]  # the facilitate keys it stands beside (none for the smallest)
    what: str
    app: type[App[Any]]
    keys: tuple[str, ...]  # the first is measured; the rest put the app back
    # Pressed once, unmeasured, before the first measured key: the screen facilitate builds
    # ahead of its first use is built here too, so no first showing counts in the floor.
    warm: bool = False


FLOORS = (
    Floor((), "a Static's text replaced", StaticText, ("x",)),
    Floor(("type into notes",), "a character typed into a TextArea (soft wrap)", Typing, ("a",)),
    Floor(("mark present",), "one cell of a 60-row DataTable updated", Cell, ("x",)),
    Floor(
        ("next item",),
        "agenda DataTable cursor down one row, a Static's text and a TextArea's text replaced",
        Step,
        ("x",),
    ),
    Floor(
        ("next item into a case review",),
        "the same, and an installed ModalScreen form pushed over it",
        StepIntoModal,
        ("x", "escape"),
    ),
    # Adding an agenda item and correcting a decision open a form of the same kind.
    Floor(
        ("open decision form", "add an agenda item", "edit a decision"),
        "an installed ModalScreen form pushed",
        Modal,
        ("x", "escape"),
    ),
    Floor(
        ("filter action tracker",),
        "a 7-column DataTable cleared and refilled (1,000 / 833 / 98 / 69 rows)",
        Refill,
        ("x",),
    ),
    Floor(("next speaker",), "two one-line Statics' text replaced", TwoLines, ("x",)),
    Floor(
        ("start round",),
        "an installed Screen's 5-column DataTable refilled (8 rows) and the Screen pushed",
        KeptScreen,
        ("x", "escape"),
        warm=True,
    ),
)
