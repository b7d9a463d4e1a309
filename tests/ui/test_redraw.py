"""ui/redraw.py: a dialog opening or closing leaves the footer's keys as they were, and a
Static whose height follows its text is laid out again only when that height changes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from facilitate.ui.app import FacilitateApp
from facilitate.ui.redraw import SteadyFooter, update_auto_height
from facilitate.ui.screens.dialogs import DecisionForm
from facilitate.ui.screens.meeting import MeetingScreen

from .conftest import start_meeting


async def test_a_dialog_does_not_rebuild_the_footer(sample_ws, clock) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await start_meeting(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        footer = screen.query_one(SteadyFooter)
        keys = list(footer.query(FooterKey))
        assert [k.key for k in keys][:3] == ["n", "space", "o"]
        for _ in range(2):
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, DecisionForm)
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is screen
        assert list(footer.query(FooterKey)) == keys  # the same widgets: not rebuilt
        assert all(k.is_attached for k in keys)


async def test_the_footer_is_rebuilt_when_its_keys_change(sample_ws, clock, monkeypatch) -> None:
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await start_meeting(pilot)
        footer = app.screen.query_one(SteadyFooter)
        before = list(footer.query(FooterKey))
        footer.call_later(footer.recompose)  # (in the footer's own context, as Textual does)
        await pilot.pause()
        assert list(footer.query(FooterKey)) == before  # nothing changed: kept
        real = footer._showing()
        monkeypatch.setattr(footer, "_showing", lambda: (*real, ("z", "New", "new", None)))
        footer.call_later(footer.recompose)
        await pilot.pause()  # what it would show changed: rebuilt
        after = list(footer.query(FooterKey))
        assert after and not set(after) & set(before)
        assert [k.key for k in after] == [k.key for k in before]


class _Box(App[None]):
    CSS = "#box { width: 20; height: auto; }"

    def compose(self) -> ComposeResult:
        yield Static("one line", id="box")


async def test_update_auto_height_lays_out_only_when_the_height_changes(monkeypatch) -> None:
    app = _Box()
    async with app.run_test(size=(40, 10)) as pilot:
        box = app.query_one("#box", Static)
        await pilot.pause()
        assert box.size.height == 1
        layouts: list[bool] = []
        real = Static.update

        def recording(self, content="", *, layout=True):
            layouts.append(layout)
            real(self, content, layout=layout)

        monkeypatch.setattr(Static, "update", recording)
        update_auto_height(box, Content("still one line"))
        await pilot.pause()
        assert layouts == [False] and box.size.height == 1
        update_auto_height(box, Content("now the text needs two lines here"))
        await pilot.pause()
        assert layouts == [False, True] and box.size.height == 2
        assert "two lines" in str(box.render())


class _Clock(App[None]):
    CSS = "#countdown { width: 15; } #after { width: 1fr; }"

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        from facilitate.ui.screens.meeting import Countdown

        with Horizontal():
            yield Countdown("4:59", id="countdown")
            yield Static("remaining", id="after")


async def test_countdown_changes_value_without_a_layout_pass_unless_it_outgrows_its_box(
    monkeypatch,
) -> None:
    from textual.widgets import Digits

    from facilitate.ui.screens.meeting import Countdown

    app = _Clock()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        clock = app.query_one(Countdown)
        after = app.query_one("#after", Static)
        assert clock.region.width == 15 and after.region.x == 15
        layouts: list[bool] = []
        real = Digits.refresh

        def spy(self: Digits, *args: object, layout: bool = False, **kwargs: object) -> Digits:
            layouts.append(layout)
            return real(self, *args, layout=layout, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Digits, "refresh", spy)
        for value in ("10:00", "9:59", "+1:40"):  # 15, 12 and 15 cells: Digits lays out
            clock.update(value)
            await pilot.pause()
            assert clock.value == value
            assert clock.region.width == 15 and after.region.x == 15
        assert layouts and not any(layouts)
        assert "╭─╮" in app.export_screenshot() or "╶╮" in app.export_screenshot()
        clock.update("+10:00")  # 18 cells: the box widens, once
        await pilot.pause()
        assert clock.value == "+10:00"
        assert clock.region.width == 18 and after.region.x == 18
        clock.update("0:00")
        await pilot.pause()
        assert clock.region.width == 15 and after.region.x == 15
