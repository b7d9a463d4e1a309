"""Show user text literally: no markup interpreted, no terminal control sequences emitted."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from ..domain.common import clean_text


def plain(text: object) -> str:
    """Cleaned text for places that take a str without markup (DataTable via Content, Input)."""
    return clean_text("" if text is None else str(text))


def safe(text: object) -> Content:
    """User text as a Content: rendered exactly as written (markup characters included)."""
    return Content(plain(text))


def one_line(text: object, width: int = 0) -> str:
    """``text`` on one line; with ``width``, cut to that many terminal cells (a CJK
    character is two) with an ellipsis, never splitting a wide character."""
    value = " ".join(plain(text).split())
    if width and cell_len(value) > width:
        return set_cell_size(value, max(1, width - 1)).rstrip() + "…"
    return value


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` wrapped at word boundaries into lines of at most ``width`` terminal cells
    (a word wider than that is folded by cells). textwrap counts characters, so a CJK line
    would take twice the room."""
    return [line.plain.strip() for line in Content(text).wrap(max(1, width))]


def labelled(template: str, **values: object) -> Content:
    """Fixed markup with user values substituted safely: labelled('[b]Owner:[/] $name', name=x)."""
    return Content.from_markup(template, **{k: plain(v) for k, v in values.items()})


class SafeTitles:
    """For a Screen: its title and subtitle (shown in the header, e.g. a meeting's title) pass
    through the output filter, whoever sets them. (The app's own are filtered in app.py.)"""

    def validate_title(self, title: object) -> str | None:
        return None if title is None else plain(title)

    def validate_sub_title(self, sub_title: object) -> str | None:
        return None if sub_title is None else plain(sub_title)
