"""A form's drop-down stays inside its dialog.

Textual opens a Select's list over the screen, up to 12 rows tall, kept inside the screen but
not inside the dialog: at 80x24 the action form's Owner list ran over the dialog's border and
the footer. Its height is capped to the rows the dialog has below the drop-down (the list
scrolls within them)."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

LEAST_ROWS = 3  # a list shorter than this is no use: let it run over instead


def fit_overlay(focused: Widget, dialog: Widget) -> None:
    """``focused`` just got the focus: if it is a drop-down's open list, fit it in ``dialog``."""
    if not isinstance(focused, SelectOverlay) or not isinstance(focused.parent, Select):
        return
    overlay, select = focused, focused.parent

    def fit() -> None:  # (once laid out where it opens)
        if not overlay.is_mounted or not overlay.display:
            return
        # It opens below the drop-down (Textual moves it up when the screen ends first).
        inner_bottom = dialog.region.bottom - dialog.styles.gutter.bottom
        room = inner_bottom - select.region.bottom
        if room >= LEAST_ROWS and overlay.region.bottom > inner_bottom:
            overlay.styles.max_height = room

    overlay.call_after_refresh(fit)
