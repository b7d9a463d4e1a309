"""minutes/blocks.py: Markdown escaping and the HTML page."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from facilitate.minutes.blocks import (
    CSP,
    Banner,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
    md_cell,
    md_escape,
    to_html,
    to_markdown,
)
from tests.exports.helpers import html_text, parse_html


@pytest.mark.parametrize(
    "text",
    [
        "**bold** _em_ `code`",
        "# Heading",
        "- list item",
        "+ plus",
        "1. numbered",
        "2026) paren",
        "> quote",
        "=== setext",
        "[link](http://x.org)",
        "<http://auto.link>",
        "![img](x.png)",
        "a | b",
        "~~strike~~",
        "&lt; entity &amp;",
        "\\ back\\slash",
        'O\'Brien "Quoted" & Sons <Ltd>',
    ],
)
def test_escaped_text_renders_literally(text: str) -> None:
    for preset in ("js-default", "commonmark"):
        html = MarkdownIt(preset).render(md_escape(text))
        assert html_text(html).strip() == text
        assert {t for t, _ in parse_html(html).tags} <= {"p"}


def test_multiline_text_keeps_lines_without_markup() -> None:
    html = MarkdownIt("commonmark").render(md_escape("first\n# not a heading\n- not a list"))
    assert {t for t, _ in parse_html(html).tags} == {"p", "br"}
    assert html_text(html).strip() == "first\n# not a heading\n- not a list"


def test_table_cells_escape_pipes_and_newlines() -> None:
    table = Table(("A", "B"), (("x | y", "line1\nline2"),))
    html = MarkdownIt("js-default").render(to_markdown(Document("t", (table,))))
    cells = [c for c in html_text(html).split("\n") if c]
    assert cells == ["A", "B", "x | y", "line1 line2"]
    assert md_cell("") == " "


def test_html_page_escapes_title_and_has_csp() -> None:
    doc = Document(
        "<script>alert(1)</script>",
        (Banner("CONFIDENTIAL: members only"), Heading("<b>x</b>"), Paragraph.of(Run("<i>"))),
        confidential=True,
        banner="CONFIDENTIAL: members only",
    )
    html = to_html(doc)
    assert f'content="{CSP}"' in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tags = [t for t, _ in parse_html(html).tags]
    assert "b" not in tags and "i" not in tags
    assert html.count('class="banner') == 2
