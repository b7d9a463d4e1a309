"""The meeting screens follow the room (issue 16): the roll call's counts, clock and marks."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import Static

from facilitate.domain.meeting import AttendanceStatus
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.roll_call import RollCallScreen

from .conftest import start_meeting


def _summary(app: FacilitateApp) -> str:
    return str(app.screen.query_one("#rollcall-summary", Static).render())


async def _roll_call(pilot) -> RollCallScreen:
    await start_meeting(pilot)
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RollCallScreen)
    return screen


async def test_left_early_changes_the_quorum_line(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        live = screen.live
        # Everyone present; then the only member of one organization leaves.
        for record in live.load().attendance:
            live.mark(record.id, AttendanceStatus.PRESENT)
        screen.reload()
        await pilot.pause()
        before = _summary(app)
        assert "Quorum met" in before and "Left" not in before
        orgs_before = int(before.split("Organizations ")[1].split()[0])
        records = live.load().attendance
        by_org: dict[str | None, list[str]] = {}
        for r in records:
            by_org.setdefault(r.organization_id, []).append(r.id)
        alone = next(ids[0] for ids in by_org.values() if len(ids) == 1)
        table = screen.query_one("#attendance")
        row = [r.id for r in screen.records].index(alone)
        table.move_cursor(row=row)  # type: ignore[attr-defined]
        await pilot.press("y")
        await pilot.pause()
        after = _summary(app)
        assert "Left 1" in after
        assert f"Organizations {orgs_before - 1} " in after
        assert f"Present {len(records) - 1} " in after


async def test_guest_is_a_person_not_an_organization(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        screen.live.add_guest("Dana Press", "Reporter", "Port Merrow Gazette")
        screen.reload()
        await pilot.pause()
        text = _summary(app)
        assert "Present 1 (1 guest)" in text
        assert "Organizations 0 " in text and "guest)" not in text.split("Organizations")[1]


async def test_roll_call_shows_the_clock_and_the_items_countdown(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        bundle = screen.live.load()
        item = next(i for i in bundle.items if i.id == bundle.meeting.current_item_id)
        title = str(screen.query_one("#rollcall-title", Static).render())
        now = bundle.meeting.local(screen.live.now()).format("HH:mm")
        assert now in title and item.title[:20] in title
        assert f"{item.planned_minutes}:00" in title or f"{item.planned_minutes - 1}:" in title
        clock.advance(seconds=65)
        await pilot.pause(1.1)
        later = str(screen.query_one("#rollcall-title", Static).render())
        assert later != title


async def test_introduced_is_refused_for_someone_marked_absent(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        await pilot.press("a")  # first person absent (the cursor moves on)
        await pilot.press("up", "i")
        await pilot.pause()
        first = screen.live.load().attendance
        record = next(r for r in first if r.status is AttendanceStatus.ABSENT)
        assert not record.introduced


async def test_used_time_of_an_hour_or_more_is_shown_whole(sample_ws, clock) -> None:
    from facilitate.ui.tables import FixedTable

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        clock.advance(minutes=66, seconds=12)
        await pilot.pause(1.2)
        table = app.screen.query_one("#agenda", FixedTable)
        used = next(c for c in table.ordered_columns if c.key.value == "used")
        row = table.cursor_row
        assert table.get_cell_at(Coordinate(row, 3)) == "1:06:12"
        assert used.width >= len("1:06:12")
        # The row as drawn holds the whole time, and the row still fits the 80 columns.
        line = "".join(seg.text for seg in table.render_line(1 + row))
        assert "1:06:12" in line
        assert table.virtual_size.width <= table.size.width


async def test_follow_view_after_the_end_and_over_an_hour(tmp_path) -> None:
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.services.live import LiveMeeting
    from facilitate.storage.workspace import Workspace
    from facilitate.ui.follow_app import FollowApp
    from facilitate.ui.tables import FixedTable

    from .conftest import FakeClock, make_sample

    ws = make_sample(tmp_path / "ws")
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock = FakeClock(meeting.start)
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    live.add_guest("Dana Press", "Reporter", "Port Merrow Gazette")
    first = live.load().items[0]
    live.goto(first.id)
    clock.advance(minutes=66, seconds=12)
    members = {r.organization_id for r in live.load().attendance if r.organization_id}
    app = FollowApp(Workspace.open(ws.root, read_only=True), meeting.id, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        table = app.screen.query_one("#follow-agenda", FixedTable)
        line = "".join(seg.text for seg in table.render_line(1))
        assert "1:06:12" in line
        present = str(app.screen.query_one("#follow-present").render())
        assert f"({len(members)} organizations)" in present  # the Gazette is not one
        live.end()
        await pilot.pause(1.5)
        title = str(app.screen.query_one("#follow-item-title").render())
        assert "ended" in title and "Waiting" not in title


async def test_case_review_steps_out_who_may_not_stay_and_back_in(sample_ws, clock) -> None:
    """Before a case review the reminder names the guests and the members of organizations
    without a signed MOU (and no undertaking of their own); s marks them stepped out; leaving
    the item offers to bring them back in; the minutes say who stepped out, for what."""
    from facilitate.domain.case_review import must_step_out
    from facilitate.domain.meeting import summarize_attendance
    from facilitate.minutes.export import render_minutes
    from facilitate.ui.screens.case_review import BackInDialog, CaseReviewReminder
    from facilitate.ui.screens.meeting import MeetingScreen

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        live = meeting.live
        for record in live.load().attendance:
            live.mark(record.id, AttendanceStatus.PRESENT)
        live.add_guest("Dana Press", "Reporter", "Port Merrow Gazette")
        meeting.reload()
        roster = sample_ws.snapshot().roster()
        expected = must_step_out(live.load().attendance, roster)
        members = [s for s in expected if not s.attendance.is_guest]
        assert members, "the sample has members whose organization's MOU is not signed"
        items = meeting._visible_items()
        case = next(i for i in items if i.confidential)
        before = items[items.index(case) - 1]
        meeting._goto(before.id)
        await pilot.pause()
        clock.advance(minutes=5)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseReviewReminder)
        text = str(dialog.query_one("#guests-present", Static).render())
        assert f"({len(expected)})" in text and "guest: Dana Press" in text
        first = members[0]
        assert f"{first.reason}: {first.attendance.name[:30]}" in text
        assert f"and {len(expected) - 8} more" in text
        in_room = summarize_attendance(live.load().attendance, roster).present
        await pilot.press("s")
        await pilot.pause()
        assert (
            isinstance(app.screen, MeetingScreen)
            and getattr(meeting.current, "id", None) == case.id
        )
        records = live.load().attendance
        out = {r.id for r in records if r.stepped_out}
        assert out == {s.attendance.id for s in expected}
        assert summarize_attendance(records, roster).present == in_room - len(expected)
        # Leaving the case review for an open item: back in, with one key.
        clock.advance(minutes=20)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, BackInDialog)
        await pilot.press("y")
        await pilot.pause()
        assert not any(r.stepped_out for r in live.load().attendance)
        assert summarize_attendance(live.load().attendance, roster).present == in_room
    md = render_minutes(sample_ws, live.meeting_id, "md").decode()
    line = next(ln for ln in md.splitlines() if "Stepped out" in ln)
    assert "Dana Press" in line and first.attendance.name in line and case.title in line


async def test_backing_out_of_the_reminder_leaves_the_item_pending(sample_ws, clock) -> None:
    from facilitate.domain.timer import meeting_clock
    from facilitate.ui.screens.case_review import CaseReviewReminder
    from facilitate.ui.tables import FixedTable

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        items = meeting._visible_items()
        case = next(i for i in items if i.confidential)
        before = items[items.index(case) - 1]
        meeting._goto(before.id)
        await pilot.pause()
        clock.advance(minutes=3)
        projected = meeting_clock(meeting.bundle.meeting, meeting.bundle.items, clock())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CaseReviewReminder)
        clock.advance(seconds=45)  # the reminder is read (longer than the grace period)
        await pilot.press("escape")
        await pilot.pause()
        assert getattr(meeting.current, "id", None) == before.id
        stored = meeting.live.load().item(case.id)
        assert stored is not None and not stored.started
        table = meeting.query_one("#agenda", FixedTable)
        assert table.get_cell(case.id, "used") == "-"
        after = meeting_clock(meeting.bundle.meeting, meeting.bundle.items, clock())
        assert (after.projected_end - projected.projected_end).total_seconds() == 45


async def test_a_quick_double_n_finishes_no_item(sample_ws, clock) -> None:
    from facilitate.ui.tables import FixedTable

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        clock.advance(minutes=4)
        items = meeting._visible_items()
        passed = items[1]
        assert not passed.confidential
        await pilot.press("n", "n")
        await pilot.pause()
        assert getattr(meeting.current, "id", None) == items[2].id
        table = meeting.query_one("#agenda", FixedTable)
        assert table.get_cell(passed.id, "used") == "-"
        assert not getattr(meeting.live.load().item(passed.id), "started", True)


async def test_member_form_sets_the_case_review_standing(sample_ws, clock) -> None:
    from textual.widgets import Select

    from facilitate.ui.screens.tracker_dialogs import MemberForm

    roster = sample_ws.snapshot().roster()
    member = next(m for m in roster.members if m.name == "Mateo Herrera")
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = MemberForm(sample_ws, roster, member)
        app.push_screen(form)
        await pilot.pause()
        select = form.query_one("#mem-case", Select)
        assert select.value == "mou"
        select.value = "undertaking"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = sample_ws.snapshot().roster().member(member.id)
        assert saved is not None and saved.undertaking and not saved.steps_out
        form = MemberForm(sample_ws, sample_ws.snapshot().roster(), saved)
        app.push_screen(form)
        await pilot.pause()
        assert form.query_one("#mem-case", Select).value == "undertaking"
        form.query_one("#mem-case", Select).value = "steps_out"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = sample_ws.snapshot().roster().member(member.id)
        assert saved is not None and saved.steps_out and not saved.undertaking


# --- discoverability --------------------------------------------------------------------------


async def _palette_hits(pilot, query: str) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.6)
    hits = palette.query_one(CommandList)
    found = [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return found


async def test_palette_finds_commands_by_the_words_people_use(sample_ws, clock) -> None:
    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        expected = {
            "vote": "Decision",
            "guest": "Roll call",
            "walk-in": "Roll call",
            "minutes": "Close",
            "export": "Close",
            "quorum": "Roll call",
            "confidential": "Roll call",
            "timer": "Pause",
            "end on time": "Re-plan",
            "agenda": "Next",
        }
        for query, label in expected.items():
            found = await _palette_hits(pilot, query)
            assert any(label in hit for hit in found), (query, found)
        # Still by name, and nothing for nonsense.
        assert any("Decision" in h for h in await _palette_hits(pilot, "decis"))
        assert not any("Decision" in h for h in await _palette_hits(pilot, "zebra"))


async def test_help_opens_at_the_current_screens_keys(sample_ws, clock) -> None:
    from textual.containers import VerticalScroll

    from facilitate.ui.screens.help import HelpScreen

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _roll_call(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.3)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one("#help-body", VerticalScroll)
        assert body.scroll_y == help_screen.section_line > 0
        lines = str(help_screen.query_one("#help-body Static").render()).splitlines()
        assert lines[help_screen.section_line] == "Roll call"


async def test_escape_on_a_filled_in_form_asks_first(sample_ws, clock) -> None:
    from textual.widgets import Input

    from facilitate.ui.screens.dialogs import DecisionForm
    from facilitate.ui.screens.discard import DiscardDialog

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # empty: closes at once
        await pilot.pause()
        assert app.screen is meeting
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        await pilot.press(*"Adopt the annex", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardDialog)
        await pilot.press("n")  # keep editing: the text is still there
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#decision-text", Input).value == "Adopt the annex"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is meeting and meeting.live.load().decisions == []


async def test_training_dialog_opens_on_the_planned_snippet(sample_ws, clock) -> None:
    from textual.widgets import OptionList

    from facilitate.domain.meeting import ItemKind
    from facilitate.ui.screens.dialogs import TrainingPicker

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        item = next(i for i in meeting.bundle.items if i.kind is ItemKind.TRAINING)
        assert item.training_id
        meeting._goto(item.id)
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, TrainingPicker)
        options = picker.query_one("#training-list", OptionList)
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == item.training_id
        assert [s.id for s in picker.snippets].index(item.training_id) > 0  # not just the top


async def test_the_owner_drop_down_stays_inside_the_action_form(sample_ws, clock) -> None:
    from textual.widgets._select import SelectOverlay

    from facilitate.ui.screens.dialogs import ActionForm

    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        for select_id in ("#action-sub", "#action-owner"):
            form.query_one(select_id).focus()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause(0.3)
            overlay = form.query_one(f"{select_id} SelectOverlay", SelectOverlay)
            assert overlay.display and overlay.has_focus
            dialog = form.query_one(".dialog").region
            assert overlay.region.bottom <= dialog.bottom - 1, (select_id, overlay.region, dialog)
            assert overlay.region.height >= 3
            await pilot.press("escape")
            await pilot.pause()


async def _passed_over(pilot, clock, first_keys: tuple[str, ...]):
    """Start, hold the first item 4 minutes, n to the second, then ``first_keys`` with ten
    seconds of meeting time between them (the second item's visit stays under 30 s)."""
    from .conftest import started_meeting

    meeting = await started_meeting(pilot)
    items = meeting._visible_items()
    clock.advance(minutes=4)
    await pilot.press("n")
    await pilot.pause()
    assert meeting.current is not None and meeting.current.id == items[1].id
    for key in first_keys:
        clock.advance(seconds=10)
        await pilot.press(key)
        await pilot.pause()
    return meeting, items


def _used(meeting, item_id: str) -> str:
    from facilitate.ui.tables import FixedTable

    return str(meeting.query_one("#agenda", FixedTable).get_cell(item_id, "used"))


async def test_moving_on_from_a_paused_item_within_the_grace_period(sample_ws, clock) -> None:
    """Paused 10 s in, resumed, left 10 s later: 20 s of meeting time, so no Used time (the
    old rule closed the first span at the pause and kept it: "Used 0:10", item finished)."""
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting, items = await _passed_over(pilot, clock, ("space",))
        assert meeting.bundle.meeting.paused
        clock.advance(minutes=2)
        await pilot.press("space")  # resumed
        await pilot.pause()
        clock.advance(seconds=10)
        await pilot.press("n")
        await pilot.pause()
        assert meeting.current.id == items[2].id
        assert not meeting.live.load().item(items[1].id).started
        assert _used(meeting, items[1].id) == "-"
        assert _used(meeting, items[0].id) == "4:00"


async def test_moving_on_while_paused_within_the_grace_period(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting, items = await _passed_over(pilot, clock, ("space", "n"))
        assert meeting.current.id == items[2].id and not meeting.bundle.meeting.paused
        assert not meeting.live.load().item(items[1].id).started
        assert _used(meeting, items[1].id) == "-"


async def test_ending_the_meeting_within_the_grace_period(sample_ws, clock) -> None:
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.ui.screens.close import CloseScreen

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting, items = await _passed_over(pilot, clock, ("e",))
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("E")
        await pilot.pause()
        stored = meeting.live.load()
        assert stored.meeting.status is MeetingStatus.ENDED
        assert not stored.item(items[1].id).started
        assert stored.item(items[0].id).elapsed_seconds(clock()) == 4 * 60


async def test_previous_item_and_enter_within_the_grace_period(sample_ws, clock) -> None:
    """n, then back (previous item), then Enter on the fourth item and n from there."""
    from textual.widgets import DataTable

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting, items = await _passed_over(pilot, clock, ("b",))
        assert meeting.current.id == items[0].id
        table = meeting.query_one("#agenda", DataTable)
        table.move_cursor(row=3)
        clock.advance(seconds=10)
        await pilot.press("enter")
        await pilot.pause()
        assert meeting.current.id == items[3].id
        clock.advance(seconds=10)
        await pilot.press("n")
        await pilot.pause()
        stored = meeting.live.load()
        assert not stored.item(items[1].id).started and not stored.item(items[3].id).started
        assert _used(meeting, items[1].id) == "-" and _used(meeting, items[3].id) == "-"


async def test_n_and_escape_typed_ahead_back_out_of_the_case_review(sample_ws, clock) -> None:
    """One burst (a laggy SSH link): the step into the case review is saved before the
    back-out, so the meeting ends up on the item before, the case review pending."""
    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        items = meeting._visible_items()
        case = next(i for i in items if i.confidential)
        before = items[items.index(case) - 1]
        meeting._goto(before.id)
        await pilot.pause()
        clock.advance(minutes=3)
        await pilot.press("n", "escape")
        await pilot.pause()
        stored = meeting.live.load()
        assert stored.meeting.current_item_id == before.id
        case_now, before_now = stored.item(case.id), stored.item(before.id)
        assert case_now is not None and before_now is not None
        assert not case_now.started
        assert before_now.elapsed_seconds(clock()) == 3 * 60
        assert meeting.current is not None and meeting.current.id == before.id


async def test_marks_typed_ahead_are_saved_in_order_before_leaving(sample_ws, clock) -> None:
    """A mark is drawn first and saved right after: a burst of marks and Esc (a paste, a
    laggy link) saves every mark, in order, to the person each was meant for."""
    from facilitate.ui.screens.meeting import MeetingScreen

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        first, second, third = screen.records[:3]
        await pilot.press("p", "r", "y", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        stored = {a.id: a.status for a in app.screen.live.load().attendance}
        assert stored[first.id] is AttendanceStatus.PRESENT
        assert stored[second.id] is AttendanceStatus.REMOTE
        assert stored[third.id] is AttendanceStatus.LEFT_EARLY


async def test_a_mark_shows_at_once_and_matches_what_is_saved(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _roll_call(pilot)
        person = screen.records[0]
        await pilot.press("p")
        await pilot.pause()
        shown = _summary(app)
        assert "Present 1" in shown
        stored = next(a for a in screen.live.load().attendance if a.id == person.id)
        assert stored.status is AttendanceStatus.PRESENT
        screen.reload()  # (from disk: the same picture)
        await pilot.pause()
        assert _summary(app) == shown
