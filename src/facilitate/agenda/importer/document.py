"""Markdown to a tree of headings, labels, list items, table rows and plain lines.

HTML comments are removed first (keeping the line count, so errors still name the right line):
a commented-out item never appears anywhere. Code blocks only ever become notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .common import AgendaImportError
from .lines import Parsed

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Node:
    kind: str  # root / heading / label / item / row / line
    level: int
    line: int
    text: str | None = None
    notes: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    link_texts: set[str] = field(default_factory=set)
    # rows only: values read from the table's other columns
    row_duration: str = ""
    row_presenter: str = ""
    row_notes: str = ""
    row_confidential: bool = False
    row_cells: list[str] = field(default_factory=list)
    row_extra: list[str] = field(default_factory=list)  # "Stage: 2.7"
    duration_column: str = ""
    parsed: Parsed | None = None
    timed_below: bool | None = None  # cache: any timed descendant


@dataclass
class Skipped:
    line: int
    what: str
    reason: str


@dataclass
class Document:
    root: Node
    skipped: list[Skipped]
    legend: dict[str, str]  # marker -> meaning, from legend tables and lists


def strip_comments(text: str, source: str) -> str:
    """Remove ``<!-- ... -->`` (keeping its newlines). An unclosed comment is an error."""

    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")

    text = _COMMENT.sub(blank, text)
    opened = text.find("<!--")
    if opened >= 0:
        raise AgendaImportError(
            source,
            text.count("\n", 0, opened) + 1,
            "an HTML comment '<!--' is never closed with '-->', so everything after it "
            "would be hidden: close it.",
        )
    return text


@dataclass
class Line:
    text: str
    links: list[str]
    link_texts: set[str]
    bold: bool  # the whole line is bold (or a heading-like label)


def inline_lines(token: Any) -> list[Line]:
    """The lines of an inline token as plain text: formatting dropped, links to their text,
    images to their alt text, struck-through words kept as written (spaced from their
    neighbours)."""
    out: list[Line] = []
    parts: list[str] = []
    links: list[str] = []
    texts: set[str] = set()
    link_text: list[str] | None = None
    plain = False  # some non-space text outside bold
    strong = 0

    def flush() -> None:
        nonlocal parts, links, texts, plain
        text = re.sub(r"\s+", " ", "".join(parts).translate(_SPACES)).strip()
        out.append(Line(text, links, texts, bold=bool(text) and not plain))
        parts, links, texts, plain = [], [], set(), False

    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline", "image"):
            content = child.content or ""
            parts.append(content)
            if link_text is not None:
                link_text.append(content)
            if content.strip() and not strong:
                plain = True
        elif kind == "softbreak" or kind == "hardbreak":
            flush()
        elif kind in ("s_open", "s_close"):
            parts.append(" ")
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong = max(0, strong - 1)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if href:
                links.append(href)
            link_text = []
        elif kind == "link_close" and link_text is not None:
            joined = re.sub(r"\s+", " ", "".join(link_text).translate(_SPACES)).strip()
            if joined:
                texts.add(joined)
            link_text = None
    flush()
    return out


def inline_text(token: Any) -> Line:
    lines = inline_lines(token)
    return Line(
        " ".join(x.text for x in lines if x.text).strip(),
        [h for x in lines for h in x.links],
        {t for x in lines for t in x.link_texts},
        all(x.bold for x in lines if x.text) and any(x.text for x in lines),
    )


def check_fences(tokens: list[Any], lines: list[str], source: str) -> None:
    for token in tokens:
        if token.type != "fence" or not token.map:
            continue
        start, end = token.map
        closing = lines[end - 1].strip() if end - 1 > start and end - 1 < len(lines) else ""
        fence_char = token.markup[:1]
        closed = (
            bool(closing) and set(closing) == {fence_char} and len(closing) >= len(token.markup)
        )
        if not closed:
            raise AgendaImportError(
                source,
                start + 1,
                f"a code block opened with {token.markup} is never closed, so everything after "
                f"it would be lost: close it with a {token.markup} line.",
            )


def blank_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for n in range(1, min(len(lines), 60)):
            if lines[n].strip() in ("---", "..."):
                return [""] * (n + 1) + lines[n + 1 :]
    return lines


def build(text: str, source: str, *, loose: bool = False) -> Document:
    """Parse Markdown text (comments already removed) into a tree.

    ``loose``: also read short plain lines without a time as agenda lines (the second try on a
    document in which nothing else reads as an agenda: "Welcome / Budget / AOB").
    """
    from markdown_it import MarkdownIt

    from .tables import read_table

    lines = blank_front_matter(text.split("\n"))
    tokens = MarkdownIt("js-default").parse("\n".join(lines))
    check_fences(tokens, lines, source)
    root = Node(kind="root", level=0, line=0, text="")
    doc = Document(root=root, skipped=[], legend={})
    headings: list[Node] = [root]  # open headings and labels
    items: list[Node] = []  # open list items
    pending_heading: int | None = None
    quote_depth = 0
    paragraph = False
    attach: Node | None = None  # a plain agenda line that the list right after it belongs to
    n = 0
    while n < len(tokens):
        tok = tokens[n]
        line = (tok.map[0] + 1) if tok.map else 0
        kind = tok.type
        if kind == "heading_open" and not items:
            pending_heading = int(tok.tag[1])
        elif kind == "inline" and pending_heading is not None:
            own = inline_text(tok)
            level = pending_heading
            pending_heading = None
            while headings[-1].kind in ("heading", "label") and (
                headings[-1].kind == "label" or headings[-1].level >= level
            ):
                headings.pop()
            node = Node(kind="heading", level=level, line=line, text=own.text, links=own.links)
            node.link_texts = own.link_texts
            headings[-1].children.append(node)
            headings.append(node)
            attach = None
        elif kind == "paragraph_open":
            paragraph = True
            if not items:
                attach = None
        elif kind == "paragraph_close":
            paragraph = False
        elif kind == "list_item_open":
            parent = items[-1] if items else (attach or headings[-1])
            node = Node(kind="item", level=len(items) + 1, line=line)
            parent.children.append(node)
            items.append(node)
        elif kind == "list_item_close":
            if items:
                node = items.pop()
                if node.text is None:
                    node.text = ""
        elif kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind == "inline":
            target = items[-1] if items else headings[-1]
            if target.kind == "item" and target.text is None and not quote_depth:
                own = inline_text(tok)
                target.text, target.links, target.link_texts = own.text, own.links, own.link_texts
                target.line = line or target.line
            elif paragraph and not items and not quote_depth:
                attach = _paragraph(inline_lines(tok), line, headings, source, loose)
            else:
                own = inline_text(tok)
                if own.text:
                    target.notes.append(own.text)
                    target.links += own.links
        elif kind in ("fence", "code_block"):
            target = items[-1] if items else headings[-1]
            code = tok.content.rstrip("\n")
            if code.strip():
                target.notes.append(code)
        elif kind == "table_open":
            attach = None if not items else attach
            table, n = read_table(tokens, n, source)
            target = items[-1] if items else headings[-1]
            if table.legend:
                doc.legend.update(table.legend)
            if table.skip:
                # Listed where it sits, so a table inside a skipped section is not listed twice.
                skipped = Node(kind="skipped", level=0, line=table.line, text="")
                skipped.row_notes = table.skip
                target.children.append(skipped)
            else:
                target.children.extend(table.rows)
            continue
        n += 1
    return doc


_SENTENCE_END = re.compile(r"[.?!…]$")


_NOT_A_LINE_ITEM = re.compile(
    r"\bagenda\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
    r"february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"^[\w ./&'-]{1,30}:\s",
    re.IGNORECASE,
)


def _item_like(text: str, source: str, loose: bool = False) -> bool:
    """A plain line that reads as an agenda item: it has a time and is not a sentence (or, in
    the loose reading, it is short, not a sentence, not a date, title or "Label: value")."""
    from .lines import analyze_title

    if not text or len(text) > 200:
        return False
    if loose:
        return (
            len(text) <= 100
            and not _SENTENCE_END.search(text)
            and not text.endswith(":")
            and not _NOT_A_LINE_ITEM.search(text)
        )
    try:
        parsed = analyze_title(text, source=source)
    except AgendaImportError:
        return True  # an impossible duration: let the item report it
    if parsed.minutes is None and parsed.clock_start is None:
        return False
    return bool(parsed.title) and not _SENTENCE_END.search(parsed.title)


def _label_like(line: Line) -> bool:
    text = line.text
    return bool(text) and len(text) <= 80 and (line.bold or text.endswith(":"))


_ROMAN = re.compile(r"^[IVXLC]{1,6}[.)]\s")
_LETTER = re.compile(r"^[A-Z][.)]\s")
_DIGIT = re.compile(r"^\d{1,3}[.)]\s")


def numbering_style(text: str) -> str:
    """ "roman" for "VII. ", "letter" for "B. ", "digit" for "3. ", "" for none."""
    for name, pattern in (("roman", _ROMAN), ("letter", _LETTER), ("digit", _DIGIT)):
        if pattern.match(text):
            return name
    return ""


def _close_peer_label(headings: list[Node], text: str) -> None:
    """A numbered agenda line numbered like the open label ("VIII. Adjournment (2 min)" after
    the label "VII. Closed Session") is the label's peer: the label's section ends there."""
    style = numbering_style(text)
    if style and headings[-1].kind == "label" and numbering_style(headings[-1].text or "") == style:
        headings.pop()


def _paragraph(
    lines: list[Line], line_no: int, headings: list[Node], source: str, loose: bool = False
) -> Node | None:
    """A paragraph outside lists: agenda lines (plain-text agendas, word-processor exports
    with ``\\`` line breaks), a label that heads what follows ("**Closed session**",
    "Attendees:"), or a note."""
    present = [(n, x) for n, x in enumerate(lines) if x.text]
    flags = [_item_like(x.text, source, loose) for _, x in present]
    count = sum(flags)
    if not count:
        if len(present) == 1 and _label_like(present[0][1]):
            while headings[-1].kind == "label":
                headings.pop()
            only = present[0][1]
            label = Node(kind="label", level=7, line=line_no + present[0][0], text=only.text)
            label.links, label.link_texts = only.links, only.link_texts
            headings[-1].children.append(label)
            headings.append(label)
            return None
        text = " ".join(x.text for _, x in present)
        if text:
            headings[-1].notes.append(text)
        return None
    many = count >= 2 and count * 2 >= len(present)
    _close_peer_label(headings, present[flags.index(True)][1].text)
    parent = headings[-1]
    current: Node | None = None
    for (offset, x), flag in zip(present, flags, strict=True):
        is_item = flag or (many and len(x.text) <= 120 and not _SENTENCE_END.search(x.text))
        if is_item:
            current = Node(kind="line", level=8, line=line_no + offset, text=x.text)
            current.links, current.link_texts = x.links, x.link_texts
            parent.children.append(current)
        elif current is not None:
            current.notes.append(x.text)
            current.links += x.links
        else:
            parent.notes.append(x.text)
    return current


# --- walking the tree ------------------------------------------------------------------------


def holds_items(node: Node) -> bool:
    return any(c.kind in ("item", "row", "line") or holds_items(c) for c in node.children)


def describe(node: Node, depth: int) -> list[str]:
    """A node's descendants as note lines."""
    lines: list[str] = []
    for child in node.children:
        text = child.text or ""
        if child.kind == "row":
            extra = [x for x in (child.row_duration, child.row_presenter, child.row_notes) if x]
            text = " — ".join([text, *extra])
        if text:
            lines.append("  " * depth + "- " + text)
        lines += ["  " * (depth + 1) + note for note in child.notes]
        lines += describe(child, depth + 1)
    return lines


def count_items(node: Node) -> int:
    total, stack = 0, [node]
    while stack:
        current = stack.pop()
        for child in current.children:
            total += child.kind in ("item", "row", "line")
            stack.append(child)
    return total
