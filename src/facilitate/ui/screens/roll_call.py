"""Introductions and roll call: mark each person with one key, add walk-in guests."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static

from ...domain.common import FacilitateError, counted
from ...domain.meeting import Attendance, AttendanceStatus, summarize_attendance
from ...domain.roster import Roster
from ...services.live import LiveMeeting
from ...storage.index import FileKey, file_key
from ..commands import ROLL_CALL, ROLL_CALL_HELP_AT, bindings
from ..redraw import SteadyFooter, update_auto_height
from ..safe_text import one_line, safe
from ..tables import FixedTable, update_in_place

ROLL_CALL_COLUMNS = (
    ("name", "Name", 20),
    ("role", "Role", 14),
    ("org", "Organization", 18),
    ("status", "Status", 10),
    ("intro", "Intro", 5),
)


class RollCallScreen(Screen[None]):
    CSS_PATH = "meeting.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = ROLL_CALL
    BINDINGS = bindings(ROLL_CALL, help_at=ROLL_CALL_HELP_AT)

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.records: list[Attendance] = []
        self._roster_cache: tuple[FileKey | None, Roster] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Introductions: name, role and organization", id="rollcall-title")
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

    def reload(self) -> None:
        """Show the attendance. A mark changes one row: only its changed cells are updated
        (no clear, no re-measuring of every row); a new guest or a re-sort rebuilds."""
        bundle = self.live.load()
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
                a.status.label if a.status is not AttendanceStatus.EXPECTED else "-",
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
        # Guests' organizations are listed but do not count towards quorum: shown apart.
        guests = len(s.organizations) - s.member_organizations
        orgs = f"{s.member_organizations}" + (f" (+{counted(guests, 'guest')})" if guests else "")
        needs = counted(s.quorum_required, "org")
        text = (
            f"Present {s.present}   Introduced {introduced}   Organizations {orgs}"
            f"   Sectors {len(s.sectors)}   Quorum {quorum} (needs {needs})\n"
            f"Missing: {missing or 'none'}"
        )
        update_auto_height(self.query_one("#rollcall-summary", Static), safe(text))
        self.query_one("#rollcall-summary").set_class(not s.quorum_met, "behind")

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
        try:
            fn(*args)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
        self.reload()

    def action_mark(self, status: str) -> None:
        selected = self._selected()
        if selected:
            self._apply(self.live.mark, selected, AttendanceStatus(status))
            table = self.query_one("#attendance", FixedTable)
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1)

    def action_introduced(self) -> None:
        selected = self._selected()
        if selected:
            self._apply(self.live.toggle_introduced, selected)

    def action_guest(self) -> None:
        from .dialogs import GuestForm

        self.app.push_screen(GuestForm(self.live), lambda _: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
