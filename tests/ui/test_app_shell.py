"""Discoverability and preferences: palette, help screen, themes remembered."""

from __future__ import annotations

from facilitate.ui.app import THEME_ORDER, FacilitateApp
from facilitate.ui.commands import TABLES
from facilitate.ui.screens.dialogs import DecisionForm
from facilitate.ui.screens.help import HelpScreen
from facilitate.ui.screens.meeting import MeetingScreen


async def test_palette_runs_a_screen_command(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Decision")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, DecisionForm)


async def test_help_lists_every_command(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body Static").render())
        for commands in TABLES.values():
            for command in commands:
                assert command.help in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_theme_choice_is_remembered(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == THEME_ORDER[0]
        await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        assert app.theme == THEME_ORDER[1]
    assert sample_ws.snapshot().profile().theme == THEME_ORDER[1]
    again = FacilitateApp(sample_ws, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == THEME_ORDER[1]
