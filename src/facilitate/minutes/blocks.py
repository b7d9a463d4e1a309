"""A tiny document model shared by every export (minutes and agendas).

Exports are built once as a list of blocks (headings, paragraphs, tables, lists, banners) from
already-redacted data, then written as Markdown, HTML or Word. Every piece of user text is a
plain string here; each writer escapes it for its own format, so no format can be tricked into
markup by a name or a note.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from typing import Any

from ..domain.common import clean_text


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = document title


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]

    @classmethod
    def of(cls, *parts: str | Run) -> Paragraph:
        return cls(tuple(p if isinstance(p, Run) else Run(p) for p in parts))

    @classmethod
    def field(cls, label: str, value: str) -> Paragraph:
        return cls((Run(f"{label}:", bold=True), Run(f" {value}")))

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = field(default_factory=frozenset)  # right-aligned columns


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class ListItem:
    para: Paragraph
    children: tuple[ListItem, ...] = ()


@dataclass(frozen=True)
class NumberedList:
    """An ordered list whose items may carry nested bullet lists (agendas)."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Banner:
    text: str


@dataclass(frozen=True)
class Figure:
    """A chart: an SVG for HTML, a PNG for Word, and its values as a table (Markdown, and for
    anyone who cannot see the picture). The SVG is made by the program, never from user markup;
    user text in it (organization names) is escaped by the drawing library."""

    title: str
    description: str
    svg: str
    png: bytes
    table: Table


Block = Heading | Paragraph | Table | BulletList | NumberedList | Banner | Figure


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    confidential: bool = False  # carries the members-only banner
    banner: str = ""
    footer: str = ""  # the workspace (collaborative) name, in the Word footer


def safe(text: str) -> str:
    """User text for any export: terminal escapes and control characters removed."""
    return clean_text(text or "")


# --- Markdown ------------------------------------------------------------------------------

# ASCII punctuation that can start or end inline markup (emphasis, code, links, HTML, tables,
# strikethrough, entities). CommonMark lets any ASCII punctuation be backslash-escaped.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!{}$])")
# Markers that only mean something at the start of a line: headings, quotes, lists, setext
# underlines, thematic breaks, fences, ordered-list numbers.
_LINE_START = re.compile(r"^([#>+\-=]|\d+(?=[.)]))")


def md_escape_inline(text: str) -> str:
    """User text inside a line (table cell, heading): no inline markup, no HTML, no links."""
    text = " ".join(part.strip() for part in safe(text).split("\n") if part.strip())
    return _INLINE_SPECIAL.sub(r"\\\1", text.replace("\t", " ").strip())


def md_escape_line(text: str) -> str:
    """One line of user text as a literal Markdown block line (also no list, heading, quote)."""
    text = md_escape_inline(text)
    match = _LINE_START.match(text)
    if match:
        marker = match.group(1)
        # "2026. Review" must not become an ordered list: escape the dot or paren.
        text = marker + "\\" + text[len(marker) :] if marker.isdigit() else "\\" + text
    return text


def md_escape(text: str) -> str:
    """User text as literal Markdown; line breaks kept as hard breaks."""
    return _md_runs((Run(text),))


def md_cell(text: str) -> str:
    """User text for a table cell: one line, pipes escaped, never empty."""
    return md_escape_inline(text) or " "


_BREAK = "\\\n"


def _md_runs(runs: tuple[Run, ...]) -> str:
    """Runs as one Markdown paragraph: each line escaped, newlines as hard breaks."""
    pieces: list[str] = []
    for run in runs:
        for n, segment in enumerate(safe(run.text).replace("\t", " ").split("\n")):
            if n > 0:
                pieces.append(_BREAK)
            body = md_escape_line(segment)
            if not body:
                if segment and pieces and pieces[-1] != _BREAK:
                    pieces.append(" ")
                continue
            if run.bold:
                body = f"**{body}**"
            if run.italic:
                body = f"*{body}*"
            lead = " " if segment[:1].isspace() and pieces and pieces[-1] != _BREAK else ""
            trail = " " if segment[-1:].isspace() else ""
            pieces.append(f"{lead}{body}{trail}")
    # Collapse runs of breaks and spaces; a paragraph must not start or end with a break.
    out: list[str] = []
    for piece in pieces:
        if piece == _BREAK and (not out or out[-1] == _BREAK):
            continue
        if piece == _BREAK and out and out[-1].endswith(" "):
            out[-1] = out[-1].rstrip(" ")
        out.append(piece)
    while out and out[-1] == _BREAK:
        out.pop()
    return "".join(out).strip(" ")


def to_markdown(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = max(1, min(6, block.level))
            text = md_escape_inline(" ".join(safe(block.text).split())).replace("#", "\\#")
            parts.append(f"{'#' * level} {text}")
        elif isinstance(block, Paragraph):
            body = _md_runs(block.runs)
            if body:
                parts.append(body)
        elif isinstance(block, Banner):
            parts.append(f"> **{md_escape_line(block.text)}**")
        elif isinstance(block, BulletList):
            lines = []
            for item in block.items:
                body = _md_runs(item.runs).replace("\\\n", "\\\n  ")
                lines.append(f"- {body}" if body else "- \\-")
            if lines:
                parts.append("\n".join(lines))
        elif isinstance(block, NumberedList):
            lines = []
            for n, entry in enumerate(block.items, start=1):
                marker = f"{n}. "
                lines.append(marker + _md_item(entry.para, len(marker)))
                lines += _md_children(entry.children, len(marker))
            if lines:
                parts.append("\n".join(lines))
        elif isinstance(block, Table):
            parts.append(_md_table(block))
        elif isinstance(block, Figure):
            parts.append(f"**{md_escape_line(block.title)}**")
            parts.append(_md_table(block.table))
    return "\n\n".join(parts) + "\n"


def _md_item(para: Paragraph, indent: int) -> str:
    body = _md_runs(para.runs) or "\\-"
    return body.replace("\\\n", "\\\n" + " " * indent)


def _md_children(children: tuple[ListItem, ...], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for child in children:
        lines.append(f"{pad}- " + _md_item(child.para, indent + 2))
        lines += _md_children(child.children, indent + 2)
    return lines


def _md_table(table: Table) -> str:
    header = "| " + " | ".join(md_cell(h) for h in table.header) + " |"
    rule = (
        "|"
        + "|".join("---:" if n in table.numeric else "---" for n in range(len(table.header)))
        + "|"
    )
    rows = [
        "| "
        + " | ".join(md_cell(row[n] if n < len(row) else "") for n in range(len(table.header)))
        + " |"
        for row in table.rows
    ]
    return "\n".join([header, rule, *rows])


# --- HTML ----------------------------------------------------------------------------------


FIGURE_STYLE = """
figure.chart { margin: .6rem 0 .2rem; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #444; }
"""


def _html_figure(figure: Figure) -> str:
    caption = html.escape(" ".join(safe(figure.title).split()))
    values = markdown_to_html(_md_table(figure.table))
    return (
        f'<figure class="chart">\n{figure.svg}\n<figcaption>{caption}</figcaption>\n</figure>\n'
        f"<details><summary>Values</summary>\n{values}</details>\n"
    )


CSP = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1b1b1b; background: #fff; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin: 1.1rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; }
blockquote { margin: .6rem 0; padding: .3rem .8rem; border-left: 4px solid #999; }
.banner { border: 3px solid #a00; color: #a00; background: #fff5f5; font-weight: 700;
  text-align: center; letter-spacing: .06em; padding: .5rem; margin: 0 0 1rem; }
.banner.bottom { margin: 1.5rem 0 0; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  table, tr, blockquote { break-inside: avoid; page-break-inside: avoid; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 18mm 16mm; }
}
"""


def _css_string(text: str) -> str:
    """Text as a CSS string literal: every character outside plain letters, digits and spaces
    is written as a CSS escape, so nothing in it can end the string or the style element."""
    out = []
    for ch in " ".join(safe(text).split()):
        out.append(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def print_banner_css(banner: str) -> str:
    """The banner at the top and bottom of every printed page (page margin boxes)."""
    text = _css_string(banner)
    box = "color: #a00; font-weight: 700; letter-spacing: .06em; font-size: 9pt;"
    return (
        "@media print {\n"
        "  @page {\n"
        f"    @top-center {{ content: {text}; {box} }}\n"
        f"    @bottom-center {{ content: {text}; {box} }}\n"
        "  }\n"
        "}\n"
    )


@functools.cache
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default")


def markdown_to_html(markdown: str) -> str:
    """Render Markdown with markdown-it-py's safe preset: raw HTML is shown as text."""
    return str(_renderer().render(markdown))


def to_html(doc: Document) -> str:
    """A complete, self-contained HTML page: the Markdown rendered safely, a restrictive CSP."""
    body = ""
    run: list[Block] = []
    for block in (*doc.blocks, None):
        if block is None or isinstance(block, Figure):
            if run:
                body += markdown_to_html(to_markdown(Document(doc.title, tuple(run))))
                run = []
            if block is not None:
                body += _html_figure(block)
        elif not isinstance(block, Banner):
            run.append(block)
    banner_top = banner_bottom = ""
    style = STYLE
    if doc.confidential and doc.banner:
        text = html.escape(safe(doc.banner))
        banner_top = f'<div class="banner" role="note">{text}</div>\n'
        banner_bottom = f'<div class="banner bottom" role="note">{text}</div>\n'
        style += print_banner_css(doc.banner)
    title = html.escape(" ".join(safe(doc.title).split()))
    figures = FIGURE_STYLE if any(isinstance(b, Figure) for b in doc.blocks) else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{style}{figures}</style>\n</head>\n<body>\n"
        f"{banner_top}<main>\n{body}</main>\n{banner_bottom}</body>\n</html>\n"
    )
