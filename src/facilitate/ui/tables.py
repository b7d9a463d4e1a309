"""Tables whose columns all have set widths (see ``tracker_dialogs.set_columns``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class FixedTable(DataTable[Any]):
    """A DataTable that skips measuring new cells when nothing depends on their width.

    After rows are added, DataTable measures every new cell to widen auto-width columns. With
    set widths and one-line rows that result is never used, and for the action tracker's
    thousand rows it was half of what a filter key cost. Whenever a column is auto-width, or a
    new row has a label or an automatic height, the stock code runs instead.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        keys = list(new_rows)
        rows = [self.rows.get(key) for key in keys]
        if any(column.auto_width for column in self.columns.values()) or any(
            row is not None and (row.label is not None or row.auto_height) for row in rows
        ):
            super()._update_dimensions(keys)
            return
        data_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            data_width + self._row_label_column_width, self._total_row_height + header_height
        )


def update_in_place(
    table: DataTable[Any],
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Any]]],
) -> bool:
    """When ``rows`` (key, cells) are the table's rows in the same order, update only the cells
    that changed and return True (no clear, no re-measuring, the cursor stays). Otherwise
    change nothing and return False: the caller rebuilds the table."""
    if [key for key, _ in rows] != [row.key.value for row in table.ordered_rows]:
        return False
    for key, cells in rows:
        for column, value in zip(columns, cells, strict=True):
            if table.get_cell(key, column) != value:
                table.update_cell(key, column, value)
    return True
