"""Everything facilitate prints goes through here: one output filter for every path.

Stored text is not trusted: a meeting file can be edited by hand, or by any member of a shared
group. So text is filtered again on its way out, wherever it came from: every CLI line
(``echo``), every document written to stdout (``echo_document``), every JSON output
(``dumps_json``) and, in the app, every title, subtitle and notification (``ui/app.py``). The
filter is ``clean_text``: terminal escape sequences, C0/C1 control characters and bidi overrides
(U+202A-202E, U+2066-2069) are removed; tab, newline and every other character are kept.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from .domain.common import clean_text
from .storage.portable import WINDOWS


def utf8_when_redirected() -> None:
    """On Windows, a redirected stdout or stderr (``facilitate minutes latest > m.md``) is in
    the ANSI code page (cp1252...), which cannot write most names in a roster: it is switched
    to UTF-8, what facilitate writes everywhere else. (A Windows console is UTF-8 already.)"""
    if not WINDOWS:
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not stream.isatty():
            reconfigure(encoding="utf-8")


def safe_output(text: object) -> str:
    """``text`` as a string fit for a terminal (see the module's docstring)."""
    return clean_text("" if text is None else str(text))


def echo(*parts: object, err: bool = False, sep: str = " ", end: str = "\n") -> None:
    """print() through the output filter: stdout, or stderr with ``err``."""
    stream: TextIO = sys.stderr if err else sys.stdout
    stream.write(safe_output(sep.join(str(p) for p in parts)) + end)


def error(message: object) -> None:
    """A one-line error on stderr, ``facilitate: ...`` (unless it starts with the name)."""
    text = str(message)
    echo(text if text.startswith("facilitate ") else f"facilitate: {text}", err=True)


def safe_document(text: str) -> str:
    """A document (Markdown, CSV, calendar) filtered like every other output, its CRLF line
    ends kept: CSV and iCalendar need them, and a CR before LF moves no text."""
    return "\r\n".join(clean_text(line) for line in text.split("\r\n"))


def echo_document(text: str) -> None:
    """Write a whole document to stdout, filtered, and flush."""
    sys.stdout.write(safe_document(text))
    sys.stdout.flush()


def clean_values(value: Any) -> Any:
    """Every string in a JSON-shaped value (keys included) passed through the filter."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_values(k): clean_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_values(v) for v in value]
    return value


def dumps_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON for stdout: every string filtered first. (json.dumps escapes C0 controls, but
    passes U+009B, the one-byte CSI, and the bidi overrides through as they are.)"""
    return json.dumps(clean_values(value), ensure_ascii=False, indent=indent)
