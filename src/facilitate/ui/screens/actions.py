"""Action tracker: every action item across all meetings, filtered and sorted in memory.

The workspace is read once when the screen opens (and on Ctrl+R); filters and sorting never
touch the disk. Closing, postponing and reassigning save one meeting file and update the row
in place.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ...domain.actions import ActionItem, ActionStatus
from ...domain.common import FacilitateError
from ...domain.trends import local_today
from ...tracker.actions import (
    STATUS_CYCLE,
    ActionFilter,
    ActionRow,
    TrackerData,
    load_tracker,
    with_filter,
)
from ..commands import ACTIONS, bindings
from ..redraw import ChangedOnly, SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line, wrap_cells
from ..tables import FixedTable
from .tracker_dialogs import (
    ActionFilterForm,
    CloseActionForm,
    PostponeForm,
    ReassignForm,
    fapp,
    set_columns,
)
from .unlock import ConfidentialMarker, confidential_unlocked, toggle_unlock

OVERDUE_STYLE = "bold $error"


CELLS_AFTER = 0.05  # seconds after the tracker's first frame: every row's cells are made
CELLS_CHUNK = 150  # rows per step (~3 ms at ten years): a key pressed meanwhile waits for one
CELLS_GAP = 0.01  # seconds between two steps


class ActionsScreen(SafeTitles, Screen[None]):
    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)
    _width = 0  # the terminal width the tables were last laid out for
    _away = False  # another screen or dialog is on top
    _shown_unlocked = False  # whether the rows on screen show confidential text
    COMMAND_TABLE = ACTIONS
    BINDINGS = bindings(ACTIONS)

    def __init__(self, flt: ActionFilter | None = None) -> None:
        super().__init__()
        self.filter = flt or ActionFilter()
        self.data: TrackerData | None = None
        self.rows: list[ActionRow] = []
        self._cell_cache: dict[int, tuple[ActionRow, bool, tuple[Content, ...]]] = {}
        self._redraw = ChangedOnly()

    def compose(self) -> ComposeResult:
        yield Header()
        yield ConfidentialMarker(id="conf-marker", classes="conf-marker")
        yield Static(id="filter-line")
        yield FixedTable(id="action-table", cursor_type="row")
        yield Static(id="action-detail")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Action tracker"
        self.load()
        self.query_one("#action-table", DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        """Back from a dialog or another screen: the unlock, or the day, may have changed."""
        self.query_one(ConfidentialMarker).refresh_marker()
        if self.data is None or not self._away:
            return
        self._away = False
        tz = self.data.roster.profile.timezone
        today = local_today(fapp(self).clock(), tz)
        if today != self.data.today:
            self.data.set_today(today)
            self._cell_cache.clear()  # (every row is a new object)
            self.show()
        elif self.unlocked != self._shown_unlocked:
            self.show()

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None and self.app.size.width != self._width:
            self.show()

    @property
    def unlocked(self) -> bool:
        return confidential_unlocked(self.app)

    # --- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Read every meeting once; everything after this is in memory."""
        try:
            self.data = load_tracker(fapp(self).ws, fapp(self).clock())
            self._cell_cache.clear()
        except FacilitateError as exc:
            fapp(self).report(exc)
            return
        for problem in self.data.view.problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        self.show()
        data = self.data
        self.call_after_refresh(
            lambda: self.set_timer(CELLS_AFTER, lambda: self._make_cells(data, 0))
        )

    def _make_cells(self, data: TrackerData, start: int) -> None:
        """Make the cells of the rows no filter has shown yet, once the tracker is on
        screen, CELLS_CHUNK rows at a time (in one go, ~25 ms at ten years, a key pressed
        meanwhile would wait for all of it): the first filter that shows them (all
        actions, ~1,100 at ten years) then costs one frame (~20 ms), not ~50-70 ms. Stops
        when the tracker has been loaded again or closed."""
        if data is not self.data or not self.is_attached:
            return
        unlocked = self.unlocked
        end = start + CELLS_CHUNK
        for row in data.rows[start:end]:
            self._cells(row, unlocked)
        if end < len(data.rows):
            self.set_timer(CELLS_GAP, lambda: self._make_cells(data, end))

    def show(self, select: str | None = None) -> None:
        data = self.data
        if data is None:
            return
        table = self.query_one("#action-table", FixedTable)
        current = self.selected()
        row_index = table.cursor_row
        self.rows = data.select(self.filter)
        self._width = self.app.size.width
        set_columns(
            table,
            [
                ("due", "Due", 10),
                ("status", "Status", 7),
                ("text", "Action", 0),
                ("who", "Owner / subcommittee", 18),
            ],
            self.app.size.width,
        )
        unlocked = self._shown_unlocked = self.unlocked
        table.add_keyed_rows((r.id, self._cells(r, unlocked)) for r in self.rows)
        target = select or (current.id if current else None)
        ids = [r.id for r in self.rows]
        if target in ids:
            table.move_cursor(row=ids.index(target))
        elif self.rows:
            table.move_cursor(row=min(max(row_index, 0), len(self.rows) - 1))
        counts = data.counts()
        shown = len(self.rows)
        overdue_shown = sum(1 for r in self.rows if r.overdue)
        self.query_one("#filter-line", Static).update(
            labelled(
                "[b]$shown of $all actions[/b], [b $error]$overdue overdue[/]: $filter",
                shown=shown,
                all=counts["all"],
                filter=one_line(self.filter.describe(data.roster), max(20, self._width - 30)),
                overdue=overdue_shown,
            ),
            layout=False,  # its height is fixed (between.tcss): a layout pass costs a frame
        )
        self._show_detail()

    def _cells(self, row: ActionRow, unlocked: bool) -> tuple[Content, ...]:
        """What the table shows for ``row``, made once per row object: a filter key refills
        the table with up to a thousand rows, and rows are new objects whenever they change
        (a save, another day, a reload), so a kept result is never stale."""
        kept = self._cell_cache.get(id(row))
        if kept is not None and kept[0] is row and kept[1] == unlocked:
            return kept[2]
        cells = _row_cells(row, unlocked)
        self._cell_cache[id(row)] = (row, unlocked, cells)  # (holding row keeps its id unique)
        return cells

    def selected(self) -> ActionRow | None:
        table = self.query_one("#action-table", DataTable)
        if not table.row_count or not self.rows:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r.id == key), None)

    @on(DataTable.RowHighlighted, "#action-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self.selected()
        box = self.query_one("#action-detail", Static)
        if row is None:
            self._redraw.static(
                box,
                "No actions match these filters. Press c to clear them."
                if self.data and self.data.rows
                else "No action items yet: they are recorded during meetings (a).",
                layout=False,  # (fixed height)
            )
            return
        a = row.action
        unlocked = self.unlocked
        width = max(30, self.app.size.width - 2)
        when = row.meeting.local(row.meeting.start).format("D MMM YYYY")
        due = row.due_label
        if row.overdue:
            due += f", {row.days_overdue} day(s) overdue"
        elif a.due_next_meeting:
            due += " (next meeting)"
        history = "; ".join(
            f"{e.at.in_timezone(row.meeting.timezone).format('D MMM')} {e.what}"
            for e in reversed(a.history[-2:])  # newest first
        )
        if row.confidential and not unlocked and history:
            history = "(withheld)"
        text = one_line(row.text(unlocked))
        wrapped = [line for line in wrap_cells(text, width) if line] or [""]
        if len(wrapped) > 2:
            wrapped = [wrapped[0], one_line(" ".join(wrapped[1:]), width)]
        lines = [
            *(Content(part) for part in wrapped),
            *([Content("")] if len(wrapped) < 2 else []),
            labelled(
                "[b]Raised[/b] $when in $meeting",
                when=when,
                meeting=one_line(row.meeting.title, width - 22),
            ),
            labelled(
                "[b]Report back[/b] $due  [b]Note[/b] $note",
                due=due,
                note=one_line(row.report_back_note(unlocked), width - 30 - len(due)) or "-",
            ),
            labelled("[b]History[/b] $history", history=one_line(history, width - 8) or "-"),
        ]
        # Shown once per change: refilling the table highlights its row again afterwards.
        self._redraw.static(box, Content("\n").join(lines), layout=False)  # (fixed height)

    # --- changes ----------------------------------------------------------------------------

    def _saved(self, action: ActionItem, message: str) -> None:
        assert self.data is not None
        self.data.replace_action(action)
        self.show(select=action.id)
        row = self.data.row(action.id)
        text = one_line(row.text(self.unlocked) if row else action.text, 50)
        self.notify(f"{message}: {text}", markup=False, timeout=4)

    def _open_row(self) -> ActionRow | None:
        row = self.selected()
        if row is None:
            self.notify("No action selected.")
            return None
        if row.action.status is not ActionStatus.OPEN:
            self.notify(f"That action is already {row.action.status.value}.")
            return None
        return row

    def action_close(self, status: str) -> None:
        row = self._open_row()
        if row is None:
            return
        closing = ActionStatus(status)
        form = CloseActionForm(fapp(self).ws, row, closing, fapp(self).clock, self.unlocked)

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                self._saved(form.result, "Done" if closing is ActionStatus.DONE else "Dropped")

        self.app.push_screen(form, done)

    def action_postpone(self) -> None:
        row = self._open_row()
        if row is None or self.data is None:
            return
        form = PostponeForm(
            fapp(self).ws,
            row,
            fapp(self).clock,
            self.data.today,
            self.unlocked,
        )

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                self._saved(form.result, f"Postponed to {form.result.due_label()}")

        self.app.push_screen(form, done)

    def action_reassign(self) -> None:
        row = self._open_row()
        if row is None or self.data is None:
            return
        form = ReassignForm(
            fapp(self).ws,
            row,
            self.data.roster,
            fapp(self).clock,
            self.unlocked,
        )

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                self._saved(form.result, "Reassigned")

        self.app.push_screen(form, done)

    # --- filters ----------------------------------------------------------------------------

    def _set_filter(self, flt: ActionFilter) -> None:
        self.filter = flt
        self.show()

    def action_filter(self) -> None:
        if self.data is None:
            return
        form = ActionFilterForm(self.data.roster, self.filter, self.data.today)

        def done(applied: bool | None) -> None:
            if applied and form.result is not None:
                self._set_filter(form.result)

        self.app.push_screen(form, done)

    def action_toggle_overdue(self) -> None:
        if self.filter.overdue_only:
            self._set_filter(with_filter(self.filter, overdue_only=False))
        else:
            status = "open" if self.filter.status in ("done", "dropped", "closed") else None
            changes: dict[str, Any] = {"overdue_only": True}
            if status:
                changes["status"] = status
            self._set_filter(with_filter(self.filter, **changes))

    def action_cycle_status(self) -> None:
        current = self.filter.status
        nxt = (
            STATUS_CYCLE[(STATUS_CYCLE.index(current) + 1) % len(STATUS_CYCLE)]
            if (current in STATUS_CYCLE)
            else "open"
        )
        self._set_filter(with_filter(self.filter, status=nxt))

    def action_clear_filters(self) -> None:
        self._set_filter(ActionFilter())

    def action_toggle_order(self) -> None:
        self._set_filter(with_filter(self.filter, newest_first=not self.filter.newest_first))

    def action_unlock(self) -> None:
        def after() -> None:
            self.query_one(ConfidentialMarker).refresh_marker()
            self.show()

        toggle_unlock(self, after)

    def action_refresh(self) -> None:
        self.load()
        self.notify("Reloaded.", timeout=2)

    def action_back(self) -> None:
        self.dismiss(None)


def _row_cells(r: ActionRow, unlocked: bool) -> tuple[Content, ...]:
    style = OVERDUE_STYLE if r.overdue else ""
    status = "OVERDUE" if r.overdue else r.action.status.value
    text = one_line(r.text(unlocked))
    return (
        Content.styled(r.due_label, style),
        Content.styled(status, style or _status_style(r.action)),
        Content.styled(text, "italic $foreground-muted")
        if r.confidential and not unlocked
        else Content(text),
        Content(one_line(r.who)),
    )


def _status_style(action: ActionItem) -> str:
    if action.status is ActionStatus.DONE:
        return "$success"
    if action.status is ActionStatus.DROPPED:
        return "$foreground-muted"
    return ""
