"""Property: any text, escaped for Markdown, renders back as the same text and no markup."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from facilitate.domain.common import clean_text
from facilitate.minutes.blocks import Document, Table, md_escape, to_markdown
from tests.exports.helpers import html_text, parse_html

COMMONMARK = MarkdownIt("commonmark")  # passes raw HTML through: the strictest check
GFM = MarkdownIt("js-default")
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\`*_[]<>|~&!{}#$-+=.():;'\"/ \t\n0123456789aAzZ")),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=60,
)


def lines(text: str) -> list[str]:
    cleaned = clean_text(text).replace("\t", " ")
    return [" ".join(line.split()) for line in cleaned.split("\n") if line.strip()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_paragraph_text_round_trips(text: str) -> None:
    html = COMMONMARK.render(md_escape(text))
    assert {tag for tag, _ in parse_html(html).tags} <= {"p", "br"}
    assert lines(html_text(html)) == lines(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_table_cells_round_trip(a: str, b: str) -> None:
    markdown = to_markdown(Document("t", (Table(("A", "B"), ((a, b),)),)))
    html = GFM.render(markdown)
    assert {tag for tag, _ in parse_html(html).tags} <= {
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    cells = [
        "".join(child.content for child in token.children or [])
        for token in GFM.parse(markdown)
        if token.type == "inline"
    ]
    assert [" ".join(c.split()) for c in cells] == ["A", "B", *(" ".join(lines(x)) for x in (a, b))]
