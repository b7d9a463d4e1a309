"""Terminal robustness over SSH: 16 colours (TERM=linux/screen), NO_COLOR, resizing down to
80x24 and below ("window too small" instead of a garbled screen), and no mouse needed.

Snapshots at 16 colours: Textual (through Rich) picks the colour system from TERM, and a
terminal with 16 colours gets every colour reduced to the nearest of those 16. The screenshots
are taken after the same reduction, so they show what a TERM=linux console really shows.

Regenerate after an intended change with: make test PYTEST_ARGS="--snapshot-update"
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pytest
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.color import Color
from textual.filter import LineFilter
from textual.widgets import TextArea

import facilitate.ui
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp, TooSmallScreen
from facilitate.ui.follow_app import FollowApp
from facilitate.ui.screens.conflict import ConflictScreen
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import FakeClock, make_sample, upcoming


@lru_cache(maxsize=4096)
def _sixteen(style: Style | None) -> Style | None:
    if style is None:
        return None
    color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
    bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
    return style + Style(color=color, bgcolor=bgcolor)


class SixteenColours(LineFilter):
    """What a 16-colour terminal does to every colour (Rich's own downgrade)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _sixteen(style), control) for text, style, control in segments]


# The Linux console's (VGA) palette: what colours 0-15 look like on TERM=linux.
LINUX_CONSOLE = TerminalTheme(
    (0, 0, 0),
    (170, 170, 170),
    [
        (0, 0, 0),
        (170, 0, 0),
        (0, 170, 0),
        (170, 85, 0),
        (0, 0, 170),
        (170, 0, 170),
        (0, 170, 170),
        (170, 170, 170),
    ],
    [
        (85, 85, 85),
        (255, 85, 85),
        (85, 255, 85),
        (255, 255, 85),
        (85, 85, 255),
        (255, 85, 255),
        (85, 255, 255),
        (255, 255, 255),
    ],
)


def _sixteen_colour(app_class: type) -> type:
    class Sixteen(app_class):
        CSS_PATH = str(Path(facilitate.ui.__file__).parent / "app.tcss")

        def get_line_filters(self) -> Sequence[LineFilter]:
            return [*super().get_line_filters(), SixteenColours()]

        def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
            # As App.export_screenshot, drawn with the Linux console's 16 colours.
            width, height = self.size
            console = Console(
                width=width,
                height=height,
                file=io.StringIO(),
                force_terminal=True,
                color_system="truecolor",
                record=True,
                legacy_windows=False,
                safe_box=False,
            )
            console.print(
                self.screen._compositor.render_update(
                    full=True, screen_stack=self._background_screens, simplify=simplify
                )
            )
            return console.export_svg(title=title or self.title, theme=LINUX_CONSOLE)

    return Sixteen


@pytest.fixture
def term_linux(monkeypatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize(
    "term,colorterm,system",
    [
        ("linux", None, "standard"),
        ("screen", None, "standard"),
        ("tmux-256color", None, "256"),
        ("xterm-256color", None, "256"),
        ("xterm-256color", "truecolor", "truecolor"),
    ],
)
def test_colour_system_follows_term(tmp_path, monkeypatch, term, colorterm, system) -> None:
    monkeypatch.setenv("TERM", term)
    if colorterm:
        monkeypatch.setenv("COLORTERM", colorterm)
    else:
        monkeypatch.delenv("COLORTERM", raising=False)
    app = FacilitateApp(Workspace(tmp_path))
    assert app.console.color_system == system


def _live_app(tmp_path, app_class=FacilitateApp, *, started: bool = True):
    ws = make_sample(tmp_path / "ws")
    meeting = upcoming(ws)
    clock = FakeClock(meeting.start)
    if started:
        live = LiveMeeting(ws, meeting.id, clock)
        live.start()
        live.acknowledge_confidentiality()
        live.goto(live.load().items[0].id)
    return app_class(ws, clock=clock), clock, ws, meeting


async def _settle(pilot) -> None:
    await pilot.pause(0.4)
    pilot.app.clear_notifications()
    await pilot.pause()


SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestSixteenColours:
    @pytest.mark.parametrize("state,advance", [("normal", 60), ("warning", 270), ("overrun", 400)])
    def test_meeting(self, snap_compare, tmp_path, term_linux, size, state, advance):
        app, clock, _, _ = _live_app(tmp_path, _sixteen_colour(FacilitateApp))
        assert app.console.color_system == "standard"

        async def run_before(pilot):
            await pilot.press("s")
            clock.advance(seconds=advance)
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_follow(self, snap_compare, tmp_path, term_linux, size):
        _app, clock, ws, meeting = _live_app(tmp_path)
        live = LiveMeeting(ws, meeting.id, clock)
        for record in live.load().attendance[:5]:
            live.mark(record.id, record.status.PRESENT)
        live.step(+1)
        clock.advance(seconds=200)
        follow = _sixteen_colour(FollowApp)(
            Workspace.open(ws.root, read_only=True), meeting.id, clock=clock
        )
        assert snap_compare(follow, terminal_size=size, run_before=_settle)

    def test_conflict(self, snap_compare, tmp_path, term_linux, size, monkeypatch):
        app, clock, ws, meeting = _live_app(tmp_path, _sixteen_colour(FacilitateApp))
        # Who saved the other version comes from the audit log, written at the real time.
        saved_by = {"user": "nora", "at": "2026-12-03T15:04:05+00:00"}
        monkeypatch.setattr("facilitate.storage.audit.last_change", lambda *a, **k: saved_by)
        item = ws.snapshot().bundle(meeting.id).meeting.current_item_id

        # Saved when leaving the box (Esc), not by the timer: the same screen every run.
        monkeypatch.setattr("facilitate.ui.screens.meeting.NOTES_SAVE_DELAY", 60)

        async def run_before(pilot):
            await pilot.press("s")
            await pilot.pause(0.3)
            await pilot.press("o", "M")
            LiveMeeting(ws, meeting.id, clock).save_notes(item, "Theirs: Jo is late", base="")
            await pilot.press(*"ine: Room 214, hybrid", "escape")
            await pilot.pause(0.3)
            assert isinstance(pilot.app.screen, ConflictScreen)
            await _settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_too_small_snapshot(snap_compare, tmp_path, term_linux):
    app, _, _, _ = _live_app(tmp_path, _sixteen_colour(FacilitateApp))

    async def run_before(pilot):
        await pilot.press("s")
        await pilot.resize_terminal(60, 20)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_no_color_snapshot(snap_compare, tmp_path, monkeypatch):
    """NO_COLOR: greys only (Textual), and the states are said with reverse/bold (our CSS)."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    app, clock, _, _ = _live_app(tmp_path)
    assert app.no_color and app.console.color_system == "256"

    async def run_before(pilot):
        await pilot.press("s")
        clock.advance(seconds=400)
        await _settle(pilot)
        assert pilot.app.has_class("-no-color")
        assert pilot.app.theme == "facilitate-dark"

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_no_color_on_a_linux_console_snapshot(snap_compare, tmp_path, term_linux, monkeypatch):
    """NO_COLOR with 16 colours: greys reduced to the console's black, greys and white (the
    ANSI theme is not used: Textual's NO_COLOR filter would draw its colours black)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, clock, _, _ = _live_app(tmp_path, _sixteen_colour(FacilitateApp))

    async def run_before(pilot):
        await pilot.press("s")
        clock.advance(seconds=400)
        await _settle(pilot)
        assert pilot.app.theme == "facilitate-dark"
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # no ANSI theme in the cycle
        assert pilot.app.theme == "facilitate-dark"
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize(
    "term,forced,theme",
    [
        ("linux", None, "facilitate-16"),
        ("screen", None, "facilitate-16"),
        ("xterm", None, "facilitate-dark"),
        ("xterm", "standard", "facilitate-16"),
        ("tmux-256color", None, "facilitate-dark"),
    ],
)
async def test_default_theme_on_16_colour_terminals(tmp_path, monkeypatch, term, forced, theme):
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)
    if forced:
        monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", forced)
        monkeypatch.setattr("textual.constants.COLOR_SYSTEM", forced)
    else:
        monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    app, _, ws, _ = _live_app(tmp_path, started=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == theme
    assert ws.snapshot().profile().theme == "facilitate-dark"  # not remembered


async def test_resize_120x36_to_80x24_to_60x20_and_back(tmp_path) -> None:
    app, _, ws, meeting = _live_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await pilot.press("o", *"Typed at 120x36")

        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert app.screen is screen
        for selector in ("#clockbar", "#agenda", "#countdown", "#notes", "#captured", "Footer"):
            region = screen.query_one(selector).region
            assert region.width > 0 and region.height > 0, selector
            assert region.right <= 80 and region.bottom <= 24, (selector, region)
        await pilot.press(*", now 80x24")

        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.3)
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").render())
        assert "Window too small" in text and "80x24" in text and "60x20" in text
        await pilot.press(*"lost?")  # keys go nowhere while the screen is too small
        await pilot.press("question_mark")  # not even help on top of it
        await pilot.pause(0.2)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(70, 30)  # still too narrow: the sizes are updated
        await pilot.pause(0.3)
        assert "70x30" in str(app.screen.query_one("#too-small").render())
        assert len([s for s in app.screen_stack if isinstance(s, TooSmallScreen)]) == 1

        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert app.screen is screen
        notes = screen.query_one("#notes", TextArea)
        assert notes.has_focus
        assert notes.text == "Typed at 120x36, now 80x24"
        await pilot.press(*" and back")
        await pilot.pause(1.0)
    bundle = ws.snapshot().bundle(meeting.id)
    stored = bundle.item(bundle.meeting.current_item_id).notes
    assert stored == "Typed at 120x36, now 80x24 and back"


async def test_starting_in_a_small_window_says_so(tmp_path) -> None:
    app, _, _, _ = _live_app(tmp_path, started=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert not isinstance(app.screen, TooSmallScreen)
        assert "Next meeting" in str(app.screen.query_one("#next-meeting").render())


async def test_a_whole_meeting_step_without_a_mouse(tmp_path) -> None:
    """Keys only: start, notes, next item, a decision, the conflict choices (see
    test_shared_conflict), help, command palette and theme."""
    app, _, ws, meeting = _live_app(tmp_path, started=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await pilot.press("o", *"keyboard only", "escape", "n")
        await pilot.pause(0.2)
        await pilot.press("d", *"Adopt the annex", "ctrl+s")
        await pilot.pause(0.3)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press("escape", "ctrl+t")
        await pilot.pause(0.2)
    bundle = ws.snapshot().bundle(meeting.id)
    assert bundle.items[0].notes == "keyboard only"
    assert bundle.meeting.current_item_id == bundle.items[1].id
    assert [d.text for d in bundle.decisions] == ["Adopt the annex"]
