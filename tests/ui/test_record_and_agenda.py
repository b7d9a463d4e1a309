"""Pilot tests of issue 16's record corrections and live agenda: from the meeting screen (c,
+, m, [, ], -) and from a meeting opened in the history (c)."""

from __future__ import annotations

import json

from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Static

from facilitate.domain.meeting import Decision, DecisionMethod
from facilitate.services.live import LiveMeeting
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.agenda_edit import AgendaItemForm, DropConfirm
from facilitate.ui.screens.history import MeetingDetailScreen
from facilitate.ui.screens.meeting import MeetingScreen
from facilitate.ui.screens.meeting_record import (
    ConfirmDelete,
    DecisionEditForm,
    NotesEditForm,
    RecordScreen,
)

from .conftest import started_meeting, upcoming


def _log(ws) -> list[dict]:
    lines = [json.loads(line) for line in ws.audit_path.read_text().splitlines()]
    return [line for line in lines if line["op"] not in ("intent", "done")]  # change lines


def _row_keys(table: DataTable) -> list[str]:
    return [
        str(table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value)
        for r in range(table.row_count)
    ]


def _clockbar(screen: MeetingScreen) -> str:
    return str(screen.query_one("#clockbar", Static).render())


def _select_row(table: DataTable, key: str) -> None:
    table.move_cursor(row=_row_keys(table).index(key))


async def _set(pilot, app, selector: str, value: str) -> None:
    app.screen.query_one(selector, Input).value = value
    await pilot.pause()


async def test_a_decision_is_corrected_from_the_meeting_screen(sample_ws, clock) -> None:
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        live = LiveMeeting(sample_ws, mid, clock)
        decision = live.add_decision(
            Decision(
                meeting_id=mid, text="Adopt the protocl", method=DecisionMethod.VOTE, votes_for=1
            )
        )
        await pilot.press("c")
        await pilot.pause()
        record = app.screen
        assert isinstance(record, RecordScreen)
        table = record.query_one("#record-table", DataTable)
        _select_row(table, f"Decision:{decision.id}")
        await pilot.press("enter")  # (as e)
        await pilot.pause()
        assert isinstance(app.screen, DecisionEditForm)
        assert app.screen.query_one("#decision-text", Input).value == "Adopt the protocl"
        await _set(pilot, app, "#decision-text", "Adopt the protocol")
        await _set(pilot, app, "#votes-for", "12")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is record
        stored = sample_ws.snapshot().bundle(mid).decisions
        assert [(d.text, d.votes_for) for d in stored] == [("Adopt the protocol", 12)]
        entry = _log(sample_ws)[-1]
        assert entry["changes"]["text"] == {"old": "Adopt the protocl", "new": "Adopt the protocol"}
        assert entry["changes"]["votes_for"] == {"old": 1, "new": 12}
        assert "Adopt the protocol" in str(table.get_row_at(table.cursor_row)[1])

        # Delete asks first; n keeps it, y deletes it.
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        await pilot.pause()
        assert len(sample_ws.snapshot().bundle(mid).decisions) == 1
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert sample_ws.snapshot().bundle(mid).decisions == []
        assert _log(sample_ws)[-1]["op"] == "delete"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert "0 decisions" in str(app.screen.query_one("#captured", Static).render())


async def test_a_bad_correction_is_refused_inline(sample_ws, clock) -> None:
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        LiveMeeting(sample_ws, mid, clock).add_decision(Decision(meeting_id=mid, text="Keep"))
        await pilot.press("c")
        await pilot.pause()
        _select_row(
            app.screen.query_one("#record-table", DataTable),
            "Decision:" + (sample_ws.snapshot().bundle(mid).decisions[0].id),
        )
        await pilot.press("e")
        await pilot.pause()
        await _set(pilot, app, "#decision-text", "   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DecisionEditForm)
        assert "Decision text" in str(app.screen.query_one("#form-error", Static).render())
        assert sample_ws.snapshot().bundle(mid).decisions[0].text == "Keep"


async def _open_history_meeting(pilot, app, meeting_id: str) -> MeetingDetailScreen:
    await pilot.press("h")
    await pilot.pause()
    table = app.screen.query_one("#meeting-table", DataTable)
    _select_row(table, meeting_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MeetingDetailScreen)
    return app.screen


async def test_notes_are_corrected_from_the_history_and_shown_at_once(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_history_meeting(pilot, app, "mtg-2026-11")
        item = next(i for i in detail.bundle.items if i.notes and not i.confidential)
        await pilot.press("c")
        await pilot.pause()
        record = app.screen
        assert isinstance(record, RecordScreen)
        # Confidential entries are withheld while locked, and cannot be opened.
        table = record.query_one("#record-table", DataTable)
        rows = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
        assert not any("HV-2611" in r for r in rows)
        _select_row(table, "Decision:dec-2026-11-03")  # the case review's decision
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is record
        # Notes: corrected in a text box.
        _select_row(table, f"Notes:{item.id}")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NotesEditForm)
        from textual.widgets import TextArea

        form.query_one("#notes-text", TextArea).load_text("Corrected notes after the meeting.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingDetailScreen)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Corrected notes after the meeting." in shown
        entry = _log(sample_ws)[-1]
        assert entry["id"] == item.id and entry["changes"]["notes"]["new"] == (
            "Corrected notes after the meeting."
        )


async def test_approved_minutes_refuse_corrections_with_a_message(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_history_meeting(pilot, app, "mtg-2026-10")
        before = sample_ws.audit_path.read_bytes() if sample_ws.audit_path.exists() else b""
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is detail
        messages = [n.message for n in app._notifications]
        assert any("were approved" in m and "can no longer be changed" in m for m in messages)
        after = sample_ws.audit_path.read_bytes() if sample_ws.audit_path.exists() else b""
        assert after == before


async def test_an_item_added_mid_meeting_moves_the_projected_end(sample_ws, clock) -> None:
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started_meeting(pilot)
        before = _clockbar(screen)
        ids_before = [i.id for i in screen.bundle.items]
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, AgendaItemForm)
        await _set(pilot, app, "#item-title", "Urgent: shelter capacity")
        await _set(pilot, app, "#item-minutes", "45")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        items = sample_ws.snapshot().bundle(mid).items
        new = next(i for i in items if i.id not in ids_before)
        assert [i.id for i in items].index(new.id) == 1  # after the selected (first) item
        assert new.planned_minutes == 45 and new.title == "Urgent: shelter capacity"
        after = _clockbar(screen)
        assert after != before
        proj = lambda text: text.split("Projected ")[1].split()[0]  # noqa: E731
        h0, m0 = map(int, proj(before).split(":"))
        h1, m1 = map(int, proj(after).split(":"))
        assert (h1 * 60 + m1) - (h0 * 60 + m0) == 45
        table = screen.query_one("#agenda", DataTable)
        assert _row_keys(table)[1] == new.id and table.cursor_row == 1

        # m: 45 -> 30 minutes; the projection follows.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, AgendaItemForm)
        await _set(pilot, app, "#item-minutes", "30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        h2, m2 = map(int, proj(_clockbar(screen)).split(":"))
        assert (h2 * 60 + m2) - (h0 * 60 + m0) == 30

        # ] moves it down, [ back up.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _row_keys(table)[2] == new.id and table.cursor_row == 2
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert _row_keys(table)[1] == new.id

        # - asks, then drops it to the next meeting: gone from the agenda and the plan.
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(app.screen, DropConfirm)
        await pilot.press("y")
        await pilot.pause()
        assert new.id not in _row_keys(table)
        assert proj(_clockbar(screen)) == proj(before)
        assert sample_ws.snapshot().bundle(mid).item(new.id).deferred


async def test_the_current_item_cannot_be_dropped(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started_meeting(pilot)
        await pilot.press("minus")
        await pilot.pause()
        assert app.screen is screen
        assert any("current item" in n.message for n in app._notifications)


async def test_kept_forms_come_back_empty_or_with_the_other_record(sample_ws, clock) -> None:
    """The add form is kept between uses (built ahead, like the decision form) and comes back
    empty, placed after the row now selected; the record's decision form is kept too and
    shows the decision now selected."""
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started_meeting(pilot)
        await pilot.press("plus")
        await pilot.pause()
        first = app.screen
        await _set(pilot, app, "#item-title", "Half-typed")
        await pilot.press("escape")  # a filled-in form asks first (y discards)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        table = screen.query_one("#agenda", DataTable)
        table.move_cursor(row=3)
        await pilot.press("plus")
        await pilot.pause()
        assert app.screen is first
        assert first.query_one("#item-title", Input).value == ""
        await _set(pilot, app, "#item-title", "Late item")
        await pilot.press("ctrl+s")
        await pilot.pause()
        items = sample_ws.snapshot().bundle(mid).items
        assert [i.title for i in items][4] == "Late item"

        live = LiveMeeting(sample_ws, mid, clock)
        one = live.add_decision(Decision(meeting_id=mid, text="First decision"))
        two = live.add_decision(Decision(meeting_id=mid, text="Second decision"))
        await pilot.press("c")
        await pilot.pause()
        record = app.screen
        assert isinstance(record, RecordScreen)
        rows = record.query_one("#record-table", DataTable)
        forms = []
        for decision in (one, two):
            _select_row(rows, f"Decision:{decision.id}")
            await pilot.press("e")
            await pilot.pause()
            forms.append(app.screen)
            assert app.screen.query_one("#decision-text", Input).value == decision.text
            await pilot.press("escape")
            await pilot.pause()
        assert forms[0] is forms[1]
        _select_row(rows, f"Decision:{two.id}")
        await pilot.press("e")
        await pilot.pause()
        await _set(pilot, app, "#decision-text", "Second decision, amended")
        await pilot.press("ctrl+s")
        await pilot.pause()
        texts = sorted(d.text for d in sample_ws.snapshot().bundle(mid).decisions)
        assert texts == ["First decision", "Second decision, amended"]


async def test_another_instance_and_the_follow_view_show_the_agenda_change(
    sample_ws, clock
) -> None:
    """Two facilitate instances and a follow view on one workspace: an item added and one
    dropped by the other instance appear on this meeting screen and in the follow view at
    their next poll (the stat stamp they compare once a second)."""
    from facilitate.services.live_agenda import LiveAgenda
    from facilitate.storage.workspace import Workspace
    from facilitate.ui.follow_app import FollowApp

    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started_meeting(pilot)
        table = screen.query_one("#agenda", DataTable)
        other = LiveAgenda(Workspace.open(sample_ws.root), mid)  # the other instance
        added = other.add("Walk-in report from the port", 15)
        dropped = screen.bundle.items[5]
        other.drop(dropped.id)
        await pilot.pause(1.3)  # a poll
        assert added.id in _row_keys(table) and dropped.id not in _row_keys(table)
    follow = FollowApp(Workspace.open(sample_ws.root, read_only=True), mid, clock=clock)
    async with follow.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        rows = _row_keys(follow.screen.query_one("#follow-agenda", DataTable))
        assert added.id in rows and dropped.id not in rows
        other.change(added.id, title="Port report (moved up)")
        other.move(added.id, -1)
        await pilot.pause(1.3)
        rows = _row_keys(follow.screen.query_one("#follow-agenda", DataTable))
        assert rows.index(added.id) == len(rows) - 2
        cells = follow.screen.query_one("#follow-agenda", DataTable).get_row(added.id)
        assert any("Port report (moved up)" in str(c) for c in cells)


async def test_a_corrected_vote_over_the_room_it_was_taken_in_is_refused(sample_ws, clock) -> None:
    from facilitate.domain.meeting import AttendanceStatus

    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        live = LiveMeeting(sample_ws, mid, clock)
        for record in live.load().attendance[:4]:
            live.mark(record.id, AttendanceStatus.PRESENT)
        decision = live.add_decision(
            Decision(meeting_id=mid, text="Adopt", method=DecisionMethod.VOTE, votes_for=3)
        )
        await pilot.press("c")
        await pilot.pause()
        _select_row(app.screen.query_one("#record-table", DataTable), f"Decision:{decision.id}")
        await pilot.press("e")
        await pilot.pause()
        await _set(pilot, app, "#votes-against", "2")  # 3 + 2 > the 4 attending
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DecisionEditForm)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "5 votes" in error and "4 members were attending" in error
        assert sample_ws.snapshot().bundle(mid).decisions[0].votes_against == 0
        await _set(pilot, app, "#votes-against", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sample_ws.snapshot().bundle(mid).decisions[0].votes_against == 1
