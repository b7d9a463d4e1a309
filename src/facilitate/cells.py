"""Text measured in terminal cells, for the command line's tables.

A CJK character takes two cells, a combining mark none, and an emoji sequence (a woman
judge with a skin tone: five code points) two, so ``len()`` and ``str.ljust`` misalign a
column as soon as a name is not ASCII. Widths come from ``wcwidth`` (the UI has Rich's
``cell_len``, but nothing below the UI may import Rich: see tests/test_import_hygiene.py).
Cutting goes by whole grapheme clusters, so a wide character or an emoji sequence is never
split, and a cut cell ends in an ellipsis.

The table's width is the terminal's: ``shutil.get_terminal_size``, which honours
``COLUMNS`` and falls back to 80 when the output is not a terminal.
"""

from __future__ import annotations

import shutil

import wcwidth

ELLIPSIS = "…"
FALLBACK_COLUMNS = 80


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes (text already cleaned of control characters)."""
    return max(0, wcwidth.width(text, control_codes="ignore"))


def cut(text: str, cells: int) -> str:
    """``text`` if it fits in ``cells``, else its longest start that fits with an ellipsis
    after it. Never splits a grapheme cluster (a wide character, an emoji sequence, a letter
    with its combining marks)."""
    if cell_len(text) <= cells:
        return text
    if cells <= 0:
        return ""
    room = cells - cell_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for grapheme in wcwidth.iter_graphemes(text):
        width = cell_len(grapheme)
        if used + width > room:
            break
        kept.append(grapheme)
        used += width
    return "".join(kept).rstrip() + ELLIPSIS


def pad(text: str, cells: int) -> str:
    """``text`` followed by spaces up to ``cells`` cells (nothing added if it is wider)."""
    return text + " " * max(0, cells - cell_len(text))


def fit(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` and padded to exactly ``cells``: one aligned table cell."""
    return pad(cut(text, cells), cells)


def terminal_columns() -> int:
    """The terminal's width in cells: ``COLUMNS`` when set, else the terminal's, else 80."""
    return shutil.get_terminal_size((FALLBACK_COLUMNS, 24)).columns
