"""Small dialogs for the between-meetings screens (roster, subcommittees, actions, history).
(The session's confidential unlock is in ``unlock``.)

Forms reuse ``dialogs._Form``: Ctrl+S saves, Esc cancels, Enter in the last field saves, and a
problem is shown inline. Every field is one line (a label and a compact input) so the forms
fit an 80x24 terminal. A form keeps what it saved in ``result`` for the screen that opened it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, cast

from pendulum import Date
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from ...domain.actions import ActionStatus
from ...domain.common import Clock, ValidationError, parse_date
from ...domain.roster import (
    Member,
    MouStatus,
    Organization,
    PartnershipType,
    Roster,
    Sector,
    Subcommittee,
)
from ...storage.workspace import Workspace
from ...tracker import roster as roster_edits
from ...tracker.actions import (
    STATUS_CHOICES,
    ActionFilter,
    ActionRow,
    close_action,
    postpone_action,
    reassign_action,
)
from ..safe_text import labelled, one_line, plain, safe
from .dialogs import _Form

if TYPE_CHECKING:
    from ..app import FacilitateApp


def fapp(widget: Widget) -> FacilitateApp:
    """The running FacilitateApp, typed: its workspace (``ws``), ``clock`` and ``report``."""
    return cast("FacilitateApp", widget.app)


# --- helpers ------------------------------------------------------------------------------------


def field_row(label: str, widget: Widget) -> Horizontal:
    """A one-line form field: a fixed-width label and a compact input beside it."""
    return Horizontal(Label(label, classes="field-label"), widget, classes="field-row")


def set_columns(
    table: DataTable[Any], columns: list[tuple[str, str, int]], width: int, *, minimum: int = 12
) -> None:
    """(Re)create ``table``'s columns for a terminal ``width`` cells wide.

    ``columns`` are (key, label, width); a width of 0 marks the flexible column that takes the
    room the others leave (each column also costs 2 cells of padding, the scrollbar 2 more).
    """
    fixed = sum(w for _, _, w in columns) + 2 * len(columns) + 3
    flex = max(minimum, width - fixed)
    table.clear(columns=True)
    for key, label, w in columns:
        table.add_column(label, key=key, width=w or flex)


def member_label(member: Member, roster: Roster) -> str:
    org = roster.org(member.organization_id)
    return f"{member.name} ({org.name})" if org else member.name


def _select_value(select: Select[str]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


# --- roster -------------------------------------------------------------------------------------


class OrganizationForm(_Form):
    """Add an organization, or edit one."""

    def __init__(self, ws: Workspace, today: Date, org: Organization | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.today = today
        self.org = org
        self.result: Organization | None = None
        self.TITLE_TEXT = "Edit organization" if org else "New organization"

    def compose_fields(self) -> ComposeResult:
        o = self.org
        yield field_row(
            "Name", Input(value=plain(o.name) if o else "", id="org-name", compact=True)
        )
        yield field_row(
            "Sector",
            Select(
                [(s.label, s.value) for s in Sector],
                prompt="Pick the sector",
                value=o.sector.value if o else Select.NULL,
                id="org-sector",
                compact=True,
            ),
        )
        yield field_row(
            "MOU",
            Select(
                [(m.label, m.value) for m in MouStatus],
                value=o.mou_status.value if o else MouStatus.NONE.value,
                allow_blank=False,
                id="org-mou",
                compact=True,
            ),
        )
        signed = o.mou_signed_on.to_date_string() if o and o.mou_signed_on else ""
        yield field_row(
            "MOU signed on",
            Input(
                value=signed, placeholder="YYYY-MM-DD, if signed", id="org-mou-date", compact=True
            ),
        )
        yield field_row(
            "Partnership",
            Select(
                [("Formal", "formal"), ("Informal", "informal")],
                value=o.partnership.value if o else PartnershipType.INFORMAL.value,
                allow_blank=False,
                id="org-partnership",
                compact=True,
            ),
        )
        if o is not None and not o.active:
            yield Static("Deactivated: press x on the roster to reactivate.", classes="hint")

    def save(self) -> None:
        sector = _select_value(self.query_one("#org-sector", Select))
        if sector is None:
            raise ValidationError("Sector is not chosen: pick the organization's sector.")
        mou = MouStatus(str(self.query_one("#org-mou", Select).value))
        date_text = self.value("#org-mou-date").strip()
        signed_on: Date | None = None
        if mou is MouStatus.SIGNED:
            if not date_text:
                raise ValidationError("MOU signed on is empty: enter the signing date.")
            signed_on = parse_date(date_text, today=self.today)
            if signed_on > self.today:
                raise ValidationError(
                    f"MOU signed on {signed_on.to_date_string()} is in the future: "
                    "use the date it was signed."
                )
        elif date_text:
            raise ValidationError(
                "A signing date needs MOU status 'Signed': set the status, or clear the date."
            )
        partnership = PartnershipType(str(self.query_one("#org-partnership", Select).value))
        if self.org is None:
            org = roster_edits.new_organization(
                self.value("#org-name"), Sector(sector), mou, signed_on, partnership
            )
            self.result = roster_edits.add_organization(self.ws, org)
        else:
            org = copy.deepcopy(self.org)
            org.name = self.value("#org-name")
            org.sector, org.mou_status = Sector(sector), mou
            org.mou_signed_on, org.partnership = signed_on, partnership
            self.result = roster_edits.update_organization(self.ws, org)


CASE_REVIEW_CHOICES = (
    ("mou", "By the MOU"),  # stays if the organization's MOU is signed
    ("undertaking", "Own undertaking"),  # signed one: stays
    ("steps_out", "Steps out"),  # flagged: steps out whatever the MOU says
)


def _case_review_choice(member: Member | None) -> str:
    if member is not None and member.steps_out:
        return "steps_out"
    if member is not None and member.undertaking:
        return "undertaking"
    return "mou"


def _set_case_review(member: Member, choice: object) -> None:
    member.undertaking = choice == "undertaking"
    member.steps_out = choice == "steps_out"


class MemberForm(_Form):
    """Add a member (a person), or edit one."""

    def __init__(
        self,
        ws: Workspace,
        roster: Roster,
        member: Member | None = None,
        organization_id: str | None = None,
    ) -> None:
        super().__init__()
        self.ws = ws
        self.roster = roster
        self.member = member
        self.organization_id = member.organization_id if member else organization_id
        self.result: Member | None = None
        self.TITLE_TEXT = "Edit member" if member else "New member"

    def compose_fields(self) -> ComposeResult:
        m = self.member
        orgs = [
            o
            for o in self.roster.organizations
            if o.active or (m is not None and o.id == m.organization_id)
        ]
        known = {o.id for o in orgs}
        yield field_row(
            "Name", Input(value=plain(m.name) if m else "", id="mem-name", compact=True)
        )
        yield field_row(
            "Role", Input(value=plain(m.role) if m else "", id="mem-role", compact=True)
        )
        yield field_row(
            "Organization",
            Select(
                [(safe(o.name), o.id) for o in orgs],
                prompt="Pick the organization",
                value=self.organization_id if self.organization_id in known else Select.NULL,
                id="mem-org",
                compact=True,
            ),
        )
        yield field_row(
            "Contact",
            Input(
                value=plain(m.contact) if m else "",
                placeholder="e-mail or phone (optional)",
                id="mem-contact",
                compact=True,
            ),
        )
        yield field_row(
            "E-mail",
            Input(
                value=plain(m.email) if m else "",
                placeholder="for circulated minutes (optional)",
                id="mem-email",
                compact=True,
            ),
        )
        # Case review: who may stay without a signed MOU, who steps out anyway.
        yield field_row(
            "Case review",
            Select(
                [(label, value) for value, label in CASE_REVIEW_CHOICES],
                value=_case_review_choice(m),
                allow_blank=False,
                id="mem-case",
                compact=True,
            ),
        )

    def save(self) -> None:
        org_id = _select_value(self.query_one("#mem-org", Select))
        if org_id is None:
            raise ValidationError("Organization is not chosen: pick the member's organization.")
        if self.member is None:
            member = Member(
                name=self.value("#mem-name"),
                role=self.value("#mem-role"),
                organization_id=org_id,
                contact=self.value("#mem-contact"),
                email=self.value("#mem-email"),
            )
            _set_case_review(member, self.query_one("#mem-case", Select).value)
            self.result = roster_edits.add_member(self.ws, member)
        else:
            member = copy.deepcopy(self.member)
            member.name = self.value("#mem-name")
            member.role = self.value("#mem-role")
            member.organization_id = org_id
            member.contact = self.value("#mem-contact")
            member.email = self.value("#mem-email")
            _set_case_review(member, self.query_one("#mem-case", Select).value)
            self.result = roster_edits.update_member(self.ws, member)


class SubcommitteeForm(_Form):
    """Add a subcommittee, or edit its name, charge, chair and members."""

    def __init__(self, ws: Workspace, roster: Roster, sub: Subcommittee | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.roster = roster
        self.sub = sub
        self.result: Subcommittee | None = None
        self.TITLE_TEXT = "Edit subcommittee" if sub else "New subcommittee"

    def compose_fields(self) -> ComposeResult:
        s = self.sub
        chosen = set(s.member_ids) if s else set()
        people = [m for m in self.roster.members if m.active or m.id in chosen]
        yield field_row(
            "Name", Input(value=plain(s.name) if s else "", id="sub-name", compact=True)
        )
        yield Label("Charge: what the subcommittee is asked to do", classes="field-label")
        yield TextArea(plain(s.charge) if s else "", id="sub-charge", compact=True)
        yield field_row(
            "Chair",
            Select(
                [(safe(member_label(m, self.roster)), m.id) for m in people if m.active],
                prompt="No chair yet",
                value=s.chair_id
                if s and s.chair_id and any(m.id == s.chair_id and m.active for m in people)
                else Select.NULL,
                id="sub-chair",
                compact=True,
            ),
        )
        yield Label("Members (Space ticks; the chair is always a member)", classes="field-label")
        yield SelectionList[str](
            *[(safe(member_label(m, self.roster)), m.id, m.id in chosen) for m in people],
            id="sub-members",
            compact=True,
        )

    def save(self) -> None:
        chair = _select_value(self.query_one("#sub-chair", Select))
        members = list(self.query_one("#sub-members", SelectionList).selected)
        charge = self.query_one("#sub-charge", TextArea).text
        if self.sub is None:
            sub = Subcommittee(
                name=self.value("#sub-name"), charge=charge, chair_id=chair, member_ids=members
            )
            self.result = roster_edits.add_subcommittee(self.ws, sub)
        else:
            sub = copy.deepcopy(self.sub)
            sub.name = self.value("#sub-name")
            sub.charge = charge
            sub.chair_id = chair
            sub.member_ids = members
            self.result = roster_edits.update_subcommittee(self.ws, sub)


# --- actions ------------------------------------------------------------------------------------


def _action_heading(row: ActionRow, unlocked: bool) -> Static:
    return Static(
        labelled(
            "[b]$text[/b]\nReport back: $due   Owner: $who",
            text=one_line(row.text(unlocked), 140),
            due=row.due_label,
            who=one_line(row.who, 50),
        ),
        classes="hint action-heading",
    )


class CloseActionForm(_Form):
    """Mark an action done or dropped, with the report-back note."""

    def __init__(
        self, ws: Workspace, row: ActionRow, status: ActionStatus, clock: Clock, unlocked: bool
    ) -> None:
        super().__init__()
        self.ws = ws
        self.row = row
        self.status = status
        self.clock = clock
        self.unlocked = unlocked
        self.result: Any = None
        self.TITLE_TEXT = (
            "Mark the action done" if status is ActionStatus.DONE else "Drop the action"
        )

    def compose_fields(self) -> ComposeResult:
        yield _action_heading(self.row, self.unlocked)
        hint = (
            "what was done, and where to find it"
            if self.status is ActionStatus.DONE
            else "why it is dropped"
        )
        yield field_row(
            "Report-back", Input(placeholder=hint, id="close-note", compact=True, max_length=10_000)
        )

    def save(self) -> None:
        self.result = close_action(
            self.ws, self.row.action, self.status, self.value("#close-note"), self.clock()
        )


class PostponeForm(_Form):
    TITLE_TEXT = "Postpone the report-back"

    def __init__(
        self, ws: Workspace, row: ActionRow, clock: Clock, today: Date, unlocked: bool
    ) -> None:
        super().__init__()
        self.ws = ws
        self.row = row
        self.clock = clock
        self.today = today
        self.unlocked = unlocked
        self.result: Any = None

    def compose_fields(self) -> ComposeResult:
        yield _action_heading(self.row, self.unlocked)
        yield field_row(
            "New date",
            Input(placeholder="2026-12-15, 'in 2 weeks'", id="postpone-date", compact=True),
        )
        yield field_row(
            "Reason",
            Input(placeholder="why (kept in the history)", id="postpone-reason", compact=True),
        )

    def save(self) -> None:
        new_due = parse_date(self.value("#postpone-date"), today=self.today)
        self.result = postpone_action(
            self.ws,
            self.row.action,
            new_due,
            self.value("#postpone-reason"),
            self.clock(),
            self.today,
        )


class ReassignForm(_Form):
    TITLE_TEXT = "Reassign the action"

    def __init__(
        self, ws: Workspace, row: ActionRow, roster: Roster, clock: Clock, unlocked: bool
    ) -> None:
        super().__init__()
        self.ws = ws
        self.row = row
        self.roster = roster
        self.clock = clock
        self.unlocked = unlocked
        self.result: Any = None

    def compose_fields(self) -> ComposeResult:
        yield _action_heading(self.row, self.unlocked)
        yield field_row(
            "New owner",
            Select(
                [
                    (safe(member_label(m, self.roster)), m.id)
                    for m in self.roster.active_members()
                    if m.id != self.row.action.owner_id
                ],
                prompt="No individual owner (subcommittee only)"
                if self.row.action.subcommittee_id
                else "Pick a member",
                id="reassign-owner",
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#reassign-owner", Select).focus()

    def save(self) -> None:
        owner = _select_value(self.query_one("#reassign-owner", Select))
        self.result = reassign_action(self.ws, self.row.action, owner, self.roster, self.clock())


class ActionFilterForm(_Form):
    TITLE_TEXT = "Filter the actions"
    AUTO_FOCUS = "Select"

    def __init__(self, roster: Roster, current: ActionFilter, today: Date) -> None:
        super().__init__()
        self.roster = roster
        self.current = current
        self.today = today
        self.result: ActionFilter | None = None

    def compose_fields(self) -> ComposeResult:
        f = self.current
        yield field_row(
            "Status",
            Select(
                [(label, key) for key, label in STATUS_CHOICES.items()],
                value=f.status,
                allow_blank=False,
                id="filter-status",
                compact=True,
            ),
        )
        yield field_row(
            "Subcommittee",
            Select(
                [(safe(s.name), s.id) for s in self.roster.subcommittees],
                prompt="Any subcommittee",
                value=f.subcommittee_id or Select.NULL,
                id="filter-sub",
                compact=True,
            ),
        )
        yield field_row(
            "Owner",
            Select(
                [(safe(member_label(m, self.roster)), m.id) for m in self.roster.members],
                prompt="Any owner",
                value=f.owner_id or Select.NULL,
                id="filter-owner",
                compact=True,
            ),
        )
        yield field_row(
            "Overdue",
            Checkbox("only overdue actions", f.overdue_only, id="filter-overdue", compact=True),
        )
        yield field_row(
            "Due before",
            Input(
                value=f.due_before.to_date_string() if f.due_before else "",
                placeholder="a date, e.g. 2026-12-31 or 'in 4 weeks' (optional)",
                id="filter-before",
                compact=True,
            ),
        )

    def save(self) -> None:
        before_text = self.value("#filter-before").strip()
        self.result = ActionFilter(
            status=str(self.query_one("#filter-status", Select).value),
            subcommittee_id=_select_value(self.query_one("#filter-sub", Select)),
            owner_id=_select_value(self.query_one("#filter-owner", Select)),
            overdue_only=self.query_one("#filter-overdue", Checkbox).value,
            due_before=parse_date(before_text, today=self.today) if before_text else None,
            newest_first=self.current.newest_first,
        )
