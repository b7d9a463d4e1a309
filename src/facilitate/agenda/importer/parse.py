"""From the document tree to agenda items, the way a chair reads an agenda.

- Sections that are not agenda items (legends, rules, schedule constraints, meeting details,
  attendees, purpose, background links) are skipped and listed; so are ``Label: value`` metadata
  bullets and link-only bullets. With an "Agenda" heading, sections beside it holding no timed
  item are not part of the agenda.
- A timed item keeps its children as notes; an untimed parent is a section and its children
  become the items. A heading with timed items under it is a section even when it carries a
  timebox ("Short (≤30m) discussions"): the timebox qualifies the heading.
- Sections carry context: items under a case-review, closed-session or confidential heading are
  confidential case reviews; a legend marker meaning confidential/closed marks its rows; an item
  that mentions survivors, clients, personnel and the like is confidential "in doubt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...domain.common import clean_text
from ...domain.meeting import ItemKind
from .common import (
    MAX_ITEMS,
    MAX_MINUTES,
    MAX_NOTES,
    MAX_PRESENTER,
    MAX_TITLE,
    SHORT_TITLE,
    AgendaImportError,
)
from .document import Node, Skipped, build, count_items, describe, holds_items, strip_comments
from .kinds import (
    SKIP_REASONS,
    agenda_heading,
    closed_title,
    confidential_section,
    doubt_reason,
    guess_kind,
    metadata_label,
    skip_reason,
)
from .lines import _APPROX, CLOCK, DURATION, Parsed, _duration_of, analyze_title
from .tables import CONFIDENTIAL_MEANING


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
    why_confidential: str = ""  # "under 'Case review'", "marked 🔒", "in doubt: ..."


@dataclass
class ParsedAgenda:
    source: str
    title: str
    items: list[ImportedItem]
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def missing_durations(self) -> list[ImportedItem]:
        return [i for i in self.items if i.minutes is None]


@dataclass(frozen=True)
class _Context:
    section: str = ""
    confidential: str = ""  # why the section is confidential ('' if it is not)
    prefix: str = ""


_URL = re.compile(r"^(?:[\w .'&/-]{1,40}:\s*)?<?https?://\S+>?$", re.IGNORECASE)
_NO_DURATION = re.compile(
    r"[-–—?]|as needed|if needed|tbd|tbc|n/?a|varies|flexible|open|if time(?: allows)?|"
    r"to be (?:confirmed|decided)",
    re.IGNORECASE,
)
_LEGEND_LINE = re.compile(r"^(\S{1,4})\s*(?:=|:|–|—|-|means)?\s+(.+)$")


class _Reader:
    def __init__(self, source: str, legend: dict[str, str], skipped: list[Skipped]) -> None:
        self.source = source
        self.legend = dict(legend)
        self.skipped = skipped
        self.items: list[ImportedItem] = []
        self.warnings: list[str] = []
        self.headings_are_items = False

    # --- markers -----------------------------------------------------------------------------

    def markers(self) -> dict[str, str]:
        return {m: v for m, v in self.legend.items() if CONFIDENTIAL_MEANING.search(v)}

    def _marked(self, node: Node) -> str:
        title = node.text or ""
        for marker, meaning in self.markers().items():
            if marker.isalnum():
                hit = marker in node.row_cells or bool(
                    re.search(r"[\[(]" + re.escape(marker) + r"[\])]", title)
                )
            else:
                hit = marker in title or any(marker in c for c in node.row_cells)
            if hit:
                return f"marked {marker} ({meaning})"
        return ""

    def _legend_list(self, node: Node) -> None:
        for child in node.children:
            match = _LEGEND_LINE.match((child.text or "").strip())
            if match:
                self.legend.setdefault(match.group(1), match.group(2))
            self._legend_list(child)

    # --- analysis ----------------------------------------------------------------------------

    def analyze(self, node: Node) -> Parsed:
        if node.parsed is not None:
            return node.parsed
        parsed = analyze_title(
            node.text or "",
            line=node.line,
            source=self.source,
            link_texts=frozenset(node.link_texts),
        )
        if node.kind == "row":
            self._row_values(node, parsed)
        node.parsed = parsed
        return parsed

    def _row_values(self, node: Node, parsed: Parsed) -> None:
        raw = node.row_duration.strip()
        if raw:
            dur = DURATION.fullmatch(_APPROX.sub("", raw))
            clock = CLOCK.match(raw)
            bare = re.fullmatch(r"\d{1,3}", raw)
            if dur:
                parsed.minutes = _duration_of(dur, node.line, self.source)
                parsed.duration_text = raw
                parsed.is_range = dur.group("hi") is not None
            elif bare:
                parsed.minutes = int(bare.group(0))
                if parsed.minutes > MAX_MINUTES:
                    raise AgendaImportError(
                        self.source,
                        node.line,
                        f"{parsed.minutes} minutes is more than the {MAX_MINUTES}-minute limit.",
                    )
            elif _NO_DURATION.fullmatch(raw):
                pass  # "As needed", "TBD", "-": no duration; the summary says 5 min is assumed
            elif clock and clock.end() == len(raw):
                sub = analyze_title(raw + " x", line=node.line, source=self.source)
                parsed.clock_start, parsed.clock_end = sub.clock_start, sub.clock_end
                if sub.minutes is not None:
                    parsed.minutes = sub.minutes
            else:
                column = node.duration_column or "duration"
                raise AgendaImportError(
                    self.source,
                    node.line,
                    f"cannot read {raw!r} in the {column} column as a duration "
                    "(write 10m, 10 min, 1h30 or 10-15m). A '|' inside a topic must be "
                    "written as '\\|'.",
                )
        if node.row_presenter:
            parsed.presenter = node.row_presenter
        if node.row_confidential:
            parsed.confidential = True

    def timed(self, node: Node) -> bool:
        if node.kind in ("root", "label", "skipped"):
            return False
        parsed = self.analyze(node)
        return parsed.minutes is not None or parsed.clock_start is not None

    def timed_below(self, node: Node) -> bool:
        """Any timed item under this node (cached: each node is looked at once)."""
        if node.timed_below is None:
            found = False
            for child in node.children:
                # Evaluate every child so each caches its own answer (linear overall).
                if self.timed_below(child) or self.timed(child):
                    found = True
            node.timed_below = found
        return node.timed_below

    # --- walking -----------------------------------------------------------------------------

    def skip(self, node: Node, reason: str) -> None:
        what = f"'{_short(node.text or '')}'"
        kind = {"heading": "section", "label": "section", "row": "row"}.get(node.kind, "line")
        self.skipped.append(Skipped(node.line, f"{kind} {what}", reason))

    def section(self, node: Node, ctx: _Context, agenda_level: int | None) -> None:
        text = node.text or ""
        reason = skip_reason(text)
        if reason:
            if reason == "legend":
                self._legend_list(node)
            self.skip(node, SKIP_REASONS[reason])
            return
        secret = confidential_section(text) or any(
            marker in text for marker in self.markers() if not marker.isalnum()
        )
        if (
            agenda_level is not None
            and node.kind == "heading"
            and node.level <= agenda_level
            and not agenda_heading(text)
            and not secret
            and not self.timed_below(node)
            and holds_items(node)
        ):
            self.skip(node, "not under the agenda heading")
            return
        title = analyze_title(text, source=self.source).title if text else ""
        inner = _Context(
            section=title or ctx.section,
            confidential=f"under '{_short(title)}'" if secret else ctx.confidential,
            prefix=ctx.prefix,
        )
        if node.kind == "heading" and not self.timed_below(node):
            leaf_item = self.headings_are_items and (self.timed(node) or not holds_items(node))
            if leaf_item and text.strip():
                self.add(node, ctx if not secret else inner)
                return
        for child in node.children:
            self.collect(child, inner, None)

    def collect(self, node: Node, ctx: _Context, agenda_level: int | None) -> None:
        if node.kind in ("heading", "label"):
            self.section(node, ctx, agenda_level)
            return
        if node.kind == "skipped":
            self.skipped.append(Skipped(node.line, "table", node.row_notes))
            return
        text = (node.text or "").strip()
        if node.kind != "row" and metadata_label(text):
            self.skip(node, "meeting details, not an agenda item")
            return
        if (text and _URL.match(text)) or (
            text and text in node.link_texts and not self.timed(node)
        ):
            self.skip(node, "a link, not an agenda item")
            return
        if self.timed(node):
            self.add(node, ctx)
        elif self.timed_below(node):
            inner = ctx
            own = self.analyze(node).title if node.kind == "item" else ""
            if own:
                inner = _Context(
                    ctx.section, ctx.confidential, f"{ctx.prefix}: {own}" if ctx.prefix else own
                )
            for child in node.children:
                self.collect(child, inner, None)
        elif text:
            self.add(node, ctx)
        elif node.children:
            for child in node.children:
                self.collect(child, ctx, None)

    # --- one item ----------------------------------------------------------------------------

    def add(self, node: Node, ctx: _Context) -> None:
        if len(self.items) >= MAX_ITEMS:
            raise AgendaImportError(
                self.source,
                node.line,
                f"more than {MAX_ITEMS:,} agenda items (the limit): split the agenda into "
                "several files.",
            )
        parsed = self.analyze(node)
        title = parsed.title
        if not title:
            raise AgendaImportError(
                self.source, node.line, "this agenda item has no title (only a time or a duration)."
            )
        notes: list[str] = []
        if ctx.prefix and node.kind != "row":  # a table's rows are items in their own right
            title = f"{ctx.prefix}: {title}"
        if len(title) > MAX_TITLE:
            cut = title[:SHORT_TITLE].rsplit(" ", 1)[0] or title[:SHORT_TITLE]
            notes.append(title)
            self.warnings.append(
                f"line {node.line}: the title is {len(title)} characters long (the limit is "
                f"{MAX_TITLE}): shortened to its first words, the whole text is in the notes."
            )
            title = cut.rstrip(" ,;:-–—") + "…"
        presenter = re.sub(r"\s+", " ", clean_text(parsed.presenter)).strip()
        if len(presenter) > MAX_PRESENTER:
            notes.append(f"Presenter: {presenter}")
            self.warnings.append(
                f"line {node.line}: the presenter is {len(presenter)} characters long (the "
                f"limit is {MAX_PRESENTER}): moved to the notes."
            )
            presenter = ""
        if parsed.is_range:
            notes.append(f"Planned as {parsed.duration_text} (the upper bound).")
        if parsed.qualifier:
            notes.append(f"Planned as {parsed.qualifier}.")
        if node.kind == "row":
            notes += node.row_extra
            if node.row_notes:
                notes.append(node.row_notes)
        notes += node.notes
        notes += describe(node, 0)
        links = [link for link in [*node.links, *parsed.urls] if link]
        if links:
            notes.append("Links: " + " ".join(dict.fromkeys(links)))
        text_notes = "\n".join(notes)
        if len(text_notes) > MAX_NOTES:
            self.warnings.append(
                f"line {node.line}: the text under this item is {len(text_notes):,} characters "
                f"long (the limit is {MAX_NOTES:,}): only the first {MAX_NOTES:,} were kept."
            )
            text_notes = text_notes[: MAX_NOTES - 1] + "…"
        kind = guess_kind(parsed.title, ctx.section, confidential_section=bool(ctx.confidential))
        why = ctx.confidential
        if not why and parsed.confidential:
            why = "marked confidential"
        if not why and closed_title(parsed.title):
            why = "a closed session"
        if not why:
            why = self._marked(node)
        if not why and kind is ItemKind.CASE_REVIEW:
            why = "a case review"
        if not why:
            text = " ".join([parsed.title, presenter, *node.row_cells])
            for marker in self.legend:  # a marker the legend gives another meaning
                if not marker.isalnum() and marker not in self.markers():
                    text = text.replace(marker, " ")
            doubt = doubt_reason(text)
            why = f"in doubt: {doubt}" if doubt else ""
        self.items.append(
            ImportedItem(
                title=title,
                minutes=parsed.minutes,
                line=node.line,
                presenter=presenter,
                notes=text_notes,
                confidential=bool(why),
                kind=kind,
                duration_text=parsed.duration_text,
                clock_start=parsed.clock_start,
                why_confidential=why,
            )
        )


def _short(text: str, width: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def _leaf_heading_timed(reader: _Reader, node: Node) -> bool:
    for child in node.children:
        if child.kind != "heading" or skip_reason(child.text or ""):
            continue
        if not reader.timed_below(child) and reader.timed(child):
            return True
        if _leaf_heading_timed(reader, child):
            return True
    return False


def _agenda_level(node: Node) -> int | None:
    """The level of the first "Agenda" heading, if the document has one."""
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        if current.kind == "heading":
            if agenda_heading(current.text or ""):
                return current.level
            stack.extend(reversed(current.children))
    return None


def parse_agenda(text: str, source: str = "agenda") -> ParsedAgenda:
    """Read agenda items from Markdown text. Raises AgendaImportError (with a line number)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = strip_comments(text, source)
    title, reader = _read(text, source, loose=False)
    if not reader.items:
        # Nothing reads as an agenda: try short plain lines without times as the items.
        loose_title, loose_reader = _read(text, source, loose=True)
        if len(loose_reader.items) >= 2:
            title, reader = loose_title, loose_reader
            reader.warnings.append(
                "no item has a time, a list marker or a table row: each short line was read "
                "as an item."
            )
    if not reader.items:
        skipped = "; ".join(f"{s.what} at line {s.line}, {s.reason}" for s in reader.skipped[:5])
        raise AgendaImportError(
            source,
            None,
            "no agenda found: write the items as a list ('- Welcome (5m)'), as headings, or "
            "as a table with a Topic and a Timebox column"
            + (f" (skipped as not agenda items: {skipped})" if skipped else "")
            + ".",
        )
    _fill_clock_durations(reader.items)
    reader.skipped.sort(key=lambda s: s.line)
    return ParsedAgenda(
        source=source,
        title=title,
        items=reader.items,
        skipped=reader.skipped,
        warnings=reader.warnings,
    )


def _read(text: str, source: str, *, loose: bool) -> tuple[str, _Reader]:
    """The document's title and a reader that has walked it."""
    doc = build(text, source, loose=loose)
    root = doc.root
    # A lone level-1 heading at the top is the document's title, not an item.
    title = ""
    top = root
    h1s = [c for c in root.children if c.kind == "heading" and c.level == 1]
    if len(h1s) == 1 and root.children and root.children[0] is h1s[0]:
        top = h1s[0]
        title = re.sub(r"\s+", " ", top.text or "").strip()
        top.children.extend(root.children[1:])
    reader = _Reader(source, doc.legend, doc.skipped)
    reader.headings_are_items = count_items(top) == 0 or _leaf_heading_timed(reader, top)
    agenda_level = _agenda_level(top)
    seen_agenda = agenda_level is None
    for child in top.children:
        if not seen_agenda:
            if child.kind == "heading" and agenda_heading(child.text or ""):
                seen_agenda = True
            elif (
                child.kind in ("item", "row", "line")
                and not metadata_label((child.text or "").strip())
                and not reader.timed(child)
                and not reader.timed_below(child)
            ):
                reader.skip(child, "before the agenda heading, not an agenda item")
                continue
        reader.collect(child, _Context(), agenda_level)
    return title, reader


def _fill_clock_durations(items: list[ImportedItem]) -> None:
    """Items with only a start time last until the next item's start time (one pass back)."""
    following: int | None = None
    for item in reversed(items):
        start = item.clock_start
        if (
            item.minutes is None
            and start is not None
            and following is not None
            and (following > start)
        ):
            item.minutes = min(MAX_MINUTES, following - start)
        if item.clock_start is not None:
            following = item.clock_start


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
