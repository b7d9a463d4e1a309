"""Tables whose columns all have set widths (see ``tracker_dialogs.set_columns``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import zip_longest
from typing import Any

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, DuplicateKey, Row, RowKey


class FixedTable(DataTable[Any]):
    """A DataTable that skips measuring new cells when nothing depends on their width.

    After rows are added, DataTable measures every new cell to widen auto-width columns. With
    set widths and one-line rows that result is never used, and for the action tracker's
    thousand rows it was half of what a filter key cost. Whenever a column is auto-width, or a
    new row has a label or an automatic height, the stock code runs instead.

    Home and End go to the first and last row (DataTable scrolls sideways with them, which a
    table that fits its width cannot do: they did nothing).
    """

    BINDINGS = [
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def action_first_row(self) -> None:
        if self.max_scroll_x > 0:  # wider than the screen: keep DataTable's sideways scroll
            self.action_scroll_home()
        else:
            self.action_scroll_top()

    def action_last_row(self) -> None:
        if self.max_scroll_x > 0:
            self.action_scroll_end()
        else:
            self.action_scroll_bottom()

    # Columns that share the room the others leave, with their least widths (see fit_columns).
    fitted: Mapping[str, int] = {}

    def on_resize(self, event: events.Resize) -> None:
        if self.fitted:
            self.fit_columns(self.fitted)

    def fit_columns(self, least: Mapping[str, int]) -> None:
        """Widen the columns named in ``least`` (key: least width) to fill the table's width,
        sharing the room the other columns leave evenly; never narrower than their least.
        In place: rows, cursor and scroll stay. The vertical scrollbar's room is always kept,
        so the columns fit whether it shows or not."""
        columns = [c for c in self.ordered_columns if c.key.value in least]
        if not columns:
            return
        room = self.size.width - self.styles.scrollbar_size_vertical
        if room <= 0:
            return
        others = sum(c.get_render_width(self) for c in self.ordered_columns if c not in columns)
        spare = (
            room - others - sum(2 * self.cell_padding + least[str(c.key.value)] for c in columns)
        )
        share, extra = divmod(max(0, spare), len(columns))
        changed = False
        for n, column in enumerate(columns):
            width = least[str(column.key.value)] + share + (1 if n < extra else 0)
            if column.width != width:
                column.width = width
                changed = True
        if changed:
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()

    def widen_for(self, key: str, text: str) -> None:
        """Widen column ``key`` to show ``text`` whole (a time of an hour or more, "1:06:12",
        in a column sized for "12:34"); the fitted columns give up the room. Never narrows."""
        column = next((c for c in self.ordered_columns if c.key.value == key), None)
        if column is None or column.width >= len(text):
            return
        grow = len(text) - column.width
        column.width = len(text)
        if self.fitted:
            self.fit_columns(self.fitted)
        else:  # (a table of set widths: the title column gives up the room, if it has one)
            title = next((c for c in self.ordered_columns if c.key.value == "title"), None)
            if title is not None:
                title.width = max(8, title.width - grow)
        self._clear_caches()
        self._require_update_dimensions = True
        self.refresh()

    def _measures(self, new_rows: Iterable[RowKey]) -> bool:
        """Whether sizing the table after ``new_rows`` needs the stock measuring."""
        rows = [self.rows.get(key) for key in new_rows]
        return any(column.auto_width for column in self.columns.values()) or any(
            row is not None and (row.label is not None or row.auto_height) for row in rows
        )

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        keys = list(new_rows)
        if self._measures(keys):
            super()._update_dimensions(keys)
            return
        data_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self._set_virtual_size(
            Size(data_width + self._row_label_column_width, self._total_row_height + header_height)
        )

    def _set_virtual_size(self, new: Size) -> None:
        """Set the scrollable size; without a layout pass when the scrollbars stay as they are.

        ``virtual_size`` is a layout reactive: every filter of the action tracker laid the
        whole screen out again (a full frame, after waiting for the next refresh slot),
        although the table's own size is set by the stylesheet. When the same scrollbars are
        shown before and after, only they and the table need redrawing, which is what
        Textual's layout would do for a scroll view (``_scroll_update``)."""
        old = self.virtual_size
        if new == old:
            return
        if not self.container_size or not self._same_scrollbars(old, new):
            self.virtual_size = new
            return
        self.set_reactive(DataTable.virtual_size, new)
        self._scroll_update(new)  # scrollbar thumbs, and the scroll offset clamped
        self.refresh()

    def _same_scrollbars(self, old: Size, new: Size) -> bool:
        """Whether ``_refresh_scrollbars`` shows the same scrollbars for both sizes (its
        thresholds: the container, and the container less the other scrollbar)."""
        width, height = self.container_size
        styles = self.styles
        limits = (
            (old.width, new.width, styles.overflow_x, width, styles.scrollbar_size_vertical),
            (old.height, new.height, styles.overflow_y, height, styles.scrollbar_size_horizontal),
        )
        for before, after, overflow, room, other_bar in limits:
            if overflow != "auto":
                continue  # always or never shown: the size does not decide
            for limit in (room, room - other_bar):
                if (before > limit) != (after > limit):
                    return False
        return True

    def add_keyed_rows(self, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Add one-line rows (key, cells) at the bottom, as ``add_row`` would one by one
        (DataTable's own ``add_rows`` calls ``add_row`` for each and takes no keys).

        ``add_row`` re-validates the cursor through its reactive (watchers included) and
        bumps the render caches' counter for every row: a third of what refilling the
        action tracker's thousand rows cost. Here that happens once for the lot. Raises
        DuplicateKey or ValueError (more cells than columns) before adding anything."""
        batch = list(rows)
        keys = [RowKey(key) for key, _ in batch]
        if len(set(keys)) != len(keys) or any(key in self._row_locations for key in keys):
            raise DuplicateKey("A row key is given twice or already exists.")
        columns = [column.key for column in self.ordered_columns]
        if any(len(cells) > len(columns) for _, cells in batch):
            raise ValueError("More values provided than there are columns.")
        was_empty = self.row_count == 0
        index = self.row_count
        for row_key, (_, cells) in zip(keys, batch, strict=True):
            self._row_locations[row_key] = index
            index += 1
            self._data[row_key] = dict(zip_longest(columns, cells))
            self.rows[row_key] = Row(row_key, 1, None, False)
            self._new_rows.add(row_key)
        if not batch:
            return
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # (add_row posts this when a first row appears)
        self._update_count += 1
        if not self._measures(self._new_rows):
            # Sized now rather than when the table is next idle (nothing to measure): the
            # scrollbar then changes in the same frame as the rows, not in a second frame
            # one refresh interval later.
            self._require_update_dimensions = False
            pending = list(self._new_rows)
            self._new_rows.clear()
            self._update_dimensions(pending)
        self.check_idle()

    def update_row(self, row_key: str, values: Mapping[str, Any]) -> None:
        """Set some cells of one row and re-render only that row.

        ``update_cell`` bumps a counter that every render cache of the table is keyed on, so
        all visible rows are rendered again: a roll-call mark or the meeting clock's "Used"
        cell redrew the whole table. Here only the row's own cache entries are dropped and
        only its region is repainted. When a cell's width or height could follow its text
        (auto-width column, auto-height or labelled row), the stock ``update_cell`` runs.
        Raises CellDoesNotExist for an unknown row or column, as ``update_cell`` does."""
        key = RowKey(row_key)
        columns = [ColumnKey(column) for column in values]
        unknown = [c for c in columns if c not in self._column_locations]
        if key not in self._row_locations or unknown:
            raise CellDoesNotExist(f"No cell exists for row_key={row_key!r}, columns={unknown!r}.")
        row = self.rows[key]
        if (
            row.label is not None
            or row.auto_height
            or any(self.columns[c].auto_width for c in columns)
        ):
            for column, value in zip(columns, values.values(), strict=True):
                self.update_cell(key, column, value)
            return
        data = self._data[key]
        for column, value in zip(columns, values.values(), strict=True):
            data[column] = value
        # Four caches hold what a row shows: its cells' values made renderable (by update
        # count and row index), and the cells, the row and its lines rendered (keys starting
        # with the row key; LRUCache has no __iter__: hence .keys()).
        for cell_key in [k for k in self._cell_render_cache.keys() if k[0] == key]:  # noqa: SIM118
            self._cell_render_cache.discard(cell_key)
        for row_cache_key in [k for k in self._row_render_cache.keys() if k[0] == key]:  # noqa: SIM118
            self._row_render_cache.discard(row_cache_key)
        index = self._row_locations.get(key)
        assert index is not None  # (checked above)
        self._row_renderable_cache.discard((self._update_count, index))
        self._line_cache.clear()  # keyed by line: rebuilt from the row cache, cheaply
        self.refresh_row(index)


def update_in_place(
    table: DataTable[Any],
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Any]]],
) -> bool:
    """When ``rows`` (key, cells) are the table's rows in the same order, update only the cells
    that changed and return True (no clear, no re-measuring, the cursor stays; a FixedTable
    re-renders only the rows that changed). Otherwise change nothing and return False: the
    caller rebuilds the table."""
    if [key for key, _ in rows] != [row.key.value for row in table.ordered_rows]:
        return False
    for key, cells in rows:
        changed = {
            column: value
            for column, value in zip(columns, cells, strict=True)
            if table.get_cell(key, column) != value
        }
        if changed:
            set_cells(table, key, changed)
    return True


def set_cells(table: DataTable[Any], row: str, values: Mapping[str, Any]) -> None:
    """Set cells of one row: a FixedTable re-renders only that row, any other DataTable all
    of its rows. Raises CellDoesNotExist for an unknown row or column."""
    if isinstance(table, FixedTable):
        table.update_row(row, values)
    else:
        for column, value in values.items():
            table.update_cell(row, column, value)
