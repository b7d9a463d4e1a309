"""The app's title, subtitles and notifications pass through the one output filter.

A stored "\\x1b]0;pwned\\x07" in the collaborative's name or a meeting's title used to reach the
terminal through the header: the tmux pane was renamed "pwned". Text is planted straight into
the JSON files, as a hostile member of a shared group would.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from textual.screen import ModalScreen, Screen

from facilitate.ui import screens as screens_package
from facilitate.ui.app import FacilitateApp
from facilitate.ui.safe_text import SafeTitles

from .conftest import FakeClock, make_sample, start_meeting, upcoming

PAYLOAD = "\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07\x1b[2J\x9b2J\x9d0;pwned\x9c\u202egnp\u2066x\u2069"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_safe(text: object) -> None:
    value = str(text)
    assert UNSAFE.search(value) is None and "pwned" not in value, repr(value)


def plant(root: Path) -> str:
    """PAYLOAD appended to the collaborative's name and to the upcoming meeting's title."""
    collab = root / "collaborative.json"
    doc = json.loads(collab.read_text("utf-8"))
    profile = next(iter(doc["profile"].values()))
    profile["name"] += PAYLOAD
    collab.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    target = max((root / "meetings").glob("mtg-*.json"))
    doc = json.loads(target.read_text("utf-8"))
    meeting = next(iter(doc["meeting"].values()))
    meeting["title"] += PAYLOAD
    target.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return str(meeting["id"])


async def test_titles_subtitles_and_notifications_are_filtered(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    clock = FakeClock(upcoming(ws).start.subtract(minutes=5))
    title = upcoming(ws).title
    plant(ws.root)
    app = FacilitateApp(ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_safe(app.title)
        assert "Task Force" in app.title  # the name is shown, its sequences removed
        app.sub_title = PAYLOAD
        assert_safe(app.sub_title)
        app.notify(PAYLOAD, title=PAYLOAD)
        app.screen.notify(f"Saved {PAYLOAD}")
        await pilot.pause()
        notes = list(app._notifications)
        assert len(notes) >= 2
        for note in notes:
            assert_safe(note.message)
            assert_safe(note.title)
        await start_meeting(pilot)
        assert_safe(app.screen.title)
        assert app.screen.title == title + "gnpx"  # shown, its sequences removed
        app.screen.sub_title = PAYLOAD
        assert_safe(app.screen.sub_title)


def _screen_classes() -> list[type[Screen]]:
    for info in pkgutil.iter_modules(screens_package.__path__):
        importlib.import_module(f"{screens_package.__name__}.{info.name}")
    importlib.import_module("facilitate.ui.follow_app")
    found: list[type[Screen]] = []
    todo: list[type[Screen]] = [Screen]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("facilitate.") and not issubclass(sub, ModalScreen):
                found.append(sub)
    return found


def test_every_full_screen_filters_its_titles() -> None:
    """A screen added later must filter its title too (a dialog shows no header)."""
    classes = _screen_classes()
    assert len(classes) >= 9
    for cls in classes:
        assert cls.validate_title is SafeTitles.validate_title, cls
        assert cls.validate_sub_title is SafeTitles.validate_sub_title, cls


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_tmux_pane_keeps_its_title_and_clipboard(tmp_path: Path) -> None:
    """`facilitate meetings`, then the app, in a real tmux pane that lets programs set its
    title and clipboard: neither becomes "pwned" / "hello"."""
    ws = make_sample(tmp_path / "ws")
    plant(ws.root)
    binary = Path(sys.executable).parent / "facilitate"
    session = f"facilitate-title-{uuid.uuid4().hex[:8]}"

    def tmux(*args: str, check: bool = True) -> str:
        return subprocess.run(
            ["tmux", "-L", session, *args], capture_output=True, text=True, check=check
        ).stdout

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 30
        screen = ""
        while time.monotonic() < deadline and text not in screen:
            time.sleep(0.3)
            screen = tmux("capture-pane", "-p", "-t", session)
        assert text in screen, screen
        return screen

    env = "env -u COLUMNS -u LINES TERM=screen TEXTUAL_ANIMATIONS=none"
    cmd = (
        f"sleep 1; {env} {binary} --data {ws.root} meetings; echo MEETINGS-$?; sleep 1; "
        f"{env} {binary} --data {ws.root}; echo EXITED-$?; sleep 30"
    )
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", cmd)
    try:
        tmux("set-option", "-g", "set-clipboard", "on")
        tmux("set-option", "-g", "allow-rename", "on")
        tmux("select-pane", "-t", session, "-T", "before")
        wait_for("MEETINGS-0")
        assert tmux("display-message", "-p", "-t", session, "#{pane_title}").strip() == "before"
        wait_for("Task Force")  # the app's header, with the planted name
        time.sleep(1)
        assert tmux("display-message", "-p", "-t", session, "#{pane_title}").strip() == "before"
        tmux("send-keys", "-t", session, "C-q")
        wait_for("EXITED-0")
        assert tmux("display-message", "-p", "-t", session, "#{pane_title}").strip() == "before"
        assert "hello" not in tmux("list-buffers", "-F", "#{buffer_sample}", check=False)
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True)
