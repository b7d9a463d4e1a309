"""The app on a damaged meeting file (issue 18, defect 7): the damage is named on the home
screen and when starting the meeting is tried, the app keeps running, and the file is not
written. Before, each of these crashed the app (and Textual's crash report printed the
agenda, case review included)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.home import HomeScreen

from .conftest import FakeClock, make_sample, upcoming


def _nest(path: Path) -> None:
    text = path.read_text().rstrip()
    path.write_text(text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}")


def _edit(table: str, **values: object) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        doc = json.loads(path.read_text())
        next(iter(doc[table].values())).update(values)
        path.write_text(json.dumps(doc))

    return apply


DAMAGE = {
    "100,000-deep nesting": _nest,
    "time zone Mars/Olympus": _edit("meeting", timezone="Mars/Olympus"),
    "10**30 planned minutes": _edit("agenda", planned_minutes=10**30),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
async def test_a_damaged_meeting_file_is_named_and_the_app_keeps_running(
    tmp_path: Path, damage: str
) -> None:
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    path = ws.meeting_path(meeting.id)
    DAMAGE[damage](path)
    before = path.read_bytes()
    app = FacilitateApp(ws, clock=FakeClock(meeting.start.subtract(minutes=5)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert path.name in shown and "damaged" in shown
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        said = " ".join(str(n.message) for n in app._notifications)
        assert path.name in said and "damaged" in said
        assert "Case" not in said
    assert app.return_code in (None, 0)
    assert path.read_bytes() == before
