"""FixedTable: the same table as DataTable, without measuring every new cell."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from facilitate.ui.tables import FixedTable

ROWS = [
    (f"2026-12-{n % 28 + 1:02d}", "open", f"Action number {n} " * (n % 4 + 1)) for n in range(300)
]


class _Tables(App[None]):
    def __init__(self, fixed_widths: bool) -> None:
        super().__init__()
        self.fixed_widths = fixed_widths

    def compose(self) -> ComposeResult:
        yield DataTable(id="stock")
        yield FixedTable(id="fixed")

    def fill(self) -> None:
        for table in self.query(DataTable):
            table.clear(columns=True)
            for label, width in (("Due", 10), ("Status", 7), ("Action", 30)):
                table.add_column(label, width=width if self.fixed_widths else None)
            for row in ROWS:
                table.add_row(*row)


@pytest.mark.parametrize("fixed_widths", [True, False])
async def test_same_size_and_lines_as_a_datatable(fixed_widths: bool, monkeypatch) -> None:
    measured: list[str] = []
    import textual.widgets._data_table as data_table

    real = data_table.measure

    def counting(console: Any, renderable: Any, *args: Any) -> int:
        measured.append(type(renderable).__name__)
        return real(console, renderable, *args)

    app = _Tables(fixed_widths)
    async with app.run_test(size=(100, 40)) as pilot:
        app.fill()
        stock = app.query_one("#stock", DataTable)
        fixed = app.query_one("#fixed", FixedTable)
        monkeypatch.setattr(data_table, "measure", counting)
        await pilot.pause()
        assert fixed.virtual_size == stock.virtual_size
        assert fixed.virtual_size.height == len(ROWS) + 1
        for y in (0, 1, 5):
            assert fixed.render_line(y).text == stock.render_line(y).text
        if fixed_widths:
            # Only the stock table measured its 300 x 3 cells.
            assert len(measured) == len(ROWS) * 3
        else:
            assert len(measured) == 2 * len(ROWS) * 3  # auto widths: both measure


class _OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedTable(id="fixed", cursor_type="row")

    def fill(self, auto_width: bool = False) -> FixedTable:
        table = self.query_one(FixedTable)
        table.add_column("Name", key="name", width=None if auto_width else 12)
        table.add_column("Status", key="status", width=8)
        for n in range(30):
            table.add_row(f"Person {n}", "-", key=f"p{n}")
        return table


def _rendered_rows(table: FixedTable, monkeypatch) -> list[str]:
    """Row keys whose cells DataTable renders from here on."""
    rendered: list[str] = []
    real = FixedTable._render_cell

    def spy(self: FixedTable, row_index: int, column_index: int, *args: Any, **kw: Any) -> Any:
        if row_index >= 0:
            key = self._row_locations.get_key(row_index)
            rendered.append(str(key.value if key is not None else None))
        return real(self, row_index, column_index, *args, **kw)

    monkeypatch.setattr(FixedTable, "_render_cell", spy)
    return rendered


async def test_update_row_renders_that_row_only_and_shows_the_new_value(monkeypatch) -> None:
    app = _OneTable()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.fill()
        await pilot.pause()
        table.refresh()  # drawn again: every render cache holds the rows as they are now
        await pilot.pause()
        assert (table._update_count, 3) in table._row_renderable_cache
        assert "present" not in app.export_screenshot()
        rendered = _rendered_rows(table, monkeypatch)
        table.update_row("p3", {"status": "present"})
        await pilot.pause()
        # update_cell would render every visible row (18 of them) again.
        assert set(rendered) == {"p3"}
        assert table.get_cell("p3", "status") == "present"
        assert "Person 3" in table.render_line(4).text  # header, then p0..p3
        assert "present" in table.render_line(4).text
        assert app.export_screenshot().count("present") == 1  # on screen, once
        rendered.clear()
        table.update_cell("p5", "status", "absent")
        await pilot.pause()
        assert len(set(rendered)) > 10  # (what update_row avoids)


async def test_update_row_falls_back_for_auto_width_and_rejects_unknown_cells() -> None:
    from textual.widgets.data_table import CellDoesNotExist

    app = _OneTable()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.fill(auto_width=True)
        await pilot.pause()
        count = table._update_count
        table.update_row("p1", {"name": "Another name"})
        assert table._update_count == count + 1  # the stock update_cell ran
        assert table.get_cell("p1", "name") == "Another name"
        table.update_row("p1", {"status": "late"})  # a set-width column
        assert table._update_count == count + 1
        with pytest.raises(CellDoesNotExist):
            table.update_row("nobody", {"status": "present"})
        with pytest.raises(CellDoesNotExist):
            table.update_row("p1", {"mood": "calm"})


class _TwoTables(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[str] = []

    def compose(self) -> ComposeResult:
        yield FixedTable(id="one-by-one", cursor_type="row")
        yield FixedTable(id="bulk", cursor_type="row")

    def on_data_table_row_highlighted(self, event: FixedTable.RowHighlighted) -> None:
        self.highlighted.append(f"{event.data_table.id}:{event.row_key.value}")


def _keyed_columns(*tables: DataTable[Any]) -> None:
    for table in tables:
        for label, width in (("Due", 10), ("Status", 7), ("Action", 30)):
            table.add_column(label, key=label.lower(), width=width)


async def test_add_keyed_rows_builds_the_table_add_row_builds_and_checks_first() -> None:
    from textual.widgets.data_table import DuplicateKey

    app = _TwoTables()
    async with app.run_test(size=(60, 40)) as pilot:
        one, bulk = app.query_one("#one-by-one", FixedTable), app.query_one("#bulk", FixedTable)
        _keyed_columns(one, bulk)
        rows = [(f"k{n}", cells) for n, cells in enumerate(ROWS[:50])]
        for key, cells in rows:
            one.add_row(*cells, key=key)
        bulk.add_keyed_rows(rows)
        bulk.add_keyed_rows([])
        await pilot.pause()
        for table in (one, bulk):
            assert table.row_count == 50
            assert table.get_row("k7") == list(ROWS[7])
            assert table.get_row_index("k42") == 42
            assert table.cursor_coordinate == one.cursor_coordinate
        assert bulk.virtual_size == one.virtual_size
        assert [bulk.render_line(y).text for y in range(0, 40, 3)] == [
            one.render_line(y).text for y in range(0, 40, 3)
        ]
        bulk.move_cursor(row=10)
        one.move_cursor(row=10)
        await pilot.pause()
        assert bulk.render_line(11).text == one.render_line(11).text
        # Nothing is added when one key is taken or given twice, or a row is too long.
        with pytest.raises(DuplicateKey):
            bulk.add_keyed_rows([("new", ("a",)), ("k3", ("b",))])
        with pytest.raises(DuplicateKey):
            bulk.add_keyed_rows([("new", ("a",)), ("new", ("b",))])
        with pytest.raises(ValueError):
            bulk.add_keyed_rows([("new", ("a", "b", "c", "d"))])
        assert bulk.row_count == 50
        # A first row appearing highlights it, as add_row does.
        bulk.clear()
        await pilot.pause()
        app.highlighted.clear()
        bulk.add_keyed_rows(rows[:2])
        await pilot.pause()
        assert app.highlighted == ["bulk:k0"]


class _Scrolling(App[None]):
    CSS = "DataTable { height: 20; }"

    def compose(self) -> ComposeResult:
        yield DataTable(id="stock", cursor_type="row")
        yield FixedTable(id="fixed", cursor_type="row")

    def refill(self, count: int) -> None:
        rows = [(f"k{n}", cells) for n, cells in enumerate(ROWS[:count])]
        for table in self.query(DataTable):
            table.clear()
            if isinstance(table, FixedTable):
                table.add_keyed_rows(rows)
            else:
                for key, cells in rows:
                    table.add_row(*cells, key=key)


async def test_refilling_sizes_at_once_and_lays_out_only_when_scrollbars_change() -> None:
    """A filter refills the table: its new scrollable size is set in the same step, and
    without a layout pass (a full frame) while the same scrollbars stay; the result is what
    a DataTable shows after its layout pass."""
    app = _Scrolling()
    async with app.run_test(size=(60, 50)) as pilot:
        stock, fixed = app.query_one("#stock", DataTable), app.query_one("#fixed", FixedTable)
        _keyed_columns(stock, fixed)
        app.refill(300)
        await pilot.pause()
        for table in (stock, fixed):
            table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert fixed.scroll_y == stock.scroll_y > 200
        layouts: list[bool] = []
        real_refresh = fixed.refresh

        def recording(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return real_refresh(*regions, **kwargs)

        fixed.refresh = recording  # type: ignore[method-assign]
        app.refill(100)
        assert fixed.virtual_size.height == 101, "sized at once, not when next idle"
        assert not any(layouts), "the same scrollbars: no layout pass"
        await pilot.pause()
        assert fixed.virtual_size == stock.virtual_size
        assert fixed.max_scroll_y == stock.max_scroll_y == 81
        assert fixed.scroll_y == stock.scroll_y  # (clear() put the cursor on the first row)
        assert fixed.show_vertical_scrollbar and stock.show_vertical_scrollbar
        assert (
            fixed.vertical_scrollbar.window_virtual_size
            == stock.vertical_scrollbar.window_virtual_size
            == 101
        )
        assert [fixed.render_line(y).text for y in range(20)] == [
            stock.render_line(y).text for y in range(20)
        ]
        app.refill(5)  # fits: the scrollbar goes, which takes a layout pass
        assert any(layouts)
        await pilot.pause()
        assert not fixed.show_vertical_scrollbar and not stock.show_vertical_scrollbar
        assert fixed.scroll_y == stock.scroll_y == 0
        assert [fixed.render_line(y).text for y in range(8)] == [
            stock.render_line(y).text for y in range(8)
        ]


async def test_home_and_end_go_to_the_first_and_last_row() -> None:
    app = _Scrolling()
    async with app.run_test(size=(60, 50)) as pilot:
        fixed = app.query_one("#fixed", FixedTable)
        _keyed_columns(app.query_one("#stock", DataTable), fixed)
        app.refill(300)
        fixed.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert fixed.cursor_row == 299 and fixed.scroll_y == fixed.max_scroll_y > 0
        await pilot.press("home")
        await pilot.pause()
        assert fixed.cursor_row == 0 and fixed.scroll_y == 0


class _Fitted(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedTable(id="fitted", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(FixedTable)
        for key, width in (("due", 10), ("role", 8), ("org", 8), ("status", 7)):
            table.add_column(key.title(), key=key, width=width)
        table.fitted = {"role": 8, "org": 8}
        table.add_keyed_rows(
            (str(n), (f"2026-12-{n % 28 + 1:02d}", "Detective " * 4, "Agency " * 6, "open"))
            for n in range(60)
        )


def _widths(table: FixedTable) -> dict[str, int]:
    return {str(c.key.value): c.width for c in table.ordered_columns}


async def test_fitted_columns_share_the_room_and_follow_resizes() -> None:
    """A wider terminal widens the named columns (evenly), in place: rows, cursor and scroll
    stay, and the table never needs sideways scrolling; narrower, never below their least."""
    app = _Fitted()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(FixedTable)
        await pilot.pause()
        table.move_cursor(row=42)
        await pilot.pause()
        scrolled = table.scroll_y
        room = table.size.width - table.styles.scrollbar_size_vertical
        narrow = _widths(table)
        assert narrow["due"] == 10 and narrow["status"] == 7  # the others keep theirs
        assert abs(narrow["role"] - narrow["org"]) <= 1 and narrow["role"] > 8
        assert table.virtual_size.width == room and table.max_scroll_x == 0

        await pilot.resize_terminal(100, 20)
        await pilot.pause()
        wide = _widths(table)
        assert wide["role"] + wide["org"] == narrow["role"] + narrow["org"] + 40
        assert table.max_scroll_x == 0
        assert table.cursor_row == 42 and table.row_count == 60 and table.scroll_y == scrolled
        assert "Detective Detective Detective" in "".join(
            s.text for s in table.render_line(table.cursor_row - int(table.scroll_y) + 1)
        )

        await pilot.resize_terminal(30, 20)
        await pilot.pause()
        assert _widths(table)["role"] == 8 and _widths(table)["org"] == 8
