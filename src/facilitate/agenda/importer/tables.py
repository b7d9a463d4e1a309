"""Markdown tables: agenda tables (topic, timebox, presenter, any other column as a note),
legend tables (``Emoji | Meaning``) whose markers are honoured, and other tables, skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .document import Node, inline_text

_TOPIC_HEADERS = {
    "topic", "topics", "item", "items", "agenda item", "agenda items", "title", "subject",
    "what", "session", "agenda", "discussion", "business", "matter", "proposal",
}  # fmt: skip
_PRESENTER_HEADERS = {
    "presenter", "presenters", "lead", "leads", "led by", "who", "owner", "owners", "speaker",
    "speakers", "by", "facilitator", "presented by", "responsible", "champion", "champions",
    "presenter s", "champion s", "speaker s", "person", "moderator", "host",
}  # fmt: skip
_NOTES_HEADERS = {"notes", "note", "details", "description", "comments", "comment", "purpose",
                  "outcome", "action", "materials", "links", "slides", "link"}  # fmt: skip
_MARKER_HEADERS = {"emoji", "symbol", "icon", "marker", "mark", "key", "legend", "sign", "tag",
                   "abbreviation", "label", "code", "flag"}  # fmt: skip
_MEANING_HEADERS = {"meaning", "means", "description", "definition", "explanation",
                    "what it means", "stands for", "use", "used for"}  # fmt: skip
CONFIDENTIAL_MEANING = re.compile(
    r"confidential|closed|restricted|private|in camera|members only|sensitive|"
    r"not for (?:circulation|distribution|minutes)|do not (?:circulate|minute)",
    re.IGNORECASE,
)
_YES = {"yes", "y", "x", "true", "confidential", "closed", "✓", "✔", "🔒"}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z ]", " ", text.lower())).strip()


def header_kind(text: str) -> str:
    key = _key(text)
    if key in _TOPIC_HEADERS:
        return "topic"
    if key in _PRESENTER_HEADERS:
        return "presenter"
    if key in _NOTES_HEADERS:
        return "notes"
    if "confidential" in key or key in ("closed", "restricted", "private"):
        return "confidential"
    words = set(key.split())
    if words & {
        "timebox",
        "duration",
        "min",
        "mins",
        "minutes",
        "time",
        "length",
        "allotted",
        "allocation",
        "allot",
        "timing",
        "est",
        "estimate",
        "start",
        "starts",
        "when",
        "begins",
        "slot",
        "hour",
        "hours",
        "times",
    }:
        return "duration"
    return ""


@dataclass
class Table:
    line: int
    rows: list[Node] = field(default_factory=list)
    skip: str = ""  # why the table holds no agenda items
    legend: dict[str, str] = field(default_factory=dict)


def read_table(tokens: list[Any], start: int, source: str) -> tuple[Table, int]:
    """The table starting at ``tokens[start]`` (table_open). Returns it and the next index."""
    header: list[str] = []
    header_line = (tokens[start].map[0] + 1) if tokens[start].map else 0
    rows: list[tuple[int, list[Any]]] = []
    n = start + 1
    current: list[Any] | None = None
    row_line = 0
    in_head = False
    while n < len(tokens) and tokens[n].type != "table_close":
        tok = tokens[n]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
            row_line = (tok.map[0] + 1) if tok.map else row_line
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = [c.text for c in current]
            else:
                rows.append((row_line, current))
            current = None
        elif tok.type == "inline" and current is not None:
            current.append(inline_text(tok))
        n += 1
    table = Table(line=header_line)
    keys = [_key(h) for h in header]
    if any(k in _MARKER_HEADERS for k in keys) and any(k in _MEANING_HEADERS for k in keys):
        marker_col = next(i for i, k in enumerate(keys) if k in _MARKER_HEADERS)
        meaning_col = next(i for i, k in enumerate(keys) if k in _MEANING_HEADERS)
        for _, cells in rows:
            if max(marker_col, meaning_col) < len(cells):
                marker, meaning = cells[marker_col].text.strip(), cells[meaning_col].text.strip()
                if marker:
                    table.legend[marker] = meaning
        table.skip = "a legend (" + ", ".join(header) + "), not agenda items"
        return table, n + 1
    kinds = [header_kind(h) for h in header]
    if "topic" not in kinds:
        unknown = [i for i, k in enumerate(kinds) if k == ""]
        if len(unknown) == 1 and "duration" in kinds:
            kinds[unknown[0]] = "topic"
        elif len(header) == 2 and "duration" in kinds:
            kinds[kinds.index("duration") ^ 1] = "topic"
        else:
            table.skip = (
                f"a table with no topic and timebox columns ({', '.join(header) or 'no header'})"
                ", not agenda items"
            )
            return table, n + 1
    topic_col = kinds.index("topic")
    dur_col = kinds.index("duration") if "duration" in kinds else None
    for line, cells in rows:

        def cell(kind: str, cells: list[Any] = cells) -> str:
            for i, k in enumerate(kinds):
                if k == kind and i < len(cells) and cells[i].text.strip():
                    return str(cells[i].text.strip())
            return ""

        texts = [c.text for c in cells]
        topic = cells[topic_col] if topic_col < len(cells) else None
        if (topic is None or not topic.text.strip()) and not any(t.strip() for t in texts):
            continue
        extra = [
            f"{header[i]}: {texts[i]}"
            for i, k in enumerate(kinds)
            if k == "" and i < len(texts) and i < len(header) and texts[i].strip()
        ]
        node = Node(
            kind="row",
            level=0,
            line=line,
            text=topic.text if topic is not None else "",
            links=[h for c in cells for h in c.links],
            row_duration=cell("duration"),
            row_presenter=cell("presenter"),
            row_notes=cell("notes"),
            row_confidential=cell("confidential").lower() in _YES,
            row_cells=texts,
            row_extra=extra,
            duration_column=header[dur_col] if dur_col is not None else "",
        )
        node.link_texts = set(topic.link_texts) if topic is not None else set()
        table.rows.append(node)
    return table, n + 1
