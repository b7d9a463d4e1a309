"""Import an agenda from Markdown, read the way people actually write agendas.

Accepted shapes (mixed freely):

- list items (bulleted or numbered, nested) or headings as agenda items;
- a Markdown table with a topic column and a timebox/duration (or clock-time) column;
- durations such as ``(10m)``, ``10 min``, ``15 minutes``, ``1h``, ``1h30``, ``1.5h`` or a range
  ``10-15m`` (the upper bound is planned; the range is kept in the notes); a leading clock time
  ``10:00`` or range ``10:00-10:15`` gives a duration when none is written;
- a presenter in parentheses ``(Ana Ruiz)`` or after a spaced dash ``- Ana Ruiz``;
- ``(confidential)`` marks a confidential item; case reviews are confidential anyway.

A parent item with its own duration keeps its children as notes; a parent without one is a
section, and its children become the items. Links, emoji and inline formatting become plain text.
Parsing is all-or-nothing: any error names the line, and nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from ..domain.common import FacilitateError, clean_text, system_clock
from ..domain.meeting import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingStatus,
    planned_total,
)
from ..domain.training import TrainingSnippet
from ..storage.workspace import Workspace

DEFAULT_MINUTES = 5
MAX_MINUTES = 600
MAX_TITLE = 300


class AgendaImportError(FacilitateError):
    """The Markdown could not be read as an agenda. The message names the line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source, self.line = source, line
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message} Nothing was imported.")


# --- durations, clock times, presenters ----------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)?"
_HOURS = r"(?:hours|hour|hrs|hr|h)"
_MINS = r"(?:minutes|minute|mins|min|mn|m|')"
DURATION = re.compile(
    rf"""
    (?<![\w:.,])
    (?:
        (?P<lo>{_NUM})(?:\s*(?P<lounit>{_HOURS}|{_MINS}))?(?:-|–|—|\s+to\s+)\s*
        (?P<hi>{_NUM})\s*(?P<hiunit>{_HOURS}|{_MINS})
      | (?P<h>{_NUM})\s*{_HOURS}\.?(?:\s*(?P<hm>\d{{1,2}})(?:\s*{_MINS})?)?
      | (?P<m>{_NUM})\s*{_MINS}
    )
    (?![\w'])
    """,
    re.VERBOSE | re.IGNORECASE,
)
CLOCK = re.compile(
    r"""
    ^(?P<h1>\d{1,2})[:.](?P<m1>\d{2})\s*(?P<ap1>[ap]\.?m\.?)?
    (?:\s*(?:-|–|—|to)\s*(?P<h2>\d{1,2})[:.](?P<m2>\d{2})\s*(?P<ap2>[ap]\.?m\.?)?)?
    (?=\s|$|[-–—:|·,])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(?:\d{1,3}[.)]|[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])\s+")
_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_DASH_SPLIT = re.compile(r"\s+(?:-{1,2}|–|—)\s+")
_CONFIDENTIAL = re.compile(
    r"^(?:confidential|closed(?: session)?|members only|in camera|private|closed[- ]door)$",
    re.IGNORECASE,
)
_PRESENTER_PREFIX = re.compile(
    r"^(?:led by|presented by|presenter:?|facilitated by|lead:|with|by)\s+", re.IGNORECASE
)
_APPROX = re.compile(r"^(?:approx\.?|about|around|ca\.?|~|c\.)\s*", re.IGNORECASE)
_NOT_NAMES = {
    "tbc",
    "tbd",
    "optional",
    "draft",
    "cont",
    "cont.",
    "continued",
    "vote",
    "discussion",
    "decision",
    "for decision",
    "for discussion",
    "for information",
    "information",
    "info",
    "update",
    "updates",
    "if time allows",
    "if time",
    "n/a",
    "break",
    "lunch",
}


def _to_minutes(number: str, unit: str | None, line: int, source: str) -> float:
    value = float(number.replace(",", "."))
    if unit and unit.lower().startswith("h"):
        return value * 60
    return value


def parse_duration(text: str, *, line: int = 0, source: str = "agenda") -> tuple[int, str] | None:
    """The planned minutes and the matched text of the last duration in ``text`` (None if none).

    A range gives its upper bound. Raises AgendaImportError for an impossible duration.
    """
    matches = list(DURATION.finditer(text))
    if not matches:
        return None
    match = matches[-1]
    return _duration_of(match, line, source), match.group(0).strip()


def _duration_of(match: re.Match[str], line: int, source: str) -> int:
    raw = match.group(0).strip()
    if match.group("hi") is not None:
        hi_unit = match.group("hiunit")
        lo = _to_minutes(match.group("lo"), match.group("lounit") or hi_unit, line, source)
        hi = _to_minutes(match.group("hi"), hi_unit, line, source)
        if lo > hi:
            raise AgendaImportError(
                source, line, f"the range {raw!r} runs backwards: write the shorter time first."
            )
        minutes = hi
    elif match.group("h") is not None:
        minutes = _to_minutes(match.group("h"), "h", line, source)
        extra = match.group("hm")
        if extra is not None:
            if int(extra) >= 60:
                raise AgendaImportError(
                    source, line, f"{raw!r}: the minutes after the hours must be under 60."
                )
            minutes += int(extra)
    else:
        minutes = _to_minutes(match.group("m"), "m", line, source)
    whole = round(minutes)
    if whole > MAX_MINUTES:
        raise AgendaImportError(
            source, line, f"{raw!r} is {whole} minutes, more than the {MAX_MINUTES}-minute limit."
        )
    return whole


def _clock_minutes(hour: str, minute: str, ampm: str | None) -> int | None:
    h, m = int(hour), int(minute)
    if m >= 60 or h > 24:
        return None
    if ampm:
        pm = ampm.lower().startswith("p")
        if h > 12:
            return None
        h = (h % 12) + (12 if pm else 0)
    return h * 60 + m


_PARTICLES = {
    "de", "da", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das",
    "di", "bin", "ibn", "al", "el", "y", "e", "and", "&", "of", "the", "st.", "ter", "zu",
}  # fmt: skip
_ROLE_WORDS = {
    "chair", "chairs", "co-chairs", "cochairs", "members", "member", "team", "staff",
    "coordinator", "lead", "leads", "everyone", "all", "committee", "subcommittee", "facilitator",
    "secretary", "partners", "representatives", "reps",
}  # fmt: skip
_AGENDA_WORDS = {
    "update", "updates", "report", "reports", "review", "training", "plan", "planning",
    "discussion", "overview", "introduction", "introductions", "presentation", "session",
    "trauma", "care", "budget", "policy", "protocol", "protocols", "mou", "annex", "strategy",
    "data", "case", "cases", "minutes", "agenda", "business", "sharing", "information",
    "feedback", "welcome", "close", "closing", "opening", "break", "lunch", "questions",
    "decision", "decisions", "vote", "next", "steps", "action", "actions", "items", "outreach",
    "grant", "funding", "meeting", "indicators", "awareness", "recap", "round", "table",
    "confidentiality", "reminder", "approval", "other", "new", "any", "aob", "workshop",
}  # fmt: skip


def _name_like(text: str) -> bool:
    """Looks like a person, a role or an organization presenting, not part of a title."""
    text = text.strip()
    words = text.split()
    if not text or len(text) > 60 or not 1 <= len(words) <= 5:
        return False
    if any(ch.isdigit() for ch in text) or text.lower().rstrip(".") in _NOT_NAMES:
        return False
    first = text[0]
    if not first.isalpha() or first.islower():
        return False
    lowered = [w.lower().strip(".,:;!?") for w in words]
    if any(w in _AGENDA_WORDS for w in lowered):
        return False
    if lowered[-1] in _ROLE_WORDS:
        return True
    return all(
        w in _PARTICLES or not word[:1].isalpha() or not word[:1].islower()
        for w, word in zip(lowered, words, strict=True)
    )


@dataclass
class _Parsed:
    title: str
    minutes: int | None = None
    duration_text: str = ""
    is_range: bool = False
    presenter: str = ""
    confidential: bool = False
    clock_start: int | None = None
    clock_end: int | None = None


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" -–—:|·,;").strip()


def analyze_title(text: str, *, line: int = 0, source: str = "agenda") -> _Parsed:
    """Split one agenda line into title, duration, presenter, confidentiality and clock time."""
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    text = _NUMBERING.sub("", text, count=1)
    result = _Parsed(title="")

    clock = CLOCK.match(text)
    if clock:
        start = _clock_minutes(clock.group("h1"), clock.group("m1"), clock.group("ap1") or None)
        end = None
        if clock.group("h2") is not None:
            end = _clock_minutes(
                clock.group("h2"), clock.group("m2"), clock.group("ap2") or clock.group("ap1")
            )
            if start is not None and end is not None and end < start and end + 720 > start:
                end += 720  # 11:45-12:15 / 12:45-1:15 written without am/pm
        if start is not None:
            result.clock_start, result.clock_end = start, end
            text = text[clock.end() :].lstrip(" -–—:|·,")

    # Parenthesised groups: durations, "confidential", presenters.
    def group(match: re.Match[str]) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        kept: list[str] = []
        for part in re.split(r";|,(?!\d)", inner):
            piece = _APPROX.sub("", part.strip())
            if not piece:
                continue
            dur = DURATION.fullmatch(piece)
            if dur and result.minutes is None:
                result.minutes = _duration_of(dur, line, source)
                result.duration_text = piece
                result.is_range = dur.group("hi") is not None
                continue
            if _CONFIDENTIAL.match(piece):
                result.confidential = True
                continue
            name = _PRESENTER_PREFIX.sub("", piece)
            if not result.presenter and (name != piece or _name_like(piece)) and _name_like(name):
                result.presenter = name
                continue
            kept.append(part.strip())
        if not kept:
            return " "
        return (
            "(" + ", ".join(kept) + ")"
            if match.group(1) is not None
            else "[" + ", ".join(kept) + "]"
        )

    text = _GROUP.sub(group, text)

    if result.minutes is None:
        matches = list(DURATION.finditer(text))
        if matches:
            match = matches[-1]
            result.minutes = _duration_of(match, line, source)
            result.duration_text = match.group(0).strip()
            result.is_range = match.group("hi") is not None
            text = text[: match.start()] + " " + text[match.end() :]

    text = _tidy(text)
    segments = _DASH_SPLIT.split(text)
    separators = _DASH_SPLIT.findall(text)
    while len(segments) > 1:
        last = segments[-1].strip()
        if _CONFIDENTIAL.match(last):
            result.confidential = True
        elif not result.presenter and _name_like(_PRESENTER_PREFIX.sub("", last)):
            result.presenter = _PRESENTER_PREFIX.sub("", last)
        else:
            break
        segments = segments[:-1]
    rebuilt = segments[0]
    for sep, segment in zip(separators, segments[1:], strict=False):
        rebuilt += sep + segment
    text = _tidy(rebuilt)
    if not result.presenter:
        by = re.search(r"\s+\b(?:led|presented) by\s+(.+)$", text, re.IGNORECASE)
        if by and _name_like(by.group(1)):
            result.presenter = by.group(1).strip()
            text = _tidy(text[: by.start()])
    result.title = text
    start, end = result.clock_start, result.clock_end
    if result.minutes is None and start is not None and end is not None and end > start:
        result.minutes = end - start
    return result


_KINDS: list[tuple[ItemKind, re.Pattern[str]]] = [
    (ItemKind.CASE_REVIEW, re.compile(r"\bcase (?:review|conference|consultation)s?\b", re.I)),
    (
        ItemKind.MINUTES_APPROVAL,
        re.compile(r"\bminutes\b.*\b(?:approv|adopt)|\b(?:approv|adopt)\w*\b.*\bminutes\b", re.I),
    ),
    (ItemKind.OPENING, re.compile(r"^(?:opening|welcome|call to order)\b", re.I)),
    (ItemKind.INTRODUCTIONS, re.compile(r"\bintroductions?\b", re.I)),
    (
        ItemKind.REPORT_BACKS,
        re.compile(
            r"report[- ]?backs?|subcommittee (?:reports?|updates?)|committee reports?|"
            r"open actions|action items? review",
            re.I,
        ),
    ),
    (ItemKind.TRAINING, re.compile(r"\btraining\b", re.I)),
    (
        ItemKind.INFORMATION_SHARING,
        re.compile(r"\binfo(?:rmation)?[- ]sharing\b|\b(?:agency|partner) updates\b", re.I),
    ),
    (ItemKind.NEW_BUSINESS, re.compile(r"\bnew business\b|\bother business\b|\baob\b", re.I)),
    (ItemKind.DECISIONS, re.compile(r"^decisions?\b", re.I)),
    (ItemKind.FEEDBACK, re.compile(r"\bfeedback\b|\bevaluation\b", re.I)),
    (ItemKind.CLOSING, re.compile(r"^(?:close|closing|adjourn)|\badjourn", re.I)),
]


def guess_kind(title: str) -> ItemKind:
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return ItemKind.OTHER


# --- the document tree -----------------------------------------------------------------------


@dataclass
class _Node:
    kind: str  # root / heading / item / row
    level: int
    line: int
    text: str | None = None
    notes: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # rows only: values read from the table's other columns
    row_duration: str = ""
    row_presenter: str = ""
    row_notes: str = ""
    row_confidential: bool = False
    duration_column: str = ""
    parsed: _Parsed | None = None


def _inline_text(token: Any) -> tuple[str, list[str]]:
    """Plain text of an inline token: formatting dropped, links to their text, images to alt."""
    parts: list[str] = []
    links: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content or "")
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if href:
                links.append(href)
    return "".join(parts).strip(), links


def _check_fences(tokens: list[Any], lines: list[str], source: str) -> None:
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


def _blank_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for n in range(1, min(len(lines), 60)):
            if lines[n].strip() in ("---", "..."):
                return [""] * (n + 1) + lines[n + 1 :]
    return lines


_TOPIC_HEADERS = ("topic", "item", "agenda item", "title", "subject", "what", "session", "agenda")
_PRESENTER_HEADERS = (
    "presenter",
    "lead",
    "led by",
    "who",
    "owner",
    "speaker",
    "by",
    "facilitator",
    "presented by",
    "responsible",
)
_NOTES_HEADERS = ("notes", "note", "details", "comments", "comment", "purpose", "description")


def _header_kind(text: str) -> str:
    key = re.sub(r"[^a-z ]", "", text.lower()).strip()
    if key in _TOPIC_HEADERS:
        return "topic"
    if key in _PRESENTER_HEADERS:
        return "presenter"
    if key in _NOTES_HEADERS:
        return "notes"
    if "confidential" in key:
        return "confidential"
    if any(w in key for w in ("timebox", "duration", "min", "time", "length", "allot", "mins")):
        return "duration"
    return ""


def _table_rows(tokens: list[Any], start: int, source: str) -> tuple[list[_Node], int]:
    """Rows of the table starting at ``tokens[start]`` (table_open). Returns rows, next index."""
    header: list[str] = []
    header_line = (tokens[start].map[0] + 1) if tokens[start].map else 0
    rows: list[tuple[int, list[tuple[str, list[str]]]]] = []
    n = start + 1
    current: list[tuple[str, list[str]]] | None = None
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
                header = [c[0] for c in current]
            else:
                rows.append((row_line, current))
            current = None
        elif tok.type == "inline" and current is not None:
            current.append(_inline_text(tok))
        n += 1
    kinds = [_header_kind(h) for h in header]
    if "topic" not in kinds:
        unknown = [i for i, k in enumerate(kinds) if k == ""]
        if len(unknown) == 1:
            kinds[unknown[0]] = "topic"
        elif len(header) == 2 and "duration" in kinds:
            kinds[kinds.index("duration") ^ 1] = "topic"
        else:
            raise AgendaImportError(
                source,
                header_line,
                "this table has no topic column: name one column Topic, Item or Title "
                f"(its columns are: {', '.join(header) or 'none'}).",
            )
    topic_col = kinds.index("topic")
    out: list[_Node] = []
    for line, cells in rows:

        def cell(kind: str, cells: list[tuple[str, list[str]]] = cells) -> str:
            for i, k in enumerate(kinds):
                if k == kind and i < len(cells) and cells[i][0].strip():
                    return cells[i][0].strip()
            return ""

        topic, links = cells[topic_col] if topic_col < len(cells) else ("", [])
        if not topic.strip() and not any(c[0].strip() for c in cells):
            continue
        dur_col = kinds.index("duration") if "duration" in kinds else None
        node = _Node(
            kind="row",
            level=0,
            line=line,
            text=topic,
            links=links,
            row_duration=cell("duration"),
            row_presenter=cell("presenter"),
            row_notes=cell("notes"),
            row_confidential=cell("confidential").lower()
            in ("yes", "y", "x", "true", "confidential"),
            duration_column=header[dur_col] if dur_col is not None else "",
        )
        out.append(node)
    return out, n + 1


def _build_tree(tokens: list[Any], source: str) -> _Node:
    root = _Node(kind="root", level=0, line=0, text="")
    headings: list[_Node] = [root]
    items: list[tuple[_Node, int]] = []  # open list items and their token level
    pending_heading: int | None = None
    quote_depth = 0
    n = 0
    while n < len(tokens):
        tok = tokens[n]
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "heading_open" and not items:
            pending_heading = int(tok.tag[1])
        elif tok.type == "inline" and pending_heading is not None:
            text, links = _inline_text(tok)
            level = pending_heading
            pending_heading = None
            while headings[-1].kind == "heading" and headings[-1].level >= level:
                headings.pop()
            node = _Node(kind="heading", level=level, line=line, text=text, links=links)
            headings[-1].children.append(node)
            headings.append(node)
        elif tok.type == "list_item_open":
            parent = items[-1][0] if items else headings[-1]
            node = _Node(kind="item", level=len(items) + 1, line=line)
            parent.children.append(node)
            items.append((node, tok.level))
        elif tok.type == "list_item_close":
            if items:
                node = items.pop()[0]
                if node.text is None:
                    node.text = ""
        elif tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        elif tok.type == "inline":
            text, links = _inline_text(tok)
            target = items[-1][0] if items else headings[-1]
            if target.kind == "item" and target.text is None and not quote_depth:
                target.text, target.links = text, links
                target.line = line or target.line
            elif text:
                target.notes.append(text)
                target.links += links
        elif tok.type in ("fence", "code_block"):
            target = items[-1][0] if items else headings[-1]
            code = tok.content.rstrip("\n")
            if code.strip():
                target.notes.append(code)
        elif tok.type == "table_open":
            rows, n = _table_rows(tokens, n, source)
            target = items[-1][0] if items else headings[-1]
            target.children.extend(rows)
            continue
        n += 1
    return root


# --- from tree to items --------------------------------------------------------------------


@dataclass
class ImportedItem:
    title: str
    minutes: int | None
    line: int
    presenter: str = ""
    notes: str = ""
    confidential: bool = False
    kind: ItemKind = ItemKind.OTHER
    duration_text: str = ""
    clock_start: int | None = None


@dataclass
class ParsedAgenda:
    source: str
    title: str
    items: list[ImportedItem]

    @property
    def missing_durations(self) -> list[ImportedItem]:
        return [i for i in self.items if i.minutes is None]


def _analyze(node: _Node, source: str) -> _Parsed:
    if node.parsed is not None:
        return node.parsed
    parsed = analyze_title(node.text or "", line=node.line, source=source)
    if node.kind == "row":
        if node.row_duration:
            dur = DURATION.fullmatch(_APPROX.sub("", node.row_duration.strip()))
            clock = CLOCK.match(node.row_duration.strip())
            bare = re.fullmatch(r"\d{1,3}", node.row_duration.strip())
            if dur:
                parsed.minutes = _duration_of(dur, node.line, source)
                parsed.duration_text = node.row_duration.strip()
                parsed.is_range = dur.group("hi") is not None
            elif bare:
                parsed.minutes = int(bare.group(0))
                if parsed.minutes > MAX_MINUTES:
                    raise AgendaImportError(
                        source,
                        node.line,
                        f"{parsed.minutes} minutes is more than the {MAX_MINUTES}-minute limit.",
                    )
            elif clock and clock.end() == len(node.row_duration.strip()):
                sub = analyze_title(node.row_duration + " x", line=node.line, source=source)
                parsed.clock_start, parsed.clock_end = sub.clock_start, sub.clock_end
                if sub.minutes is not None:
                    parsed.minutes = sub.minutes
            else:
                column = node.duration_column or "duration"
                raise AgendaImportError(
                    source,
                    node.line,
                    f"cannot read {node.row_duration!r} in the {column} column as a duration "
                    "(write 10m, 10 min, 1h30 or 10-15m). A '|' inside a topic must be "
                    "written as '\\|'.",
                )
        if node.row_presenter:
            parsed.presenter = node.row_presenter
        if node.row_confidential:
            parsed.confidential = True
    node.parsed = parsed
    return parsed


def _timed(node: _Node, source: str) -> bool:
    if node.kind == "root":
        return False
    parsed = _analyze(node, source)
    return parsed.minutes is not None or parsed.clock_start is not None


def _any_timed(node: _Node, source: str) -> bool:
    return any(_timed(c, source) or _any_timed(c, source) for c in node.children)


def _describe(node: _Node, depth: int) -> list[str]:
    """A node and its descendants as note lines."""
    lines: list[str] = []
    for child in node.children:
        text = child.text or ""
        if child.kind == "row":
            extra = [x for x in (child.row_duration, child.row_presenter, child.row_notes) if x]
            text = " — ".join([text, *extra])
        if text:
            lines.append("  " * depth + "- " + text)
        lines += ["  " * (depth + 1) + note for note in child.notes]
        lines += _describe(child, depth + 1)
    return lines


def _count_kind(node: _Node, kinds: tuple[str, ...]) -> int:
    return sum((c.kind in kinds) + _count_kind(c, kinds) for c in node.children)


def _item_from(node: _Node, prefix: str, source: str) -> ImportedItem:
    parsed = _analyze(node, source)
    title = parsed.title
    if not title:
        raise AgendaImportError(
            source, node.line, "this agenda item has no title (only a time or a duration)."
        )
    if prefix:
        title = f"{prefix}: {title}"
    if len(title) > MAX_TITLE:
        raise AgendaImportError(
            source,
            node.line,
            f"the item title is {len(title)} characters long: keep it under {MAX_TITLE} "
            "(put details on an indented line below it).",
        )
    notes: list[str] = []
    if parsed.is_range:
        notes.append(f"Planned as {parsed.duration_text}.")
    if node.kind == "row" and node.row_notes:
        notes.append(node.row_notes)
    notes += node.notes
    notes += _describe(node, 0)
    links = [link for link in node.links if link]
    if links:
        notes.append("Links: " + " ".join(dict.fromkeys(links)))
    kind = guess_kind(parsed.title)
    return ImportedItem(
        title=title,
        minutes=parsed.minutes,
        line=node.line,
        presenter=parsed.presenter,
        notes="\n".join(notes),
        confidential=parsed.confidential or kind is ItemKind.CASE_REVIEW,
        kind=kind,
        duration_text=parsed.duration_text,
        clock_start=parsed.clock_start,
    )


def parse_agenda(text: str, source: str = "agenda") -> ParsedAgenda:
    """Read agenda items from Markdown text. Raises AgendaImportError (with a line number)."""
    from markdown_it import MarkdownIt

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = _blank_front_matter(text.split("\n"))
    text = "\n".join(lines)
    tokens = MarkdownIt("js-default").parse(text)
    _check_fences(tokens, lines, source)
    root = _build_tree(tokens, source)

    # A lone level-1 heading at the top is the document's title, not an item.
    title = ""
    top = root
    h1s = [c for c in root.children if c.kind == "heading" and c.level == 1]
    if len(h1s) == 1 and root.children and root.children[0] is h1s[0]:
        top = h1s[0]
        title = analyze_title(top.text or "").title
        siblings = root.children[1:]
        top.children.extend(siblings)
    list_like = _count_kind(root, ("item", "row"))
    headings_timed = _headings_timed(top, source)
    headings_are_items = headings_timed or list_like == 0

    items: list[ImportedItem] = []

    def collect(node: _Node, prefix: str) -> None:
        if _timed(node, source):
            items.append(_item_from(node, prefix, source))
        elif _any_timed(node, source):
            child_prefix = prefix
            if node.kind == "item" and _analyze(node, source).title:
                own = _analyze(node, source).title
                child_prefix = f"{prefix}: {own}" if prefix else own
            for child in node.children:
                collect(child, child_prefix)
        elif node.kind == "heading" and not headings_are_items:
            for child in node.children:
                collect(child, prefix)
        elif node.kind in ("item", "row", "heading") and (node.text or "").strip():
            items.append(_item_from(node, prefix, source))
        elif node.kind == "item" and node.children:
            for child in node.children:
                collect(child, prefix)

    for child in top.children:
        collect(child, "")
    if not items:
        raise AgendaImportError(
            source,
            None,
            "no agenda items found: write them as a list ('- Welcome (5m)'), as headings, or "
            "as a table with a Topic and a Duration column.",
        )
    _fill_clock_durations(items)
    return ParsedAgenda(source=source, title=title, items=items)


def _headings_timed(node: _Node, source: str) -> bool:
    for child in node.children:
        if child.kind == "heading" and (_timed(child, source) or _headings_timed(child, source)):
            return True
    return False


def _fill_clock_durations(items: list[ImportedItem]) -> None:
    """Items with only a start time last until the next item's start time."""
    for n, item in enumerate(items):
        if item.minutes is not None or item.clock_start is None:
            continue
        following = next((i.clock_start for i in items[n + 1 :] if i.clock_start is not None), None)
        if following is not None and following > item.clock_start:
            item.minutes = min(MAX_MINUTES, following - item.clock_start)


def parse_agenda_bytes(data: bytes, source: str = "agenda") -> ParsedAgenda:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AgendaImportError(
            source, line, "this is not UTF-8 text: save the file as UTF-8 and try again."
        ) from exc
    if "\x00" in text:
        raise AgendaImportError(
            source, text[: text.index("\x00")].count("\n") + 1, "this looks like a binary file."
        )
    return parse_agenda(text, source)


# --- writing it into a meeting ------------------------------------------------------------------


@dataclass
class ImportResult:
    meeting: Meeting
    items: list[AgendaItem]
    replaced: list[str]
    missing: list[ImportedItem]
    confidential: list[str]
    parsed: ParsedAgenda

    def summary_lines(self) -> list[str]:
        m = self.meeting
        local = m.local(m.start)
        total = planned_total(self.items)
        slot = m.slot_minutes
        lines = [
            f"Imported {len(self.items)} item{'s' if len(self.items) != 1 else ''} from "
            f"{self.parsed.source} into {m.title} ({m.id}, "
            f"{local.format('dddd D MMMM YYYY HH:mm')} {m.timezone}).",
        ]
        if self.replaced:
            lines.append(
                f"Replaced the previous agenda ({len(self.replaced)} item"
                f"{'s' if len(self.replaced) != 1 else ''}: {'; '.join(self.replaced)})."
            )
        if total <= slot:
            fit = "fits" if total == slot else f"{slot - total} min to spare"
        else:
            fit = f"{total - slot} min over the slot"
        assumed = len(self.missing) * DEFAULT_MINUTES
        lines.append(
            f"Planned time: {total} of {slot} min ({fit})"
            + (f", including {assumed} min assumed" if assumed else "")
            + "."
        )
        if self.missing:
            lines.append(
                f"No duration for {len(self.missing)} item"
                f"{'s' if len(self.missing) != 1 else ''} ({DEFAULT_MINUTES} min assumed each): "
                + "; ".join(f"{i.title} (line {i.line})" for i in self.missing)
                + "."
            )
        else:
            lines.append("Every item has a duration.")
        if self.confidential:
            lines.append("Confidential: " + "; ".join(self.confidential) + ".")
        return lines


def import_agenda(
    ws: Workspace,
    parsed: ParsedAgenda,
    meeting_id: str | None = None,
    *,
    now: DateTime | None = None,
) -> ImportResult:
    """Replace the agenda of a meeting that has not started with the parsed items.

    Without ``meeting_id`` the next planned meeting is used. Everything happens in one
    transaction: on any error nothing is written.
    """
    now = now or system_clock()
    with ws.transaction() as tx:
        if meeting_id is None:
            planned = [m for m in tx.meetings() if m.status is MeetingStatus.PLANNED]
            if not planned:
                raise FacilitateError(
                    "No planned meeting to import into: create one with 'facilitate meetings "
                    "new', or name one with --meeting."
                )
            future = [m for m in planned if m.end >= now]
            meeting = (future or planned)[0]
        else:
            meeting = tx.get(Meeting, meeting_id)
        bundle = tx.bundle(meeting.id)
        if meeting.status is not MeetingStatus.PLANNED or any(i.started for i in bundle.items):
            raise FacilitateError(
                f"{meeting.title} ({meeting.id}) has already started: its agenda is not replaced."
            )
        if bundle.decisions or bundle.actions:
            raise FacilitateError(
                f"{meeting.title} already has decisions or actions recorded against its agenda: "
                "its agenda is not replaced."
            )
        snippets = {s.title.lower(): s for s in tx.all(TrainingSnippet)}
        replaced = [i.title for i in bundle.items]
        for old in bundle.items:
            tx.delete(old)
        created: list[AgendaItem] = []
        for n, imported in enumerate(parsed.items):
            training_id = None
            if imported.kind is ItemKind.TRAINING:
                name = re.sub(r"^training\s*[:\-–—]\s*", "", imported.title, flags=re.I).lower()
                snippet = snippets.get(name)
                training_id = snippet.id if snippet else None
            item = AgendaItem(
                meeting_id=meeting.id,
                position=n,
                title=imported.title,
                kind=imported.kind,
                planned_minutes=imported.minutes
                if imported.minutes is not None
                else DEFAULT_MINUTES,
                presenter=imported.presenter,
                confidential=imported.confidential,
                notes=imported.notes,
                training_id=training_id,
            )
            try:
                tx.add(item)
            except FacilitateError as exc:
                raise AgendaImportError(parsed.source, imported.line, str(exc)) from exc
            created.append(item)
        return ImportResult(
            meeting=meeting,
            items=created,
            replaced=replaced,
            missing=parsed.missing_durations,
            confidential=[i.title for i in created if i.confidential],
            parsed=parsed,
        )
