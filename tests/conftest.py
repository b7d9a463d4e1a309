"""Shared fixtures: hostile strings, fixed clocks, temporary workspaces."""

from __future__ import annotations

import os
from pathlib import Path

import pendulum
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_HOSTILE = ROOT.parent / "shared" / "fixtures" / "hostile_strings.txt"
LOCAL_HOSTILE = Path(__file__).parent / "data" / "hostile_strings.txt"


def load_hostile_strings() -> list[str]:
    source = SHARED_HOSTILE if SHARED_HOSTILE.exists() else LOCAL_HOSTILE
    values = []
    for line in source.read_text("ascii").splitlines():
        if line == "":
            continue
        values.append(line.encode("ascii").decode("unicode_escape"))
    return values


HOSTILE_STRINGS = load_hostile_strings()


@pytest.fixture
def hostile_strings() -> list[str]:
    return list(HOSTILE_STRINGS)


@pytest.fixture(autouse=True)
def _private_umask():
    old = os.umask(0o077)
    yield
    os.umask(old)


@pytest.fixture(autouse=True)
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Per-user preferences (the theme) go to a temporary config folder, never the real home."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("FACILITATE_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def fixed_now() -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


# Tests that drive the app (Pilot, snapshots, a real terminal, tmux) or measure the machine
# (benchmark smoke run) wait on rendering and wall-clock pauses: `make test` runs them in one
# process after the rest, which runs on one worker per core (pytest-xdist). Under a second
# worker's load they saw a form captured mid-layout and keys landing before a screen opened.
SERIAL_PARTS = ("tests/ui/", "tests/e2e/", "tests/test_bench_smoke.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(ROOT).as_posix()
        if where.startswith(SERIAL_PARTS):
            item.add_marker(pytest.mark.serial)


@pytest.fixture
def fake_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The full-screen commands (app, demo, follow) run as if on a terminal: they refuse a
    pipe, and pytest's stdin and stdout are not terminals."""
    monkeypatch.setattr("facilitate.cli_common.has_terminal", lambda: True)
