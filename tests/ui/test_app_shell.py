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


async def test_remembered_theme_is_drawn_from_the_first_frame_and_css_parsed_once(
    sample_ws, clock, monkeypatch
):
    """The stored theme is set before the app runs: the stylesheet is parsed once, with that
    theme's colours (set after mounting, app.tcss was parsed three times at start-up)."""
    import textual.css.stylesheet

    with sample_ws.transaction() as tx:
        profile = tx.profile()
        profile.theme = THEME_ORDER[1]  # the light theme
        tx.update(profile)
    parsed: list[str] = []
    original = textual.css.stylesheet.parse  # called when the parse cache misses

    def counting(scope, css, read_from, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(read_from[0]).endswith("app.tcss"):
            parsed.append(str(read_from[0]))
        return original(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", counting)
    app = FacilitateApp(sample_ws, clock=clock)
    light = app.get_theme(THEME_ORDER[1])
    assert light is not None and not light.dark
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == THEME_ORDER[1]
        assert app.has_class("-light-mode", f"-theme-{THEME_ORDER[1]}")
        assert not app.has_class("-dark-mode")
        assert (
            app.stylesheet._variables["background"]
            == light.to_color_system().generate()["background"]
        )
        assert app.screen.styles.background.hex.lower() == light.background.lower()
        home_parses = len(parsed)
        await pilot.press("o")  # another screen: its widgets get the same colours
        await pilot.pause()
        assert app.screen.styles.background.hex.lower() == light.background.lower()
    assert home_parses == 1
    # The theme was not "changed" at start-up, so it is not written back.
    assert sample_ws.snapshot().profile().theme == THEME_ORDER[1]
