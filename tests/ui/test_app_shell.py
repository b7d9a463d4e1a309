"""Discoverability and preferences: palette, help screen, themes remembered."""

from __future__ import annotations

from textual.widgets import Input

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
    """For this user (see test_preferences), not in the shared workspace's profile."""
    profile_theme = sample_ws.snapshot().profile().theme
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == THEME_ORDER[0]
        await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        assert app.theme == THEME_ORDER[1]
    assert sample_ws.snapshot().profile().theme == profile_theme
    again = FacilitateApp(sample_ws, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == THEME_ORDER[1]


async def test_theme_key_works_in_dialogs_too(sample_ws, clock):
    """Help lists ctrl+t under "Everywhere": a dialog (a modal screen) hides the app's other
    bindings, so it is a priority binding."""
    from .conftest import started_meeting

    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await started_meeting(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionForm)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == THEME_ORDER[1]
        assert app.screen.query_one("#decision-text", Input).value == ""  # (not typed into)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == THEME_ORDER[2]


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

    def counting(scope, css, read_from, *args, **kwargs):
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
        assert app.screen.styles.background.hex.lower() == str(light.background).lower()
        home_parses = len(parsed)
        await pilot.press("o")  # another screen: its widgets get the same colours
        await pilot.pause()
        assert app.screen.styles.background.hex.lower() == str(light.background).lower()
    assert home_parses == 1
    # The theme was not "changed" at start-up, so it is not written back.
    assert sample_ws.snapshot().profile().theme == THEME_ORDER[1]


async def test_start_up_backup_and_garbage_collection_follow_the_first_frame(
    sample_ws, clock, monkeypatch
):
    """`facilitate` defers the start-up backup and pauses garbage collection (launcher) so the
    first screen comes sooner; the app takes the backup and resumes collection right after its
    first frame."""
    import gc

    backups = sample_ws.backups_dir
    before = {p.name for p in backups.iterdir()}
    sample_ws.defer_backup()
    app = FacilitateApp(sample_ws, clock=clock)
    seen: list[tuple[bool, int]] = []
    original = app._after_first_frame

    def after_first_frame() -> None:
        # The home screen has been drawn once already (its refresh ran before this).
        seen.append((app.screen.is_mounted, len({p.name for p in backups.iterdir()} - before)))
        original()

    monkeypatch.setattr(app, "_after_first_frame", after_first_frame)
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            new = {p.name for p in backups.iterdir()} - before
            assert len(new) == 1
            (folder,) = (backups / name for name in new)
            assert (folder / "collaborative.json").read_bytes() == (
                sample_ws.collaborative_path.read_bytes()
            )
    finally:
        gc.enable()
    assert seen == [(True, 0)]  # not taken before the first frame


async def test_a_failed_start_up_backup_is_shown_not_fatal(sample_ws, clock, monkeypatch):
    from facilitate.storage.errors import DiskWriteError
    from facilitate.storage.workspace import Workspace

    def full(self):
        raise DiskWriteError(self.backups_dir, OSError(28, "No space left on device"))

    monkeypatch.setattr(Workspace, "backup", full)
    sample_ws.defer_backup()
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            "start-up backup could not be written" in m and "No space left" in m for m in messages
        )
        assert app.screen.is_mounted  # still running, on the home screen
