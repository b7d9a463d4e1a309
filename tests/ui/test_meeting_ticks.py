"""The meeting clock ticks four times a second; only what changed is redrawn, and the
fixed-size lines are redrawn without a layout pass (a running meeting used ~90 ms of CPU a
second for a clock, now ~25 ms)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import DataTable, Digits, Static

from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.follow_app import FollowApp
from facilitate.ui.screens.follow import FollowScreen
from facilitate.ui.screens.meeting import Countdown, MeetingScreen
from facilitate.ui.tables import FixedTable

from .conftest import start_meeting, upcoming


def _record_redraws(monkeypatch) -> list[tuple[str, bool]]:
    """Every Static update (with its layout flag), Digits update and table cell update
    (``update_cell``, or ``FixedTable.update_row`` which re-renders one row)."""
    calls: list[tuple[str, bool]] = []
    real_static_update = Static.update
    real_cell_update = DataTable.update_cell
    real_row_update = FixedTable.update_row
    real_digits_update = Digits.update
    real_countdown_update = Countdown.update

    def static_update(self, content="", *, layout=True):
        calls.append((f"static #{self.id}", layout))
        real_static_update(self, content, layout=layout)

    def cell_update(self, row, column, value, **kwargs):
        calls.append((f"cell {column}", False))
        real_cell_update(self, row, column, value, **kwargs)

    def row_update(self, row, values):
        calls.extend((f"cell {column}", False) for column in values)
        real_row_update(self, row, values)

    def digits_update(self, value):
        calls.append(("digits", False))
        real_digits_update(self, value)

    def countdown_update(self, value):
        calls.append(("digits", False))
        real_countdown_update(self, value)

    monkeypatch.setattr(Static, "update", static_update)
    monkeypatch.setattr(DataTable, "update_cell", cell_update)
    monkeypatch.setattr(FixedTable, "update_row", row_update)
    monkeypatch.setattr(Digits, "update", digits_update)
    monkeypatch.setattr(Countdown, "update", countdown_update)  # (the meeting's Digits)
    return calls


async def test_ticks_within_a_second_redraw_nothing_and_a_new_second_redraws_once(
    sample_ws, clock, monkeypatch
) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.current is not None and screen.current.running
        calls = _record_redraws(monkeypatch)

        clock.advance(seconds=1)
        screen.tick()
        first = sorted(calls)
        assert ("digits", False) in first and ("cell used", False) in first
        assert ("static #clockbar", False) in first  # redrawn in place: no layout pass
        calls.clear()
        for _ in range(3):  # the other ticks of the same second
            screen.tick()
        assert calls == []
        clock.advance(seconds=1)
        screen.tick()
        assert sorted(calls) == sorted(
            [("static #clockbar", False), ("digits", False), ("cell used", False)]
        )
        digits = screen.query_one("#countdown", Digits)
        state = screen.query_one("#item-state", Static)
        assert digits.value and "remaining" in str(state.render())


async def test_the_follow_view_also_redraws_only_what_changed(
    sample_ws: Workspace, clock, monkeypatch
) -> None:
    meeting = upcoming(sample_ws)
    live = LiveMeeting(sample_ws, meeting.id, clock)
    live.start()
    live.goto(live.load().items[0].id)
    app = FollowApp(Workspace.open(sample_ws.root, read_only=True), meeting.id, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowScreen)
        calls = _record_redraws(monkeypatch)
        clock.advance(seconds=1)
        screen.tick()
        assert ("digits", False) in calls and ("static #follow-status", False) in calls
        calls.clear()
        screen.tick()
        assert calls == []
        clock.advance(seconds=1)
        screen.tick()
        assert sorted(calls) == sorted(
            [("static #follow-status", False), ("digits", False), ("cell used", False)]
        )


async def test_a_covered_meeting_screen_draws_nothing_but_still_rings_the_bell(
    sample_ws, clock, monkeypatch
) -> None:
    """Under the roll call (an opaque screen) the meeting's clock and its poll leave the
    widgets alone: Textual repaints the whole top screen for any change in the screen under
    it. The overrun bell still rings, and the meeting catches up when it is shown again."""
    from facilitate.ui.screens import meeting as meeting_module

    # (The forms the meeting builds ahead of use update their own widgets while they are
    # built, not the meeting's: kept out of what is counted here.)
    monkeypatch.setattr(meeting_module, "PREBUILD_AFTER", 3600.0)
    app = FacilitateApp(sample_ws, clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen) and screen.current is not None
        reloads: list[int] = []
        real_reload = screen.reload
        screen.reload = lambda: (reloads.append(1), real_reload())[1]  # type: ignore[method-assign, func-returns-value]
        await pilot.press("i")
        await pilot.pause()
        assert type(app.screen).__name__ == "RollCallScreen"
        calls = _record_redraws(monkeypatch)
        reloads.clear()

        await pilot.press("p")  # a mark saves the meeting file the meeting screen polls
        await pilot.pause()
        clock.advance(seconds=3)
        screen.tick()
        screen.poll()
        await pilot.pause(0.3)
        assert reloads == [], "the covered meeting screen re-read its meeting"
        assert [c for c in calls if "rollcall" not in c[0] and c[0] != "cell status"] == []

        clock.advance(seconds=screen.current.planned_minutes * 60)
        screen.tick()
        assert bells == [1], "the overrun bell rings under the roll call too"

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "over by" in str(screen.query_one("#item-state").render())
        assert ("digits", False) in calls


async def test_under_a_dialog_the_clock_redraws_what_changed_not_the_whole_dialog(
    sample_ws, clock
) -> None:
    """With a form open over a running meeting, a clock tick repaints only what changed
    behind the form (Textual marked the screen under it for a full repaint after each
    change, which every later tick carried out: the whole dialog, blended cell by cell)."""
    from textual._compositor import Compositor

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_meeting(pilot)
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "DecisionForm"
        full: list[int] = []
        real = Compositor.render_full_update

        def counting(self, *args, **kwargs):
            full.append(1)
            return real(self, *args, **kwargs)

        Compositor.render_full_update = counting  # type: ignore[method-assign]
        try:
            for _ in range(3):
                clock.advance(seconds=1)
                meeting.tick()
                await pilot.pause()
                for _ in range(3):  # ticks within the same second: nothing changes
                    meeting.tick()
                    meeting.poll()
                    await pilot.pause()
        finally:
            Compositor.render_full_update = real  # type: ignore[method-assign]
        assert full == []
        now = meeting.bundle.meeting.local(clock()).format("HH:mm:ss")
        assert now in str(meeting.query_one("#clockbar").render())
        # The dimmed meeting behind the form shows the new time too.
        lines = app.screen._compositor.render_update(
            full=True, screen_stack=app._background_screens
        )
        console = Console(width=80, height=24, record=True, file=io.StringIO())
        console.print(lines)
        assert now in console.export_text()
        assert form is app.screen
