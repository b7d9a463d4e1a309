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
