"""Redraw only what changed.

A Static's ``update`` re-renders it (and by default lays out the whole screen again), a
DataTable's ``update_cell`` re-renders every row of the table (``FixedTable.update_row`` does
not), and the Footer rebuilds all its keys when its screen's bindings are updated: each even
when the picture stays the same. The meeting and follow screens tick 2-4 times a second and
show a new value once a second; a roll-call mark changes one count in a summary; a dialog
opening or closing leaves the footer as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult, ScreenStackError
from textual.content import Content
from textual.screen import Screen
from textual.visual import RulesMap
from textual.widgets import Footer

from .safe_text import SafeTitles

if TYPE_CHECKING:  # (the home screen imports this module: no DataTable at start-up)
    from textual.widgets import DataTable, Digits, Static


def _key(content: object) -> tuple[str, tuple[Any, ...]]:
    # Content's == ignores styles ("[b]x" == "x"), so the spans are compared too.
    return str(content), tuple(content.spans) if isinstance(content, Content) else ()


class ChangedOnly:
    def __init__(self) -> None:
        self._shown: dict[str, object] = {}  # what each widget (or table cell) shows

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
        from .tables import set_cells  # (loaded with the screens that have tables)

        name = f"#{table.id}:{row}:{column}"
        if self._shown.get(name) != value:
            # (Forgotten when the table was filled: the same value may be shown already. A
            # reload after each step rewrote the running item's "Used" cell: one more frame.)
            if table.get_cell(row, column) != value:
                set_cells(table, row, {column: value})
            self._shown[name] = value

    def forget(self, table: DataTable[Any]) -> None:
        """The table was refilled: its cells are no longer known to be shown."""
        prefix = f"#{table.id}:"
        for name in [n for n in self._shown if n.startswith(prefix)]:
            del self._shown[name]


def update_auto_height(widget: Static, content: Content) -> None:
    """``widget.update(content)`` for a Static whose height follows its text (height: auto):
    with a layout pass only when the new text needs a different number of lines at the
    widget's width. (A layout pass re-arranges and redraws the whole screen; a roll-call mark
    changes a count in the summary, not its height.)"""
    width = widget.content_region.width
    # As Textual measures it (Widget.get_content_height passes the styles as the rules).
    height = content.get_height(cast(RulesMap, widget.styles), width) if width > 0 else -1
    same = height == widget.content_region.height
    widget.update(content, layout=not same)


class SteadyFooter(Footer):
    """Textual's Footer removes and rebuilds all its keys whenever its screen's bindings are
    updated (focus moves, a dialog opens or closes), even when it would show the same keys:
    ~12 widgets mounted and styled again, and a layout pass. This one rebuilds only when what
    it would show changes."""

    _shown: tuple[Any, ...] | None = None

    def _showing(self) -> tuple[Any, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding.key, binding.description, binding.action, binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.key == palette
        )

    def compose(self) -> ComposeResult:
        children = list(super().compose())
        self._shown = self._showing() if children else None  # None: not composed for real yet
        yield from children

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._showing() == self._shown:
            return
        await super().recompose()


class TickingScreen(SafeTitles, Screen[None]):
    """A screen whose clock keeps ticking while a dialog is open on top of it (the meeting,
    the follow view).

    Textual shows such a screen through the dialog's translucent background: it forwards
    each change down here to the dialog's screen, then marks this screen for a full repaint.
    That repaint runs at the next message this screen handles, repaints it all, is forwarded
    in full and is marked again: every clock tick (four a second), changed or not, redrew
    the whole dialog, background blended cell by cell (~15 ms of CPU and a whole screen of
    output to the terminal each time). What changed is forwarded without the full repaint;
    the screen is repainted in full when it is on top again (ScreenResume refreshes it)."""

    def _covered(self) -> bool:
        """True while an opaque screen (the meeting's roll call, its close screen) is above
        this one. Nothing here can be seen then, and Textual repaints the whole screen on top
        for every change made down here (the screen right under the top one always counts as
        its background): a tick that draws anything costs a full frame up there."""
        stack = self.app.screen_stack
        try:
            above = stack[stack.index(self) + 1 :]
        except ValueError:  # not on the stack (being removed)
            return True
        return any(screen.styles.background.a == 1 for screen in above)

    def _compositor_refresh(self) -> None:
        super()._compositor_refresh()
        try:
            on_top = self.app.screen is self
        except ScreenStackError:  # (the app is shutting down)
            return
        if not on_top:
            self._repaint_required = False
