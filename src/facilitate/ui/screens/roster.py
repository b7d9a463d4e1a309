"""Roster: organizations, members, and the membership matrix (sectors, gaps, MOUs)."""

from __future__ import annotations

from typing import Any

from pendulum import Date
from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from ...domain.common import FacilitateError
from ...domain.matrix import membership_matrix
from ...domain.roster import Member, MouStatus, Organization, Roster, Sector
from ...domain.trends import local_today
from ...tracker import roster as roster_edits
from ..commands import ROSTER, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line
from ..tables import FixedTable
from .tracker_dialogs import MemberForm, OrganizationForm, fapp, set_columns

TABS = ("orgs", "members", "matrix")

MOU_STYLE = {
    MouStatus.SIGNED: "",
    MouStatus.IN_REVIEW: "$warning",
    MouStatus.UNSIGNED_COMMITMENT: "$warning",
    MouStatus.NONE: "$error",
}


SHORT_SECTOR = {
    Sector.LAW_ENFORCEMENT_LOCAL: "Law enf. (local)",
    Sector.LAW_ENFORCEMENT_STATE: "Law enf. (state)",
    Sector.LAW_ENFORCEMENT_FEDERAL: "Law enf. (federal)",
    Sector.RESEARCHERS: "Researchers",
}


def sector_label(sector: Sector) -> str:
    """The sector's name, shortened to fit an 18-cell column."""
    return SHORT_SECTOR.get(sector, sector.label)


def name_cell(name: str, active: bool) -> Content:
    """A name, marked (and dimmed) when deactivated."""
    if active:
        return Content(one_line(name))
    return Content.assemble(("(inactive) ", "italic"), one_line(name)).stylize("$foreground-muted")


def mou_cell(org: Organization) -> Content:
    return Content.styled(org.mou_label(), MOU_STYLE[org.mou_status])


class RosterScreen(SafeTitles, Screen[None]):
    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)
    _width = 0  # the terminal width the tables were last laid out for
    COMMAND_TABLE = ROSTER
    BINDINGS = bindings(ROSTER)

    def __init__(self, tab: str = "orgs") -> None:
        super().__init__()
        self.initial_tab = tab if tab in TABS else "orgs"
        self.roster: Roster | None = None
        self._covered_before: set[Sector] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="roster-tabs", initial=self.initial_tab):
            with TabPane("Organizations", id="orgs"):
                yield FixedTable(id="org-table", cursor_type="row")
            with TabPane("Members", id="members"):
                yield FixedTable(id="member-table", cursor_type="row")
            with TabPane("Membership matrix", id="matrix"):
                yield Static(id="matrix-summary")
                yield FixedTable(id="matrix-table", cursor_type="row")
                yield Static(id="mou-followup")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Roster"
        self.reload()
        self._focus_table()

    def on_resize(self, event: events.Resize) -> None:
        if self.roster is not None and self.app.size.width != self._width:
            self._fill()

    # --- data -------------------------------------------------------------------------------

    @property
    def today(self) -> Date:
        roster = self.roster
        tz = roster.profile.timezone if roster else "UTC"
        return local_today(fapp(self).clock(), tz)

    def reload(self, select: str | None = None) -> None:
        try:
            self.roster = fapp(self).ws.snapshot().roster()
        except FacilitateError as exc:
            fapp(self).report(exc)
            return
        self._fill(select)

    def _fill(self, select: str | None = None) -> None:
        assert self.roster is not None
        width = self._width = self.app.size.width
        self._fill_orgs(width, select)
        self._fill_members(width, select)
        self._fill_matrix(width, select)

    def _keep(self, table: DataTable[Any], select: str | None, fill: Any) -> None:
        """Refill ``table`` keeping the cursor on the same record (or on ``select``)."""
        current = self._key(table)
        row = table.cursor_row
        fill()
        target = select or current
        if target is not None:
            try:
                table.move_cursor(row=table.get_row_index(target))
                return
            except Exception:  # the record is not in this table
                pass
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    @staticmethod
    def _key(table: DataTable[Any]) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _fill_orgs(self, width: int, select: str | None) -> None:
        roster = self.roster
        assert roster is not None
        table = self.query_one("#org-table", DataTable)
        counts: dict[str, int] = {}
        for m in roster.members:
            if m.active:
                counts[m.organization_id] = counts.get(m.organization_id, 0) + 1

        def fill() -> None:
            set_columns(
                table,
                [
                    ("name", "Organization", 0),
                    ("sector", "Sector", 18),
                    ("mou", "MOU", 19),
                    ("members", "Ppl", 3),
                ],
                width,
            )
            for o in roster.organizations:
                table.add_row(
                    name_cell(o.name, o.active),
                    sector_label(o.sector),
                    mou_cell(o),
                    str(counts.get(o.id, 0)),
                    key=o.id,
                )

        self._keep(table, select, fill)

    def _fill_members(self, width: int, select: str | None) -> None:
        roster = self.roster
        assert roster is not None
        table = self.query_one("#member-table", DataTable)
        wide = width >= 110

        def fill() -> None:
            columns = [
                ("name", "Name", 22),
                ("role", "Role", 0),
                ("org", "Organization", 24 if wide else 20),
            ]
            if wide:
                columns.append(("contact", "Contact", 26))
            set_columns(table, columns, width)
            for m in roster.members:
                org = roster.org(m.organization_id)
                active = m.active and (org is None or org.active)
                cells = [
                    name_cell(m.name, active),
                    Content(one_line(m.role)),
                    Content(one_line(org.name if org else "?")),
                ]
                if wide:
                    cells.append(Content(one_line(m.contact)))
                table.add_row(*cells, key=m.id)

        self._keep(table, select, fill)

    def _fill_matrix(self, width: int, select: str | None) -> None:
        roster = self.roster
        assert roster is not None
        matrix = membership_matrix(roster)
        table = self.query_one("#matrix-table", DataTable)

        def fill() -> None:
            set_columns(
                table,
                [
                    ("sector", "Sector", 18),
                    ("org", "Member organization", 0),
                    ("mou", "MOU", 19),
                    ("members", "Ppl", 3),
                ],
                width,
            )
            for r in matrix.rows:
                if r.organization is None:
                    table.add_row(
                        Content.styled(sector_label(r.sector), "bold $error"),
                        Content.styled("GAP: no member yet - recruit", "bold $error"),
                        "",
                        "",
                        key=f"gap:{r.sector.value}",
                    )
                else:
                    table.add_row(
                        sector_label(r.sector),
                        Content(one_line(r.organization.name)),
                        mou_cell(r.organization),
                        str(r.members),
                        key=f"{r.sector.value}:{r.organization.id}",
                    )

        self._keep(table, select and f"{self._sector_of(select)}:{select}", fill)
        line = max(20, width - 2)
        gaps = ", ".join(s.label for s in matrix.gaps) or "none: every sector is covered"
        self.query_one("#matrix-summary", Static).update(
            labelled(
                "[b]$covered of $total sectors covered[/b] ($signed of $orgs MOUs signed)\n"
                "[b $error]Gaps ($n):[/] $gaps",
                covered=len(matrix.covered),
                total=matrix.sectors_total,
                signed=matrix.mou_counts[MouStatus.SIGNED],
                orgs=sum(matrix.mou_counts.values()),
                n=len(matrix.gaps),
                gaps=one_line(gaps, line - 10 - len(str(len(matrix.gaps)))),
            )
        )
        lines = [labelled("[b]MOUs to follow up[/b]")]
        for status, heading in (
            (MouStatus.IN_REVIEW, "In review"),
            (MouStatus.UNSIGNED_COMMITMENT, "Unsigned commitment"),
            (MouStatus.NONE, "No MOU"),
        ):
            names = [o.name for o in matrix.follow_up if o.mou_status is status]
            label = f"{heading} ({len(names)}): "
            # Up to two lines per status; the MOU column of the table shows every one.
            text = one_line("; ".join(names) or "none", 2 * line - len(label) - 2)
            lines.append(Content.assemble((label, MOU_STYLE[status] or "bold"), text))
        self.query_one("#mou-followup", Static).update(Content("\n").join(lines))

    def _sector_of(self, org_id: str) -> str:
        org = self.roster.org(org_id) if self.roster else None
        return org.sector.value if org else ""

    # --- selection --------------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return str(self.query_one("#roster-tabs", TabbedContent).active or "orgs")

    def _table_for(self, tab: str) -> DataTable[Any]:
        return self.query_one(
            {"orgs": "#org-table", "members": "#member-table", "matrix": "#matrix-table"}[tab],
            DataTable,
        )

    def _focus_table(self) -> None:
        self._table_for(self.tab).focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self._focus_table)

    def selected_org(self) -> Organization | None:
        if self.roster is None:
            return None
        tab = self.tab
        if tab == "members":
            member = self.selected_member()
            return self.roster.org(member.organization_id) if member else None
        key = self._key(self._table_for(tab))
        if key is None or key.startswith("gap:"):
            return None
        return self.roster.org(key.split(":", 1)[-1] if tab == "matrix" else key)

    def selected_member(self) -> Member | None:
        if self.roster is None or self.tab != "members":
            return None
        key = self._key(self._table_for("members"))
        return self.roster.member(key) if key else None

    # --- actions ----------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        if tab in TABS:
            self.query_one("#roster-tabs", TabbedContent).active = tab
            self.call_after_refresh(self._focus_table)

    def action_new_org(self) -> None:
        form = OrganizationForm(fapp(self).ws, self.today)

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                org = form.result
                self.reload(select=org.id)
                covers = (
                    "" if org.sector in self._covered_before else f" - {org.sector.label} covered"
                )
                self.notify(f"Added {one_line(org.name, 50)}{covers}.", markup=False, timeout=4)

        self._covered_before = self.roster.covered_sectors() if self.roster else set()
        self.app.push_screen(form, done)

    def action_new_member(self) -> None:
        if self.roster is None:
            return
        if not self.roster.active_organizations():
            self.notify("Add an organization first (n): every member belongs to one.")
            return
        org = self.selected_org()
        form = MemberForm(
            fapp(self).ws,
            self.roster,
            organization_id=org.id if org and org.active else None,
        )

        def done(saved: bool | None) -> None:
            if saved and form.result is not None:
                self.action_tab("members")
                self.reload(select=form.result.id)
                self.notify(f"Added {one_line(form.result.name, 50)}.", markup=False, timeout=4)

        self.app.push_screen(form, done)

    def action_edit(self) -> None:
        if self.roster is None:
            return
        member = self.selected_member()
        if member is not None:
            mform = MemberForm(fapp(self).ws, self.roster, member)

            def member_done(saved: bool | None) -> None:
                if saved and mform.result is not None:
                    self.reload(select=mform.result.id)
                    self.notify(f"Saved {one_line(mform.result.name, 50)}.", markup=False)

            self.app.push_screen(mform, member_done)
            return
        org = self.selected_org()
        if org is None:
            self.notify("Select an organization or a member to edit.")
            return
        oform = OrganizationForm(fapp(self).ws, self.today, org)

        def org_done(saved: bool | None) -> None:
            if saved and oform.result is not None:
                self.reload(select=oform.result.id)
                self.notify(f"Saved {one_line(oform.result.name, 50)}.", markup=False)

        self.app.push_screen(oform, org_done)

    def action_toggle_active(self) -> None:
        ws = fapp(self).ws
        try:
            member = self.selected_member()
            if member is not None:
                saved_member = roster_edits.set_member_active(ws, member, not member.active)
                self.reload(select=saved_member.id)
                name = one_line(saved_member.name, 40)
                self.notify(
                    f"{name} reactivated."
                    if saved_member.active
                    else f"{name} deactivated: no longer expected at roll call. "
                    "Press x again to reactivate.",
                    markup=False,
                    timeout=5,
                )
                return
            org = self.selected_org()
            if org is None:
                self.notify("Select an organization or a member first.")
                return
            saved = roster_edits.set_organization_active(ws, org, not org.active)
        except FacilitateError as exc:
            fapp(self).report(exc)
            self.reload()
            return
        self.reload(select=saved.id)
        name = one_line(saved.name, 40)
        self.notify(
            f"{name} reactivated."
            if saved.active
            else f"{name} deactivated: it no longer counts for quorum or sector coverage. "
            "Press x again to reactivate.",
            markup=False,
            timeout=5,
        )

    def action_back(self) -> None:
        self.dismiss(None)
