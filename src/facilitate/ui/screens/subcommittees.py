"""Subcommittees: charge, chair and members, their open actions and next report-back."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ...domain.common import FacilitateError
from ...domain.roster import Subcommittee
from ...tracker.actions import ActionFilter, ActionRow, TrackerData, load_tracker
from ..commands import SUBCOMMITTEES, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line, plain
from ..tables import FixedTable
from .tracker_dialogs import SubcommitteeForm, fapp, set_columns
from .unlock import confidential_unlocked

MAX_ACTIONS_LISTED = 6


class SubcommitteesScreen(SafeTitles, Screen[None]):
    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)
    _width = 0  # the terminal width the tables were last laid out for
    COMMAND_TABLE = SUBCOMMITTEES
    BINDINGS = bindings(SUBCOMMITTEES)

    def __init__(self) -> None:
        super().__init__()
        self.data: TrackerData | None = None
        self._away = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield FixedTable(id="sub-table", cursor_type="row")
        with VerticalScroll(id="sub-detail-box"):
            yield Static(id="sub-detail")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Subcommittees"
        self.load()
        self.query_one("#sub-table", DataTable).focus()

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self._away:  # back from the tracker or a form: actions may have changed
            self._away = False
            self.load()

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None and self.app.size.width != self._width:
            self.show()

    def load(self, select: str | None = None) -> None:
        try:
            self.data = load_tracker(fapp(self).ws, fapp(self).clock())
        except FacilitateError as exc:
            fapp(self).report(exc)
            return
        self.show(select)

    def open_rows(self, sub_id: str) -> list[ActionRow]:
        assert self.data is not None
        return self.data.select(ActionFilter(status="open", subcommittee_id=sub_id))

    def show(self, select: str | None = None) -> None:
        data = self.data
        assert data is not None
        roster = data.roster
        self._width = self.app.size.width
        table = self.query_one("#sub-table", DataTable)
        current = self.selected()
        row_index = table.cursor_row
        set_columns(
            table,
            [
                ("name", "Subcommittee", 0),
                ("chair", "Chair", 20),
                ("members", "Ppl", 3),
                ("open", "Open", 4),
                ("next", "Next report", 11),
            ],
            self.app.size.width,
        )
        for sub in roster.subcommittees:
            chair = roster.member(sub.chair_id) if sub.chair_id else None
            rows = self.open_rows(sub.id)
            overdue = sum(1 for r in rows if r.overdue)
            nxt = next((r.due_label for r in rows if r.report_back is not None), "-")
            table.add_row(
                Content(one_line(sub.name)),
                Content(one_line(chair.name)) if chair else Content.styled("none", "$warning"),
                str(len(sub.member_ids)),
                Content.styled(
                    f"{len(rows)}!" if overdue else str(len(rows)), "bold $error" if overdue else ""
                ),
                nxt,
                key=sub.id,
            )
        ids = [s.id for s in roster.subcommittees]
        target = select or (current.id if current else None)
        if target in ids:
            table.move_cursor(row=ids.index(target))
        elif ids:
            table.move_cursor(row=min(max(row_index, 0), len(ids) - 1))
        self._show_detail()

    def selected(self) -> Subcommittee | None:
        table = self.query_one("#sub-table", DataTable)
        if self.data is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.data.roster.subcommittee(key or "")

    @on(DataTable.RowHighlighted, "#sub-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        box = self.query_one("#sub-detail", Static)
        sub = self.selected()
        if sub is None or self.data is None:
            box.update("No subcommittees yet. Press n to add one.")
            return
        roster = self.data.roster
        chair = roster.member(sub.chair_id) if sub.chair_id else None
        people = [roster.member(mid) for mid in sub.member_ids]
        names = ", ".join(
            one_line(m.name) + ("" if m.active else " (inactive)") for m in people if m
        )
        rows = self.open_rows(sub.id)
        unlocked = confidential_unlocked(self.app)
        dated = [r for r in rows if r.report_back is not None]
        if dated:
            first = dated[0]
            due_then = sum(1 for r in dated if r.report_back == first.report_back)
            when = first.report_back.format("ddd D MMM YYYY") if first.report_back else ""
            overdue = " (OVERDUE)" if first.overdue else ""
            next_line = f"{when}{overdue}: {due_then} action(s) due"
        elif rows:
            next_line = "at the next meeting (not scheduled yet)"
        else:
            next_line = "nothing open"
        lines = []
        for r in rows[:MAX_ACTIONS_LISTED]:
            flag = "OVERDUE " if r.overdue else ""
            owner = f" ({one_line(r.owner, 24)})" if r.owner else ""
            lines.append(f"- {flag}{r.due_label}: {one_line(r.text(unlocked), 90)}{owner}")
        if len(rows) > MAX_ACTIONS_LISTED:
            lines.append(f"... and {len(rows) - MAX_ACTIONS_LISTED} more (t opens them)")
        box.update(
            labelled(
                "[b]Charge:[/b] $charge\n[b]Chair:[/b] $chair   [b]Members ($count):[/b] $names\n"
                "[b]Next report-back:[/b] $next\n[b]Open actions ($open):[/b]\n$actions",
                charge=plain(sub.charge).strip() or "(none written yet: e edits)",
                chair=one_line(chair.name) if chair else "none",
                count=len(people),
                names=names or "none",
                next=next_line,
                open=len(rows),
                actions="\n".join(lines) or "none",
            )
        )

    # --- actions ----------------------------------------------------------------------------

    def _edit(self, sub: Subcommittee | None) -> None:
        if self.data is None:
            return
        form = SubcommitteeForm(fapp(self).ws, self.data.roster, sub)

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                self.load(select=form.result.id)
                verb = "Saved" if sub else "Added"
                self.notify(f"{verb} {one_line(form.result.name, 50)}.", markup=False, timeout=4)

        self.app.push_screen(form, done)

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        sub = self.selected()
        if sub is None:
            self.notify("No subcommittee selected: press n to add one.")
            return
        self._edit(sub)

    def action_tracker(self) -> None:
        from .actions import ActionsScreen

        sub = self.selected()
        if sub is None:
            self.notify("No subcommittee selected.")
            return
        self.app.push_screen(ActionsScreen(ActionFilter(status="open", subcommittee_id=sub.id)))

    def action_back(self) -> None:
        self.dismiss(None)
