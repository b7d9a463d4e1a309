"""Reading exports back as plain text, and comparing with golden files."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def parse_html(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    return "".join(parse_html(html).parts)


def md_text(markdown: str) -> str:
    """What a reader sees: the Markdown rendered (safe preset) and reduced to text."""
    from markdown_it import MarkdownIt

    return html_text(MarkdownIt("js-default").render(markdown))


def docx_text(data: bytes) -> str:
    from facilitate.minutes.docx import read_docx_text

    paragraphs, tables, headers = read_docx_text(data)
    cells = [cell for table in tables for row in table for cell in row]
    return "\n".join([*headers, *paragraphs, *cells])


def ics_text(data: bytes) -> str:
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    values = []
    for component in cal.walk():
        for _name, value in component.property_items():
            values.append(str(value.to_ical().decode() if hasattr(value, "to_ical") else value))
        for key in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            if key in component:
                values.append(str(component[key]))
    return "\n".join(values)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/data/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN_DIR / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
        path.chmod(0o644)
        return
    if not path.exists():
        pytest.fail(f"Golden file {path} is missing: run the tests with UPDATE_GOLDEN=1.")
    expected = path.read_text("utf-8")
    assert actual == expected, (
        f"{name} differs from the golden file; if the change is intended, rerun with "
        "UPDATE_GOLDEN=1 and review the diff."
    )


def docx_golden_text(data: bytes) -> str:
    from facilitate.minutes.docx import read_docx_text

    paragraphs, tables, headers = read_docx_text(data)
    return (
        json.dumps(
            {"header": headers, "paragraphs": paragraphs, "tables": tables},
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )
