"""Keys typed ahead land where the user meant (issue 16): a burst of keys with Tab, Shift+Tab
or Enter in it, as a paste or a laggy SSH link delivers it, fills each field in order.

The keys are posted to the app in one go, as the terminal driver does for a burst: nothing
runs between them, so a focus change that waits for the old field to process its queue
sends the later keys to the wrong field (For = "1542" before the fix)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Select

from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.dialogs import DecisionForm, GuestForm

from .conftest import start_meeting


def burst(app: FacilitateApp, keys: str | list[str]) -> None:
    """Post every key to the app at once, as a terminal driver does for pasted text."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


async def test_vote_counts_typed_ahead_fill_each_field(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DecisionForm)
        form.query_one("#decision-method", Select).value = "vote"
        await pilot.pause()
        form.query_one("#votes-for", Input).focus()
        await pilot.pause()
        # Back to For with Shift+Tab twice: its text is selected on focus, "16" replaces it.
        burst(app, [*"15", "tab", "4", "tab", "2", "shift+tab", "shift+tab", *"16"])
        await pilot.pause()
        await pilot.pause()
        values = [form.query_one(f"#votes-{n}", Input).value for n in ("for", "against", "abstain")]
        assert values == ["16", "4", "2"]


async def test_guest_typed_ahead_with_tab_and_enter(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GuestForm)
        burst(app, [*"Pat Guest", "tab", *"Observer", "enter", *"City Hall"])
        await pilot.pause()
        await pilot.pause()
        values = [form.query_one(f"#guest-{n}", Input).value for n in ("name", "role", "org")]
        assert values == ["Pat Guest", "Observer", "City Hall"]
        burst(app, ["enter"])  # Enter in the last field saves
        await pilot.pause()
        await pilot.pause()
        assert app.screen is not form
        guests = [a for a in app.screen.live.load().attendance if a.is_guest]  # type: ignore[attr-defined]
        assert [(g.name, g.role, g.organization_name) for g in guests] == [
            ("Pat Guest", "Observer", "City Hall")
        ]


async def test_feedback_and_member_forms_typed_ahead(sample_ws, clock) -> None:
    from facilitate.ui.screens.dialogs import FeedbackForm
    from facilitate.ui.screens.tracker_dialogs import MemberForm

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        live = app.screen.live  # type: ignore[attr-defined]
        feedback = FeedbackForm(live)
        app.push_screen(feedback)
        await pilot.pause()
        burst(app, ["4", "tab", *"Good pace", "tab", *"Sofia"])
        await pilot.pause()
        await pilot.pause()
        values = [feedback.query_one(f"#fb-{n}", Input).value for n in ("rating", "comment", "who")]
        assert values == ["4", "Good pace", "Sofia"]
        feedback.dismiss(False)
        await pilot.pause()
        roster = sample_ws.snapshot().roster()
        member = MemberForm(sample_ws, roster)
        app.push_screen(member)
        await pilot.pause()
        # Name, Role, then the organization drop-down (skipped over with Tab), then Contact.
        burst(app, [*"Pat Lee", "tab", *"Officer", "tab", "tab", *"pat@example.org"])
        await pilot.pause()
        await pilot.pause()
        values = [member.query_one(f"#mem-{n}", Input).value for n in ("name", "role", "contact")]
        assert values == ["Pat Lee", "Officer", "pat@example.org"]
