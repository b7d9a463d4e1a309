"""Redraw only what changed: for screens a clock redraws several times a second.

A Static's ``update`` re-renders it (and by default lays out the whole screen again), and a
DataTable's ``update_cell`` re-renders every row of the table, even when the value is the one
already shown. The meeting and follow screens tick 2-4 times a second and show a new value
once a second, so most of that work drew the same picture again.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import DataTable, Digits, Static


def _key(content: object) -> tuple[str, tuple[Any, ...]]:
    # Content's == ignores styles ("[b]x" == "x"), so the spans are compared too.
    return str(content), tuple(content.spans) if isinstance(content, Content) else ()


class ChangedOnly:
    def __init__(self) -> None:
        self._shown: dict[str, tuple[str, tuple[Any, ...]]] = {}

    def static(self, widget: Static, content: str | Content, *, layout: bool = True) -> None:
        """``layout=False`` only for a Static whose size is fixed in CSS (a layout pass
        re-arranges and redraws the whole screen)."""
        key = _key(content)
        name = f"#{widget.id}"
        if self._shown.get(name) != key:
            self._shown[name] = key
            widget.update(content, layout=layout)

    @staticmethod
    def digits(widget: Digits, value: str) -> None:
        if widget.value != value:
            widget.update(value)

    def cell(self, table: DataTable[Any], row: str, column: str, value: str) -> None:
        """Raises what ``update_cell`` raises (no such row)."""
        name = f"#{table.id}:{row}:{column}"
        if self._shown.get(name) != (value, ()):
            table.update_cell(row, column, value)
            self._shown[name] = (value, ())

    def forget(self, table: DataTable[Any]) -> None:
        """The table was refilled: its cells are no longer known to be shown."""
        prefix = f"#{table.id}:"
        for name in [n for n in self._shown if n.startswith(prefix)]:
            del self._shown[name]
