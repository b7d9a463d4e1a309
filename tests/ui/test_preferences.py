"""Per-user preferences (issue 16): the theme is kept for the OS user in their config folder,
never in the shared workspace; the user's own themes folder is read, a broken theme file is
named in a warning. (tests/conftest.py points the config folder at a temporary one.)"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import pytest

from facilitate.services import preferences
from facilitate.ui.app import THEME_ORDER, FacilitateApp
from facilitate.ui.follow_app import FollowApp

from .conftest import upcoming


def _config() -> Path:
    return Path(os.environ["FACILITATE_CONFIG_DIR"])


def test_tests_never_use_the_real_config_folder() -> None:
    assert preferences.config_dir() == _config()
    assert not _config().is_relative_to(Path.home() / ".config")


async def test_ctrl_t_is_kept_for_the_user_not_in_the_workspace(sample_ws, clock) -> None:
    audit_before = sample_ws.audit_path.read_bytes() if sample_ws.audit_path.exists() else b""
    collab_before = sample_ws.collaborative_path.read_bytes()
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        assert app.theme == THEME_ORDER[1]
    # Nothing in the shared workspace: no profile revision, no "update profile" line.
    assert sample_ws.collaborative_path.read_bytes() == collab_before
    after = sample_ws.audit_path.read_bytes() if sample_ws.audit_path.exists() else b""
    assert after == audit_before
    path = _config() / "preferences.toml"
    assert tomllib.loads(path.read_text())["theme"] == THEME_ORDER[1]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp")]


async def test_another_user_keeps_their_own_theme(sample_ws, clock, tmp_path, monkeypatch) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t", "ctrl+t")  # this user: the projector theme
        await pilot.pause(0.3)
    monkeypatch.setenv("FACILITATE_CONFIG_DIR", str(tmp_path / "other-user"))
    other = FacilitateApp(sample_ws, clock=clock)
    async with other.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert other.theme == THEME_ORDER[0]


async def test_a_theme_stored_in_the_profile_is_the_default_until_the_user_chooses(
    sample_ws, clock
) -> None:
    with sample_ws.transaction() as tx:
        profile = tx.profile()
        profile.theme = THEME_ORDER[2]  # written by an older version
        tx.update(profile)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == THEME_ORDER[2]
    preferences.remember_theme(THEME_ORDER[1])
    again = FacilitateApp(sample_ws, clock=clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == THEME_ORDER[1]
    follow = FollowApp(sample_ws, upcoming(sample_ws).id, clock=clock)
    async with follow.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert follow.theme == THEME_ORDER[1]


async def test_user_themes_are_read_and_a_broken_one_is_named(sample_ws, clock) -> None:
    themes = _config() / "themes"
    themes.mkdir()
    (themes / "harbour.json").write_text(
        json.dumps({"name": "harbour", "dark": True, "primary": "#1E88E5", "background": "#101820"})
    )
    (themes / "broken.json").write_text('{"name": "broken", "primary": ')
    (themes / "badcolour.json").write_text(json.dumps({"name": "bad", "primary": "blurple"}))
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "harbour" in app.themes_in_order()
        assert "bad" not in app.themes_in_order() and "broken" not in app.available_themes
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("broken.json skipped" in w for w in warnings)
        assert any("badcolour.json skipped" in w and "blurple" in w for w in warnings)
        for _ in range(len(THEME_ORDER)):
            await pilot.press("ctrl+t")
        await pilot.pause(0.3)
        assert app.theme == "harbour"
    assert preferences.load().theme == "harbour"


def test_the_toml_writer_round_trips_hostile_text(hostile_strings) -> None:
    for text in hostile_strings:
        assert tomllib.loads(preferences.dumps({"theme": text}))["theme"] == text


def test_a_broken_preferences_file_is_reported_and_never_overwritten() -> None:
    path = _config() / "preferences.toml"
    path.write_text("theme = 'dark\n")
    prefs = preferences.load()
    assert "not valid TOML" in prefs.problem and str(path) in prefs.problem
    with pytest.raises(preferences.PreferencesError, match="fix or remove it"):
        preferences.remember_theme("facilitate-light")
    assert path.read_text() == "theme = 'dark\n"


def test_keys_of_a_newer_version_are_kept() -> None:
    path = _config() / "preferences.toml"
    path.write_text('theme = "facilitate-light"\nfont_scale = 2\nsound = false\n')
    preferences.remember_theme("facilitate-dark")
    data = tomllib.loads(path.read_text())
    assert data == {"theme": "facilitate-dark", "font_scale": 2, "sound": False}
