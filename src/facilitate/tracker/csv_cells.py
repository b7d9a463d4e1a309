"""CSV cells that a spreadsheet will not run as formulas, and back.

CSV formula injection: Excel, LibreOffice and Google Sheets treat a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, in some versions, a tab or carriage return) as a formula, so a
member named ``=HYPERLINK("http://evil","x")`` would turn into a live link or worse when the
coordinator opens the export. On export such a cell gets a leading single quote, which
spreadsheets read as "this is text" and do not display. On import a leading single quote is
removed again. Values that themselves start with a quote get one too, so every value survives
an export followed by an import exactly.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_PREFIX = "'"


def protect(value: str) -> str:
    """A cell value safe to open in a spreadsheet (see the module docstring)."""
    if value.startswith(FORMULA_START) or value.startswith(TEXT_PREFIX):
        return TEXT_PREFIX + value
    return value


def unprotect(value: str) -> str:
    """Undo ``protect``: drop one leading single quote (as a spreadsheet does on typing)."""
    if value.startswith(TEXT_PREFIX):
        return value[1:]
    return value
