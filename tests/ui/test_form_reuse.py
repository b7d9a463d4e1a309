"""The decision and action forms are built once per meeting screen and cleared for each use
(building a modal screen was most of what opening one cost): every use must look and behave
like a fresh form, and the forms go away with the meeting screen."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select, Static

from facilitate.domain.roster import Member
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.dialogs import ActionForm, DecisionForm

from .conftest import started_meeting, upcoming


def _texts(form: DecisionForm | ActionForm) -> dict[str, object]:
    return {
        f"#{f.id}": f.value for f in form.query("Input, Select") if isinstance(f, Input | Select)
    }


async def test_decision_form_is_reused_cleared_and_about_the_current_item(sample_ws, clock):
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        first_item = meeting.current
        assert first_item is not None

        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        fresh = _texts(form)
        assert fresh["#decision-method"] == "consensus"
        assert first_item.title[:20] in str(form.query_one("#form-on", Static).render())
        # Leave it dirty: text typed, a vote with counts shown, an error on screen.
        await pilot.press(*"Half typed")
        form.query_one("#decision-method", Select).value = "vote"
        await pilot.pause()
        assert form.query_one("#vote-counts").display
        form.query_one("#votes-for", Input).value = "x"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "whole number" in str(form.query_one("#form-error", Static).render())
        await pilot.press("escape", "y")  # (something was typed: discard, when asked)
        await pilot.pause()
        assert app.screen is meeting
        assert sample_ws.snapshot().bundle(mid).decisions == []

        await pilot.press("n")  # another item
        await pilot.pause()
        second_item = meeting.current
        assert second_item is not None and second_item.id != first_item.id
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is form  # the same screen, not built again
        assert _texts(form) == fresh
        assert not form.query_one("#vote-counts").display
        assert str(form.query_one("#form-error", Static).render()) == ""
        assert form.focused is form.query_one("#decision-text", Input)
        assert second_item.title[:20] in str(form.query_one("#form-on", Static).render())
        await pilot.press(*"Adopt the shared referral form", "ctrl+s")
        await pilot.pause()
        assert app.screen is meeting
        # And once more: a second decision, on the same item.
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is form and _texts(form) == fresh
        await pilot.press(*"Meet again in March", "ctrl+s")
        await pilot.pause()
        decisions = sample_ws.snapshot().bundle(mid).decisions
        assert [(d.text, d.agenda_item_id) for d in decisions] == [
            ("Adopt the shared referral form", second_item.id),
            ("Meet again in March", second_item.id),
        ]


async def test_action_form_is_built_again_when_the_roster_changed(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is form  # roster unchanged: reused
        await pilot.press("escape")
        await pilot.pause()

        roster = sample_ws.snapshot().roster()
        org = roster.organizations[0]
        with sample_ws.transaction() as tx:
            tx.add(Member(name="Newly Added Person", organization_id=org.id, role="Analyst"))
        await pilot.press("a")
        await pilot.pause()
        rebuilt = app.screen
        assert isinstance(rebuilt, ActionForm) and rebuilt is not form
        assert not form.is_attached  # the old one is gone
        owners = rebuilt.query_one("#action-owner", Select)
        assert any("Newly Added Person" in str(label) for label, _ in owners._options)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is meeting


async def test_forms_go_away_with_the_meeting_screen(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        for key in ("d", "a"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        forms = list(meeting._kept.values())  # (the case reminder too, if built by now)
        assert {DecisionForm, ActionForm} <= {type(f) for f in forms}
        assert all(f.is_attached for f in forms)
        assert list(app._installed_screens.values()) == forms
        meeting.dismiss(None)
        await pilot.pause()
        await pilot.pause()
        assert not meeting.is_attached
        assert not any(f.is_attached for f in forms)
        assert not app._installed_screens


async def test_confidentiality_reminder_is_kept_while_its_statement_stays(sample_ws, clock):
    from facilitate.domain.meeting import ItemKind
    from facilitate.ui.screens.dialogs import ConfidentialityDialog

    meeting_id = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started_meeting(pilot)
        items = sample_ws.snapshot().bundle(meeting_id).items
        case = next(i for i in items if i.kind is ItemKind.CASE_REVIEW)
        before = items[items.index(case) - 1]

        async def enter_case() -> ConfidentialityDialog:
            screen._goto(before.id)
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ConfidentialityDialog)
            assert screen.current is not None and screen.current.id == case.id
            return dialog

        first = await enter_case()
        statement = sample_ws.snapshot().profile().confidentiality_statement
        assert str(first.query_one("#statement", Static).render()) == statement
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert await enter_case() is first  # kept
        await pilot.press("enter")
        await pilot.pause()

        profile = sample_ws.snapshot().profile()
        profile.confidentiality_statement = "A new statement agreed by the members."
        with sample_ws.transaction() as tx:
            tx.update(profile)
        third = await enter_case()
        assert third is not first and not first.is_attached
        assert "A new statement" in str(third.query_one("#statement", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen


async def test_a_kept_form_is_restyled_when_shown_only_after_the_styles_changed(
    sample_ws, clock, monkeypatch
):
    """Showing a kept form skips Textual's restyle of all its widgets (the first time too:
    they were styled as they were mounted), unless the app's styles changed meanwhile:
    after a theme change it shows the new theme's colours. (The snapshots show the first
    showing's look.)"""
    from textual.screen import Screen

    restyled: list[str] = []
    real = Screen.update_node_styles

    def counting(self, animate: bool = True) -> None:
        restyled.append(type(self).__name__)
        real(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", counting)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        for _ in range(3):
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DecisionForm)
            await pilot.press("escape")
            await pilot.pause()
        assert restyled.count("DecisionForm") == 0
        form = next(s for s in app._installed_screens.values() if isinstance(s, DecisionForm))
        box = form.query_one(".dialog")
        dark = box.styles.background
        app.theme = "facilitate-light"
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is form
        assert restyled.count("DecisionForm") == 1
        assert box.styles.background != dark
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert restyled.count("DecisionForm") == 1


def _count_layouts(monkeypatch) -> list[str]:
    """Record the screen type of every layout pass (``Screen._refresh_layout``)."""
    from textual.screen import Screen

    layouts: list[str] = []
    real = Screen._refresh_layout

    def counting(self, *args, **kwargs):
        layouts.append(type(self).__name__)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    return layouts


async def test_reopening_a_kept_form_lays_it_out_only_when_a_line_changes_height(
    sample_ws, clock, monkeypatch
):
    layouts = _count_layouts(monkeypatch)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        error = form.query_one("#form-error", Static)
        fresh_height = error.size.height
        await pilot.press("ctrl+s")  # empty: a one-line error, in the line kept for it
        await pilot.pause()
        assert "decision" in str(error.render()).lower()
        await pilot.press("escape")
        await pilot.pause()
        layouts.clear()
        await pilot.press("d")  # same item; the error goes, no line changes height
        await pilot.pause()
        assert app.screen is form and "DecisionForm" not in layouts
        assert str(error.render()) == "" and error.size.height == fresh_height
        assert isinstance(form, DecisionForm)
        form.show_error("A long message. " * 12)  # wraps: the form is laid out again
        await pilot.pause()
        assert "DecisionForm" in layouts and error.size.height > fresh_height
        await pilot.press("escape")
        await pilot.pause()
        layouts.clear()
        await pilot.press("d")
        await pilot.pause()
        assert "DecisionForm" in layouts and error.size.height == fresh_height


async def _prebuilt(pilot: Any, meeting: Any) -> dict[type, Any]:
    """Wait until the meeting screen built its seven dialogs in idle time (the four forms,
    the record's decision form, the speaker picker and the round screen)."""
    for _ in range(80):
        await pilot.pause(0.05)
        if len(meeting._kept) == 7 and all(d.is_mounted for d in meeting._kept.values()):
            break
    return dict(meeting._kept)


async def test_the_dialogs_are_built_in_idle_time_and_the_first_opening_uses_them(
    sample_ws, clock, monkeypatch
):
    """A while after the meeting opens, its forms and (the agenda has a case review) the
    case reminder are built but not shown; the first "d" then shows the built form, about
    the current item, and it records a decision."""
    from facilitate.ui.screens import meeting as meeting_module
    from facilitate.ui.screens.case_review import CaseReviewReminder
    from facilitate.ui.screens.dialogs import ConfidentialityDialog

    monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 0.05)
    monkeypatch.setattr(meeting_module, "PREBUILD_GAP", 0.05)
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        kept = await _prebuilt(pilot, meeting)
        from facilitate.ui.screens.agenda_edit import AddItemForm
        from facilitate.ui.screens.meeting_record import DecisionEditForm
        from facilitate.ui.screens.round import RoundScreen
        from facilitate.ui.screens.speakers import SpeakerPicker

        assert set(kept) == {
            DecisionForm,
            ActionForm,
            CaseReviewReminder,
            AddItemForm,
            DecisionEditForm,
            SpeakerPicker,  # (issue 20: a name typed right after "s" lands in its filter)
            RoundScreen,  # (the agenda has information sharing: R shows it)
        }
        assert issubclass(CaseReviewReminder, ConfidentialityDialog)
        assert all(d.is_mounted for d in kept.values())
        assert app.screen is meeting
        assert not any(d in app.screen_stack for d in kept.values())  # none shown
        await pilot.press("n")  # another item than the one current when they were built
        await pilot.pause()
        item = meeting.current
        assert item is not None
        await pilot.press("d")
        await pilot.pause()
        form = kept[DecisionForm]
        assert app.screen is form
        assert isinstance(form, DecisionForm)
        assert item.title[:20] in str(form.query_one("#form-on", Static).render())
        await pilot.press(*"Adopt the referral checklist", "ctrl+s")
        await pilot.pause()
        assert app.screen is meeting
        decisions = sample_ws.snapshot().bundle(mid).decisions
        assert [(d.text, d.agenda_item_id) for d in decisions] == [
            ("Adopt the referral checklist", item.id)
        ]


async def test_a_form_opened_while_its_idle_build_is_under_way_is_built_anew(
    sample_ws, clock, monkeypatch
):
    """The dialog built in idle time has no widgets yet right after it is registered: "d"
    at that moment builds a form of its own (and drops the unfinished one)."""
    from facilitate.ui.screens import meeting as meeting_module

    monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 3600.0)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        meeting._prebuild()  # what the timer does: the case reminder first,
        meeting._prebuild()  # then the decision form
        building = meeting._kept[DecisionForm]
        assert not building.is_mounted
        meeting.action_decision()  # in the same turn, before it could compose
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm) and form is not building
        assert meeting._kept[DecisionForm] is form
        await pilot.pause()
        assert not building.is_attached
        await pilot.press(*"Text", "escape", "y")  # (discard, when asked)
        await pilot.pause()
        assert app.screen is meeting


async def test_an_ended_meeting_builds_no_dialogs(sample_ws, clock, monkeypatch):
    from facilitate.domain.meeting import MeetingStatus
    from facilitate.ui.screens import meeting as meeting_module

    monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 3600.0)  # (called here instead)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        meeting._prebuild()
        assert len(meeting._kept) == 1  # (running: one per call)
        meeting.bundle.meeting.status = MeetingStatus.ENDED
        meeting._prebuild()
        assert len(meeting._kept) == 1


async def test_a_dialog_built_ahead_is_shown_without_a_layout_pass_and_looks_the_same(
    tmp_path, monkeypatch
):
    """Built and laid out while hidden, the decision form's first showing lays nothing out,
    and it shows exactly what a form built on the spot shows. Built on the spot, it is laid
    out twice (the first layout sets each widget's scrollable size, which asks for
    another); Screen's Resize handler would add a third, for the size just laid out."""
    from facilitate.ui.screens import meeting as meeting_module

    from .conftest import FakeClock, make_sample

    layouts = _count_layouts(monkeypatch)
    monkeypatch.setattr(meeting_module, "PREBUILD_GAP", 0.05)

    async def first_showing(ahead: bool) -> tuple[list[str], int]:
        monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 0.05 if ahead else 3600.0)
        ws = make_sample(tmp_path / f"ws-{ahead}")
        app = FacilitateApp(ws, clock=FakeClock(upcoming(ws).start.subtract(minutes=5)))
        async with app.run_test(size=(80, 24)) as pilot:
            meeting = await started_meeting(pilot)
            if ahead:
                form = (await _prebuilt(pilot, meeting))[DecisionForm]
                for _ in range(40):  # until its hidden layout is done
                    await pilot.pause(0.05)
                    if form.size == app.size and not form._layout_required:
                        break
            layouts.clear()
            await pilot.press("d")
            await pilot.pause()
            await pilot.pause(0.1)
            assert isinstance(app.screen, DecisionForm)
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            return lines, layouts.count("DecisionForm")

    on_the_spot, layouts_on_the_spot = await first_showing(ahead=False)
    ahead, layouts_ahead = await first_showing(ahead=True)
    assert ahead == on_the_spot
    assert any("Record a decision" in line for line in ahead)
    assert layouts_on_the_spot == 2 and layouts_ahead == 0


async def test_forms_handle_their_mount_without_their_widgets(sample_ws, clock, monkeypatch):
    """A form built ahead of use can lose its widgets before its Mount is handled (the
    program quits just then: a full test run once failed with NoMatches from the decision
    form's Mount handler). Nothing in handling Mount may need them."""
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        for form_type in (DecisionForm, ActionForm):
            form = form_type(meeting.live, meeting.current)
            monkeypatch.setattr(form, "compose", lambda: iter(()))  # (no widgets)
            app.push_screen(form)
            await pilot.pause()
            assert app.screen is form and form.is_mounted
            app.pop_screen()
            await pilot.pause()
    assert app.return_code is None  # (an exception in a handler ends the app with 1)


async def test_the_record_uses_the_decision_form_the_meeting_keeps(sample_ws, clock, monkeypatch):
    """c then e at once (typed ahead): the record's decision form was built ahead by the
    meeting screen, and the same one serves every opening of the record."""
    from textual.widgets import DataTable, Input

    from facilitate.domain.meeting import Decision
    from facilitate.services.live import LiveMeeting
    from facilitate.ui.screens import meeting as meeting_module
    from facilitate.ui.screens.meeting_record import DecisionEditForm

    monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 0.05)
    monkeypatch.setattr(meeting_module, "PREBUILD_GAP", 0.05)
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await started_meeting(pilot)
        kept = (await _prebuilt(pilot, meeting))[DecisionEditForm]
        LiveMeeting(sample_ws, mid, clock).add_decision(Decision(meeting_id=mid, text="Adopt"))
        for text in ("Adopt it", "Adopt it all"):
            await pilot.press("c", "e")
            await pilot.pause()
            assert app.screen is kept
            app.screen.query_one("#decision-text", Input).value = text
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen.query_one("#record-table", DataTable), DataTable)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is meeting and kept.is_mounted
            assert [d.text for d in sample_ws.snapshot().bundle(mid).decisions] == [text]
