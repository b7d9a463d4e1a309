"""Introductions and roll call: mark each person with one key, add walk-in guests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import ComposeResult, ScreenStackError
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Header, Static

from ...domain.common import counted
from ...domain.meeting import Attendance, AttendanceStatus, summarize_attendance
from ...domain.roster import Roster
from ...services.live import LiveMeeting
from ...storage.index import FileKey, file_key
from ...storage.workspace import MeetingBundle
from ..commands import ROLL_CALL, ROLL_CALL_HELP_AT, bindings
from ..redraw import SteadyFooter, update_auto_height
from ..safe_text import SafeTitles, one_line, safe
from ..tables import FixedTable, update_in_place
from .room_clock import room_clock

ROLL_CALL_COLUMNS = (
    ("name", "Name", 20),
    ("role", "Role", 14),
    ("org", "Organization", 18),
    ("status", "Status", 10),
    ("intro", "Intro", 5),
)


def _status(a: Attendance) -> str:
    if a.status is AttendanceStatus.EXPECTED:
        return "-"
    if a.stepped_out and a.status.in_room:
        return "Out (case)"  # (stepped out for a confidential item)
    return a.status.label


class RollCallScreen(SafeTitles, Screen[None]):
    CSS_PATH = "meeting.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = ROLL_CALL
    BINDINGS = bindings(ROLL_CALL, help_at=ROLL_CALL_HELP_AT)

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.records: list[Attendance] = []
        self._roster_cache: tuple[FileKey | None, Roster] | None = None
        self._unsaved: list[Callable[[], None]] = []  # marks drawn, saved next (action_mark)
        self._texts: dict[str, str] = {}  # the heading's and the summary's text as shown

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title_text(), id="rollcall-title")
        yield FixedTable(id="attendance", cursor_type="row")
        yield Static(id="rollcall-summary")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#attendance", FixedTable)
        for key, label, width in ROLL_CALL_COLUMNS:
            table.add_column(label, key=key, width=width)
        # Roles and organizations take the spare room of a wider terminal.
        table.fitted = {key: width for key, _, width in ROLL_CALL_COLUMNS if key in ("role", "org")}
        self.reload()
        table.focus()
        # Introductions are a timed item: the clock and its countdown stay in sight.
        self.set_interval(1.0, self._show_clock)

    def reload(self) -> None:
        """Read the attendance again and show it."""
        self._draw(self.live.load())

    def _draw(self, bundle: MeetingBundle) -> None:
        """Show the attendance. A mark changes one row: only its changed cells are updated
        (no clear, no re-measuring of every row); a new guest or a re-sort rebuilds."""
        self._bundle = bundle
        self._show_clock()
        members_first = sorted(
            bundle.attendance,
            key=lambda a: (a.is_guest, a.organization_name.lower(), a.name.lower()),
        )
        self.records = members_first
        rows: list[tuple[str, tuple[Any, ...]]] = []
        for a in self.records:
            name = one_line(a.name) + (" (guest)" if a.is_guest else "")
            cells = (
                safe(name),
                safe(one_line(a.role)),
                safe(one_line(a.organization_name)),
                _status(a),
                "yes" if a.introduced else "",
            )
            rows.append((a.id, cells))
        table = self.query_one("#attendance", FixedTable)
        if not update_in_place(table, [key for key, _, _ in ROLL_CALL_COLUMNS], rows):
            row = table.cursor_row
            table.clear()
            table.add_keyed_rows(rows)
            if self.records:
                table.move_cursor(row=min(max(row, 0), len(self.records) - 1))
        s = summarize_attendance(bundle.attendance, self._roster())
        quorum = "met" if s.quorum_met else "NOT met"
        missing = "; ".join(s.missing_organizations[:6])  # a name may hold a comma
        if len(s.missing_organizations) > 6:
            missing += f" +{len(s.missing_organizations) - 6} more"
        introduced = sum(1 for a in bundle.attendance if a.introduced)
        # Who is in the room now: left early and stepped out no longer count; guests are
        # people, not organizations.
        present = f"{s.present}" + (f" ({counted(s.guests, 'guest')})" if s.guests else "")
        gone = f"   Left {s.left_early}" if s.left_early else ""
        gone += f"   Out {s.stepped_out}" if s.stepped_out else ""
        needs = counted(s.quorum_required, "org")
        text = (
            f"Present {present}{gone}   Introduced {introduced}   Organizations "
            f"{s.member_organizations}   Sectors {len(s.sectors)}   Quorum {quorum} "
            f"(needs {needs})\nMissing: {missing or 'none'}"
        )
        if text != self._texts.get("summary"):  # (the reload after a mark: the same, mostly)
            self._texts["summary"] = text
            update_auto_height(self.query_one("#rollcall-summary", Static), safe(text))
        self.query_one("#rollcall-summary").set_class(not s.quorum_met, "behind")

    def _title_text(self) -> str:
        """The heading, with the time of day and the current item's countdown."""
        heading = "Introductions: name, role and organization"
        bundle = getattr(self, "_bundle", None)
        if bundle is None:
            return heading
        # (The clock first: at 80 columns the heading's end is what gets cut.)
        return f"{room_clock(bundle, self.live.now())}   {heading}"

    def _show_clock(self) -> None:
        text = self._title_text()
        if text != self._texts.get("title"):
            self._texts["title"] = text
            self.query_one("#rollcall-title", Static).update(safe(text))

    def _roster(self) -> Roster:
        """The roster, decoded again only when collaborative.json changed (a mark does not
        touch it; another instance adding a member does)."""
        key = file_key(self.live.ws.collaborative_path)
        if self._roster_cache is None or key is None or self._roster_cache[0] != key:
            self._roster_cache = (key, self.live.ws.snapshot().roster())
        return self._roster_cache[1]

    def _selected(self) -> str | None:
        table = self.query_one("#attendance", FixedTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _apply(self, fn, *args) -> None:  # type: ignore[no-untyped-def]
        """A save (kept in order by the app's SaveQueue while another process holds the
        workspace lock), then a redraw."""
        if self.app.saves.save(partial(fn, *args), self._reload_after) is None:  # type: ignore[attr-defined]
            self.reload()  # (failed and reported, or waiting: show what is on disk)

    def _reload_after(self, result: object) -> None:
        self.reload()

    def action_mark(self, status: str) -> None:
        """The mark is drawn first, from the attendance in memory, and saved right after that
        frame (as the meeting's next item): the durable save and the re-read of the meeting no
        longer stand between the key and the screen. Saves keep their order (_save_marks)."""
        selected = self._selected()
        if selected:
            self._save_marks()
            mark = AttendanceStatus(status)
            record = next((a for a in self._bundle.attendance if a.id == selected), None)
            if record is not None:
                record.status = mark
                self._draw(self._bundle)
            self._unsaved.append(partial(self._apply, self.live.mark, selected, mark))
            self.call_after_refresh(self._save_marks)
            table = self.query_one("#attendance", FixedTable)
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1)

    def _save_marks(self) -> None:
        """Save the marks drawn and not saved yet, in order; every other change of this
        screen (introduced, a guest, leaving it) calls this first."""
        while self._unsaved:
            self._unsaved.pop(0)()

    def action_introduced(self) -> None:
        self._save_marks()
        selected = self._selected()
        if selected:
            self._apply(self.live.toggle_introduced, selected)

    def action_guest(self) -> None:
        from .dialogs import GuestForm

        self._save_marks()
        self.app.push_screen(GuestForm(self.live), lambda _: self.reload())

    def action_back(self) -> None:
        self._save_marks()
        self.dismiss(None)

    def on_unmount(self) -> None:
        with contextlib.suppress(NoMatches, ScreenStackError):  # (closing: saved, not drawn)
            self._save_marks()
