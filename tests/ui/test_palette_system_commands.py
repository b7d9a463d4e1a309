"""The command palette keeps Textual's own system commands (theme picker, keys panel,
screenshot, quit) beside ours, each once: the override used to drop them, and listed
"Quit (q)" and "Quit (^q)" both."""

from __future__ import annotations

from collections import Counter

from textual.command import CommandList, CommandPalette

from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.commands import command_name
from facilitate.ui.follow_app import FollowApp
from facilitate.ui.screens.home import HomeScreen
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import started_meeting, upcoming

TEXTUAL = {"Theme", "Keys", "Screenshot", "Quit"}


async def _listed(pilot) -> list[str]:
    """Every entry the palette lists with nothing typed (its titles, first line each)."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.6)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    hits = palette.query_one(CommandList)
    titles = [
        str(hits.get_option_at_index(n).prompt).splitlines()[0] for n in range(hits.option_count)
    ]
    await pilot.press("escape")
    await pilot.pause()
    return titles


def _assert_once_each(titles: list[str]) -> None:
    doubled = [t for t, n in Counter(titles).items() if n > 1]
    assert not doubled, doubled
    names = Counter(command_name(t) for t in titles)
    assert all(names[name] == 1 for name in TEXTUAL), names


async def test_home_palette_has_textuals_commands_and_ours_once(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        titles = await _listed(pilot)
        _assert_once_each(titles)
        assert {"Theme", "Keys", "Screenshot"} <= set(titles)  # Textual's, as Textual names them
        assert "Quit (q)" in titles and "Quit (^q)" not in titles  # the home screen's key
        for ours in ("Start/resume (s)", "Actions (a)", "Help (?)", "Theme: dark"):
            assert ours in titles, titles


async def test_meeting_palette_has_textuals_commands_and_ours_once(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        assert isinstance(app.screen, MeetingScreen)
        titles = await _listed(pilot)
        _assert_once_each(titles)
        assert {"Theme", "Keys", "Screenshot", "Quit (^q)"} <= set(titles)
        for ours in ("Decision (d)", "Next (n)", "Help (?)"):
            assert ours in titles, titles


async def test_textuals_keys_command_runs(sample_ws, clock) -> None:
    """Not just listed: Textual's "Keys" opens its keys panel from our palette."""
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Keys")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.query("HelpPanel")


async def test_follow_palette_keeps_textuals_commands_too(sample_ws, clock) -> None:
    meeting = upcoming(sample_ws)
    app = FollowApp(Workspace.open(sample_ws.root, read_only=True), meeting.id, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = await _listed(pilot)
        _assert_once_each(titles)
        # The follow view's own "Theme (^t)" and "Quit (q)" stand for Textual's.
        assert {"Keys", "Screenshot", "Theme (^t)", "Quit (q)"} <= set(titles)
