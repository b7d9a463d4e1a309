"""Keys typed ahead land in the field the user meant.

A burst of keys (a paste, or a laggy SSH link delivering what was typed as one packet) reaches
the app as Key events queued one after the other. Textual hands each key to the widget focused
*when the app looks at it*; a Tab is handled later, by that widget, so the focus moves only
after the keys behind the Tab were already handed to the old field: "15<Tab>4<Tab>2" gave
For = "1542".

A form's Tab, Shift+Tab and Enter-in-a-field are therefore priority bindings: the app runs
them itself, at their place in the queue, before it looks at the next key, and the focus has
moved when it does. This does not rely on how (or when) Textual moves focus by default.
"""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

FIELD_ORDER_BINDINGS: list[BindingType] = [
    Binding("tab", "field(1)", "Next field", show=False, priority=True),
    Binding("shift+tab", "field(-1)", "Previous field", show=False, priority=True),
    Binding("enter", "enter_field", "Next field or save", show=False, priority=True),
]


def move_field(screen: Screen[Any], direction: int) -> None:
    """Focus the next (1) or previous (-1) field now, in the app's own turn."""
    if isinstance(screen.focused, TextArea):
        raise SkipAction()  # (a text box may take a tab: Textual's own handling)
    if direction > 0:
        screen.focus_next()
    else:
        screen.focus_previous()


def last_input(screen: Screen[Any]) -> Input | None:
    """The last text field the focus can reach (shown, enabled)."""
    inputs = [w for w in screen.focus_chain if isinstance(w, Input)]
    return inputs[-1] if inputs else None


def enter_in_field(screen: Screen[Any]) -> bool:
    """Enter in a text field: True when it was the form's last field (the caller saves);
    otherwise the next field is focused now. Enter anywhere else (a button, a drop-down)
    does what it does there."""
    focused = screen.focused
    if not isinstance(focused, Input):
        raise SkipAction()
    if focused is last_input(screen):
        return True
    screen.focus_next()
    return False
