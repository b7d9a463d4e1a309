"""Between meetings under Pilot: roster, subcommittees, action tracker, history and search.

Every test drives the screens with the keyboard at 80x24 and asserts on stored data.
"""

from __future__ import annotations

import pendulum
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Select, SelectionList, Static, TextArea

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.common import clean_text
from facilitate.domain.meeting import AgendaItem, Decision, ItemKind, Meeting, MeetingStatus
from facilitate.domain.roster import (
    Member,
    MouStatus,
    Organization,
    Profile,
    Sector,
    Subcommittee,
)
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.actions import ActionsScreen
from facilitate.ui.screens.history import HistoryScreen, MeetingDetailScreen
from facilitate.ui.screens.home import HomeScreen
from facilitate.ui.screens.roster import RosterScreen
from facilitate.ui.screens.subcommittees import SubcommitteesScreen
from facilitate.ui.screens.tracker_dialogs import (
    ActionFilterForm,
    CloseActionForm,
    MemberForm,
    OrganizationForm,
    PostponeForm,
    ReassignForm,
    SubcommitteeForm,
)
from facilitate.ui.screens.unlock import UnlockDialog, confidential_unlocked

from ..conftest import HOSTILE_STRINGS

TODAY = pendulum.date(2026, 12, 10)  # the clock fixture, in the collaborative's timezone


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


def row_keys(table: DataTable) -> list[str]:
    return [
        str(table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value)
        for r in range(table.row_count)
    ]


def text_of(widget: Static) -> str:
    return str(widget.render())


def form_error(app) -> str:
    return text_of(app.screen.query_one("#form-error", Static))


# --- roster ------------------------------------------------------------------------------------


async def test_add_organization_and_member_and_the_matrix_follows(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)

        # A new organization, with the keyboard only: name, sector (6 down from the prompt),
        # MOU (2 up from "None").
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OrganizationForm)
        await pilot.press(*"Larkin County Public Defender", "tab", "enter")
        await pilot.press(*["down"] * 6, "enter", "tab", "enter", "up", "up", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        roster = sample_ws.snapshot().roster()
        org = next(o for o in roster.organizations if o.name == "Larkin County Public Defender")
        assert (org.sector, org.mou_status, org.active) == (
            Sector.DEFENSE_ATTORNEYS,
            MouStatus.IN_REVIEW,
            True,
        )
        table = app.screen.query_one("#org-table", DataTable)
        assert row_keys(table)[table.cursor_row] == org.id

        # A member for it: the selected organization is preselected.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemberForm)
        assert app.screen.query_one("#mem-org", Select).value == org.id
        await pilot.press(*"Carla Jensen", "tab", *"Deputy Public Defender", "tab", "tab")
        await pilot.press(*"cjensen@pd.example", "tab", "enter")  # (then the e-mail field)
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        member = next(m for m in sample_ws.snapshot().roster().members if m.name == "Carla Jensen")
        assert (member.role, member.organization_id, member.contact) == (
            "Deputy Public Defender",
            org.id,
            "cjensen@pd.example",
        )
        assert app.screen.tab == "members"

        # The matrix: defense attorneys are now covered; judges are still a gap.
        await pilot.press("3")
        await pilot.pause()
        rows = cells(app.screen.query_one("#matrix-table", DataTable))
        defense = [r for r in rows if r[0] == "Defense attorneys"]
        assert len(defense) == 1 and defense[0][1] == "Larkin County Public Defender"
        assert defense[0][2] == "In review" and defense[0][3] == "1"
        judges = [r for r in rows if r[0] == "Judges"]
        assert judges and judges[0][1].startswith("GAP")
        summary = text_of(app.screen.query_one("#matrix-summary", Static))
        assert "14 of 22 sectors covered" in summary and "Judges" in summary
        assert "Defense attorneys" not in summary
        follow = text_of(app.screen.query_one("#mou-followup", Static))
        assert "In review (4)" in follow and "Larkin County Public Defender" in follow


async def test_roster_validation_messages(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", "n")
        await pilot.pause()
        await pilot.press(*"Port Merrow Police Department", "ctrl+s")
        await pilot.pause()
        assert "Sector is not chosen" in form_error(app)
        app.screen.query_one("#org-sector", Select).value = "media"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already on the roster" in form_error(app)
        app.screen.query_one("#org-name", Input).value = "Harbor Valley Gazette"
        app.screen.query_one("#org-mou", Select).value = "signed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "MOU signed on is empty" in form_error(app)
        app.screen.query_one("#org-mou-date", Input).value = "2027-05-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "in the future" in form_error(app)
        app.screen.query_one("#org-mou-date", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        gazette = next(
            o for o in sample_ws.snapshot().roster().organizations if o.name.endswith("Gazette")
        )
        assert gazette.mou_signed_on == pendulum.date(2026, 11, 30)

        await pilot.press("2", "m")
        await pilot.pause()
        # The highlighted member's organization is offered; clear it to see the check.
        first = sample_ws.snapshot().roster().members[0]
        assert app.screen.query_one("#mem-org", Select).value == first.organization_id
        app.screen.query_one("#mem-org", Select).clear()
        await pilot.press(*"Robin Vale", "ctrl+s")
        await pilot.pause()
        assert "Organization is not chosen" in form_error(app)
        app.screen.query_one("#mem-org", Select).value = gazette.id
        app.screen.query_one("#mem-contact", Input).value = "robin@gazette"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a valid e-mail" in form_error(app)
        await pilot.press("escape", "y")  # (something was typed: discard, when asked)
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
    assert not any(m.name == "Robin Vale" for m in sample_ws.snapshot().roster().members)


async def test_edit_and_deactivate(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one("#org-table", DataTable)
        target = row_keys(table).index("org-larkin-county")
        table.move_cursor(row=target)
        await pilot.press("x")
        await pilot.pause()
        assert not sample_ws.snapshot().get(Organization, "org-larkin-county").active
        assert "(inactive)" in cells(table)[target][0]
        await pilot.press("3")
        await pilot.pause()
        rows = cells(app.screen.query_one("#matrix-table", DataTable))
        assert next(r[1] for r in rows if r[0] == "Public officials").startswith("GAP")
        await pilot.press("1", "x")
        await pilot.pause()
        assert sample_ws.snapshot().get(Organization, "org-larkin-county").active

        # Edit a member's role.
        await pilot.press("2")
        await pilot.pause()
        members = app.screen.query_one("#member-table", DataTable)
        members.move_cursor(row=row_keys(members).index("mem-priya-raman"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MemberForm)
        app.screen.query_one("#mem-role", Input).value = "Sergeant, Youth Services"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sample_ws.snapshot().get(Member, "mem-priya-raman").role == (
            "Sergeant, Youth Services"
        )
        await pilot.press("x")
        await pilot.pause()
        assert not sample_ws.snapshot().get(Member, "mem-priya-raman").active
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# --- subcommittees -----------------------------------------------------------------------------


async def test_subcommittees_show_open_actions_and_can_be_added_and_edited(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SubcommitteesScreen)
        table = app.screen.query_one("#sub-table", DataTable)
        assert row_keys(table) == [
            "sub-data-protocols",
            "sub-training-outreach",
            "sub-victim-services",
        ]
        first = cells(table)[0]
        assert first[1] == "Rebecca Stein" and first[3] == "2!" and first[4] == "2026-12-04"
        detail = text_of(app.screen.query_one("#sub-detail", Static))
        assert "Draft and maintain the information-sharing annex" in detail
        assert "OVERDUE 2026-12-04: Prepare an individual confidentiality undertaking" in detail
        assert "Open actions (2)" in detail

        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SubcommitteeForm)
        await pilot.press(*"Labor Trafficking Working Group", "tab")
        await pilot.press(*"Map referral routes for farm and domestic workers.")
        app.screen.query_one("#sub-chair", Select).value = "mem-owen-gallagher"
        picks = app.screen.query_one("#sub-members", SelectionList)
        picks.focus()
        await pilot.press("space", "down", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SubcommitteesScreen)
        sub = next(
            s for s in sample_ws.snapshot().roster().subcommittees if s.name.startswith("Labor")
        )
        assert sub.charge == "Map referral routes for farm and domestic workers."
        assert sub.chair_id == "mem-owen-gallagher"
        assert sub.member_ids == ["mem-owen-gallagher", "mem-alex-reyes", "mem-amina-yusuf"]

        # Edit the charge of the selected (new) subcommittee.
        await pilot.press("e")
        await pilot.pause()
        charge = app.screen.query_one("#sub-charge", TextArea)
        charge.text = "Map labor trafficking referral routes."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sample_ws.snapshot().get(Subcommittee, sub.id).charge == (
            "Map labor trafficking referral routes."
        )

        # Its actions, in the tracker.
        table.move_cursor(row=0)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.filter.subcommittee_id == "sub-data-protocols"
        assert {r.action.subcommittee_id for r in app.screen.rows} == {"sub-data-protocols"}


# --- action tracker ----------------------------------------------------------------------------


def overdue_ids(ws: Workspace) -> list[str]:
    """Open actions whose report-back date is before today, from stored data."""
    actions = [
        a
        for a in ws.snapshot().all_actions()
        if a.status is ActionStatus.OPEN and a.due is not None and a.due < TODAY
    ]
    return [a.id for a in sorted(actions, key=lambda a: str(a.due))]  # (ISO dates)


async def test_mark_an_action_done_with_a_note(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        table = app.screen.query_one("#action-table", DataTable)
        assert row_keys(table)[0] == "act-2026-11-03"  # the oldest report-back date first
        assert cells(table)[0][1] == "OVERDUE"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CloseActionForm)
        await pilot.press("enter")
        await pilot.pause()
        assert "note is empty" in form_error(app)
        await pilot.press(*"Headquarters approved; signing in January.", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
    stored = sample_ws.snapshot().get(ActionItem, "act-2026-11-03", "mtg-2026-11")
    assert stored.status is ActionStatus.DONE
    assert stored.report_back == "Headquarters approved; signing in January."
    assert stored.closed_at == clock()
    assert stored.history[-1].what == "marked done"


async def test_filter_to_overdue_and_back(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        assert len(row_keys(table)) == 7
        await pilot.press("o")
        await pilot.pause()
        expected = overdue_ids(sample_ws)
        assert len(expected) == 4
        assert row_keys(table) == expected
        assert all(row[1] == "OVERDUE" for row in cells(table))
        line = text_of(app.screen.query_one("#filter-line", Static))
        assert "4 of 13 actions, 4 overdue" in line
        await pilot.press("o")
        await pilot.pause()
        assert len(row_keys(table)) == 7
        # Status cycles open -> done -> dropped -> all.
        await pilot.press("s")
        await pilot.pause()
        done = [a.id for a in sample_ws.snapshot().all_actions() if a.status is ActionStatus.DONE]
        assert sorted(row_keys(table)) == sorted(done)
        await pilot.press("s", "s")
        await pilot.pause()
        assert len(row_keys(table)) == 13
        await pilot.press("c")
        await pilot.pause()
        assert len(row_keys(table)) == 7


async def test_filter_dialog_subcommittee_owner_and_due_before(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "f")
        await pilot.pause()
        assert isinstance(app.screen, ActionFilterForm)
        app.screen.query_one("#filter-status", Select).value = "all"
        app.screen.query_one("#filter-sub", Select).value = "sub-data-protocols"
        app.screen.query_one("#filter-before", Input).value = "2026-12-05"
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        assert row_keys(table) == ["act-2026-10-01", "act-2026-10-04", "act-2026-11-04"]
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-owner", Select).value = "mem-rebecca-stein"
        app.screen.query_one("#filter-before", Input).value = "someday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Cannot read 'someday' as a date" in form_error(app)
        app.screen.query_one("#filter-before", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert row_keys(table) == ["act-2026-10-01", "act-2026-11-04"]


async def test_postpone_and_reassign_keep_history(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        table.move_cursor(row=row_keys(table).index("act-2026-11-07"))
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PostponeForm)
        await pilot.press(*"in 3 weeks", "tab", *"Budget office replies in January", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        stored = sample_ws.snapshot().get(ActionItem, "act-2026-11-07", "mtg-2026-11")
        assert stored.due == TODAY.add(weeks=3)
        assert stored.history[-1].what == (
            "postponed from 2026-12-01 to 2026-12-31: Budget office replies in January"
        )
        # The row moved down (no longer overdue) and stayed selected.
        assert row_keys(table)[table.cursor_row] == "act-2026-11-07"
        assert cells(table)[table.cursor_row][1] == "open"

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReassignForm)
        app.screen.query_one("#reassign-owner", Select).value = "mem-hana-kobayashi"
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = sample_ws.snapshot().get(ActionItem, "act-2026-11-07", "mtg-2026-11")
        assert stored.owner_id == "mem-hana-kobayashi"
        assert [e.what.split(" ")[0] for e in stored.history] == ["postponed", "reassigned"]
        detail = text_of(app.screen.query_one("#action-detail", Static))
        assert "reassigned to Hana Kobayashi" in detail


async def test_closed_actions_cannot_be_closed_again(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "s")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen), "no form for a done action"


# --- history, search and confidentiality ---------------------------------------------------------


async def test_history_lists_meetings_with_length_attendance_decisions(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#meeting-table", DataTable)
        assert row_keys(table) == ["mtg-2026-12", "mtg-2026-11", "mtg-2026-10"]
        rows = cells(table)
        nov = sample_ws.snapshot().bundle("mtg-2026-11")
        present = sum(1 for a in nov.attendance if a.status.attending)
        assert rows[1][0] == "2026-11-12"
        assert rows[1][3] == str(present)
        assert rows[1][5] == str(len(nov.decisions)) and rows[1][6] == str(len(nov.actions))
        actual = round((nov.meeting.ended_at - nov.meeting.started_at).total_seconds() / 60)
        assert rows[1][2].startswith(f"{actual}/120")
        assert rows[0][2] == "plan 120" and rows[0][3] == "-"
        await pilot.press("3")
        await pilot.pause()
        rates = text_of(app.screen.query_one("#trend-org-rates", Static))
        assert "last 2 meeting(s)" in rates
        label = text_of(app.screen.query_one("#trend-attendance-label", Static))
        assert "Attendance per meeting" in label and "(2 mtgs)" in label


async def test_search_finds_a_decision_and_opens_the_meeting(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "s")
        await pilot.pause()
        await pilot.press(*"flowchart version 3")
        await pilot.pause(0.4)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        found = [(h.doc.kind.value, h.doc.record_id) for h in screen.hits]
        assert found[0] == ("decision", "dec-2026-11-02")
        stored = sample_ws.snapshot().get(Decision, "dec-2026-11-02", "mtg-2026-11")
        assert "flowchart version 3" in stored.text
        await pilot.press("enter")  # from the search box to the results
        await pilot.pause()
        await pilot.press("enter")  # open the meeting at the decision
        await pilot.pause()
        assert isinstance(app.screen, MeetingDetailScreen)
        assert app.screen.bundle.meeting.id == "mtg-2026-11"
        hit = app.screen.query_one("#rec-dec-2026-11-02", Static)
        assert hit.has_class("hit") and "flowchart version 3" in text_of(hit)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_confidential_text_stays_hidden_until_unlocked(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "s")
        await pilot.pause()
        await pilot.press(*"HV-2611")
        await pilot.pause(0.4)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.hits == []
        status = text_of(screen.query_one("#search-status", Static))
        assert "0 match(es)" in status and "not searched: u unlocks" in status
        marker = screen.query_one("#conf-marker", Static)
        assert "UNLOCKED" not in text_of(marker)

        # The read-only meeting withholds the case review notes too.
        await pilot.press("escape", "1")
        await pilot.pause()
        table = screen.query_one("#meeting-table", DataTable)
        table.move_cursor(row=row_keys(table).index("mtg-2026-11"))
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, MeetingDetailScreen)
        shown = " ".join(text_of(s) for s in detail.query(Static))
        assert "HV-2611" not in shown and "confidential notes withheld" in shown

        # u asks first; Esc keeps it locked.
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UnlockDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not confidential_unlocked(app)
        await pilot.press("u", "y")
        await pilot.pause()
        assert confidential_unlocked(app)
        shown = " ".join(text_of(s) for s in detail.query(Static))
        assert "HV-2611" in shown
        assert "CONFIDENTIAL UNLOCKED" in text_of(detail.query_one("#conf-marker", Static))

        # Back in the history, the same search now finds the confidential notes.
        await pilot.press("escape", "2")
        await pilot.pause()
        assert {h.doc.record_id for h in screen.hits} == {
            "itm-2026-11-07",
            "dec-2026-11-03",
            "act-2026-11-02",
        }
        assert "CONFIDENTIAL UNLOCKED" in text_of(marker)
        result_rows = cells(screen.query_one("#result-table", DataTable))
        assert all("(C)" in row[1] for row in result_rows)

        # And locking again hides them at once.
        await pilot.press("escape", "u")
        await pilot.pause()
        assert screen.hits == [] and not confidential_unlocked(app)

    # The unlock lasts for one app session only.
    again = FacilitateApp(sample_ws, clock=clock)
    assert not confidential_unlocked(again)


async def test_tracker_withholds_confidential_action_text_until_unlocked(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        index = row_keys(table).index("act-2026-11-02")
        assert "HV-2611" not in cells(table)[index][2]
        assert "withheld" in cells(table)[index][2]
        await pilot.press("u", "y")
        await pilot.pause()
        assert "HV-2611" in cells(table)[index][2]


async def test_palette_and_help_reach_the_new_screens(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"History")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Trends")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.tab == "trends"


# --- hostile text ------------------------------------------------------------------------------

USABLE = [s for s in HOSTILE_STRINGS if clean_text(s).strip()]


def hostile_workspace(root) -> Workspace:
    ws = Workspace.create(root)
    start = pendulum.datetime(2026, 11, 12, 16, tz="UTC")
    with ws.transaction() as tx:
        tx.add(Profile(name="Hostile TF", timezone="America/Chicago"))
        sectors = list(Sector)
        members = []
        for n, text in enumerate(USABLE):
            org = tx.add(Organization(name=f"{text} org", sector=sectors[n % len(sectors)]))
            members.append(tx.add(Member(name=text, role=text, organization_id=org.id)))
        tx.add(
            Subcommittee(
                name=USABLE[0], charge=USABLE[1], chair_id=members[0].id, member_ids=[members[1].id]
            )
        )
        meeting = tx.add(
            Meeting(
                title=USABLE[2],
                start=start,
                end=start.add(hours=2),
                timezone="America/Chicago",
                status=MeetingStatus.ENDED,
                started_at=start,
                ended_at=start.add(hours=2),
            )
        )
        item = tx.add(
            AgendaItem(meeting_id=meeting.id, title=USABLE[3], kind=ItemKind.OTHER, notes=USABLE[4])
        )
        for n, text in enumerate(USABLE):
            tx.add(Decision(meeting_id=meeting.id, agenda_item_id=item.id, text=f"zz {text}"))
            tx.add(
                ActionItem(
                    meeting_id=meeting.id,
                    agenda_item_id=item.id,
                    text=f"zz {text}",
                    owner_id=members[n].id,
                    due=pendulum.date(2026, 11, 20),
                )
            )
    return ws


async def test_hostile_text_on_every_tracker_screen(tmp_path, clock):
    ws = hostile_workspace(tmp_path / "hostile")
    app = FacilitateApp(ws, clock=clock)
    ran: list[str] = []
    app.action_quit = lambda: ran.append("quit")  # type: ignore[method-assign, assignment, return-value]
    app.action_screenshot = lambda *a, **k: ran.append("screenshot")  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        names = {row[0] for row in cells(app.screen.query_one("#org-table", DataTable))}
        assert "[bold red]Eve[/] org" in names
        await pilot.press("3", "escape", "c")
        await pilot.pause()
        detail = text_of(app.screen.query_one("#sub-detail", Static))
        assert clean_text(USABLE[1]) in detail
        await pilot.press("escape", "a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        texts = [row[2] for row in cells(table)]
        assert "zz [@click=app.quit]Click for agenda[/]" in texts
        assert all("\x1b" not in t for t in texts)
        await pilot.press("escape", "h", "s")
        await pilot.pause()
        await pilot.press(*"zz")
        await pilot.pause(0.4)
        assert isinstance(app.screen, HistoryScreen)
        assert len(app.screen.hits) == 2 * len(USABLE)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingDetailScreen)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
    assert ran == [], "markup in user text ran an action"


def _count_made_cells(monkeypatch) -> list[str]:
    """The ids of the rows whose tracker cells are made, in order."""
    import facilitate.ui.screens.actions as actions_module

    made: list[str] = []
    real = actions_module._row_cells

    def counting(row, unlocked):
        made.append(row.id)
        return real(row, unlocked)

    monkeypatch.setattr(actions_module, "_row_cells", counting)
    return made


async def test_tracker_makes_each_rows_cells_once_and_again_when_the_row_changes(
    sample_ws, clock, monkeypatch
):
    import facilitate.ui.screens.actions as actions_module

    made = _count_made_cells(monkeypatch)
    # (Not the cells made for every row a moment after opening: see the next test.)
    monkeypatch.setattr(actions_module, "CELLS_AFTER", 3600.0)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        shown = cells(table)
        assert sorted(made) == sorted(row_keys(table))  # open actions, made once each
        made.clear()
        await pilot.press("s", "s", "s", "s")  # done, dropped, all, open
        await pilot.pause()
        assert cells(table) == shown
        assert len(made) == len(set(made)) == 13 - 7  # only rows not shown before
        made.clear()
        assert isinstance(app.screen, ActionsScreen)
        selected = app.screen.selected()
        assert selected is not None
        await pilot.press("d")  # close the selected action: its row is a new object
        await pilot.pause()
        await pilot.press(*"Approved at last.", "enter")
        await pilot.pause()
        assert made == []  # (closed: no longer in the open list)
        await pilot.press("s")  # done: made again, with its new status
        await pilot.pause()
        assert made == [selected.id]
        assert cells(table)[row_keys(table).index(selected.id)][1] == "done"


async def test_tracker_makes_every_rows_cells_a_moment_after_it_opens(
    sample_ws, clock, monkeypatch
):
    """So that the first filter showing rows not shown before (all actions) is one frame."""
    import facilitate.ui.screens.actions as actions_module

    made = _count_made_cells(monkeypatch)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        shown = row_keys(table)
        await pilot.pause(actions_module.CELLS_AFTER + 0.2)
        # The open ones first, to show them; then the others, once each.
        assert sorted(made[: len(shown)]) == sorted(shown)
        assert len(made) == len(set(made)) == 13
        made.clear()
        await pilot.press("s", "s", "s")  # done, dropped, all
        await pilot.pause()
        assert len(row_keys(table)) == 13 and made == []


async def test_tracker_makes_the_cells_a_few_rows_at_a_time_and_stops_on_reload(
    sample_ws, clock, monkeypatch
):
    """In steps of CELLS_CHUNK rows (a key pressed meanwhile waits for one step, not for
    all of them); a reload starts over with the new rows and the old steps stop."""
    import facilitate.ui.screens.actions as actions_module

    made = _count_made_cells(monkeypatch)
    monkeypatch.setattr(actions_module, "CELLS_CHUNK", 4)
    steps: list[tuple[int, int]] = []
    real = actions_module.ActionsScreen._make_cells

    def counting(self, data, start):
        steps.append((id(data), start))
        real(self, data, start)

    monkeypatch.setattr(actions_module.ActionsScreen, "_make_cells", counting)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        first = id(screen.data)
        await pilot.pause(actions_module.CELLS_AFTER + 0.3)
        assert steps == [(first, 0), (first, 4), (first, 8), (first, 12)]  # 13 rows
        assert len(made) == len(set(made)) == 13
        monkeypatch.setattr(actions_module, "CELLS_AFTER", 3600.0)  # (steps called here)
        old = screen.data
        assert old is not None
        screen.load()  # a reload: new rows
        steps.clear()
        made.clear()
        screen._make_cells(old, 4)  # a step of the earlier load, due after the reload
        await pilot.pause(0.2)
        assert steps == [(id(old), 4)] and made == []  # nothing made, no next step
        new = screen.data
        assert new is not None and new is not old
        screen._make_cells(new, 0)
        await pilot.pause(0.3)
        assert steps[1:] == [(id(new), 0), (id(new), 4), (id(new), 8), (id(new), 12)]
        assert len(made) == len(set(made)) == 13 - 7  # (the open ones were shown already)


async def test_tracker_filter_key_draws_the_detail_once_and_follows_the_cursor(sample_ws, clock):
    """A filter refills the table, which highlights its row again afterwards: the detail
    below is drawn once (the second, identical, redraw cost a second frame), and still
    follows the cursor to another action."""
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        detail = screen.query_one("#action-detail", Static)
        updates: list[str] = []
        real_update = detail.update

        def counting(content="", *, layout=True):
            updates.append(str(content))
            real_update(content, layout=layout)

        detail.update = counting  # type: ignore[method-assign]
        await pilot.press("s")  # done
        await pilot.pause()
        assert len(updates) == 1
        selected = screen.selected()
        assert selected is not None and selected.text(False).split()[0] in updates[0]
        updates.clear()
        await pilot.press("down")
        await pilot.pause()
        moved = screen.selected()
        assert moved is not None and moved.id != selected.id
        assert len(updates) == 1 and moved.text(False).split()[0] in text_of(detail)


async def test_history_shows_first_and_builds_its_search_index_right_after(
    sample_ws, clock, monkeypatch
):
    import facilitate.tracker.history as history_module

    frames_before_index: list[int] = []
    real = history_module.build_index
    app = FacilitateApp(sample_ws, clock=clock)
    frames: list[int] = []

    def counting(view):
        frames_before_index.append(len(frames))
        return real(view)

    monkeypatch.setattr(history_module, "build_index", counting)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_display_hook = lambda: frames.append(isinstance(app.screen, HistoryScreen))  # type: ignore[method-assign]
        await pilot.press("h")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert len(frames_before_index) == 1  # built once, on its own
        assert any(frames[: frames_before_index[0]])  # after the history was on screen
        status = text_of(app.screen.query_one("#search-status", Static))
        assert "u unlocks" in status  # (known before the index was built)


async def test_history_tab_key_moves_focus_at_once(sample_ws, clock):
    """A key typed right after the tab key reaches the new tab (Enter after 1 opened the
    search's result instead of the meeting, when focus moved only after a refresh)."""
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        screen.action_tab("meetings")
        assert app.focused is screen.query_one("#meeting-table")
        screen.action_tab("search")
        assert app.focused is screen.query_one("#search-input")
