"""Show user text literally: no markup interpreted, no terminal control sequences emitted."""

from __future__ import annotations

from textual.content import Content

from ..domain.common import clean_text


def plain(text: object) -> str:
    """Cleaned text for places that take a str without markup (DataTable via Content, Input)."""
    return clean_text("" if text is None else str(text))


def safe(text: object) -> Content:
    """User text as a Content: rendered exactly as written (markup characters included)."""
    return Content(plain(text))


def one_line(text: object, width: int = 0) -> str:
    value = " ".join(plain(text).split())
    if width and len(value) > width:
        return value[: max(1, width - 1)] + "…"
    return value


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
