"""Search across meetings: agenda titles, notes, decisions and actions.

``build_index`` turns a loaded workspace into a flat list of documents once; ``SearchIndex.search``
then matches in memory (case- and accent-insensitive, every word must appear, "quoted phrases"
kept together). Confidential text (notes of confidential agenda items, and decisions and actions
raised under them) is only matched when the caller asks for it: a locked search never reveals
that a confidential note contains the word, not even by a count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from pendulum import Date

from ..domain.common import clean_text
from ..storage.workspace import MeetingBundle, Workspace
from .loading import WorkspaceView, load_view, under_confidential

SNIPPET_WIDTH = 80


class HitKind(StrEnum):
    DECISION = "decision"
    ACTION = "action"
    NOTES = "notes"
    AGENDA = "agenda"

    @property
    def label(self) -> str:
        return {"decision": "Decision", "action": "Action", "notes": "Notes", "agenda": "Agenda"}[
            self.value
        ]


KIND_ORDER = list(HitKind)


def fold(text: str) -> str:
    """Lower-case without accents, whitespace collapsed: what matching compares."""
    if text.isascii():  # the common case, and much faster
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class SearchDoc:
    meeting_id: str
    meeting_title: str
    day: Date
    kind: HitKind
    record_id: str  # the agenda item, decision or action
    text: str
    confidential: bool
    flat: str  # the text on one line, control characters removed
    folded: str  # what matching compares (see ``fold``)


@dataclass
class SearchHit:
    doc: SearchDoc
    term: str  # the first search term, for the snippet
    _snippet: str | None = field(default=None, repr=False)

    @property
    def snippet(self) -> str:
        """One line around the first match (computed when first shown)."""
        if self._snippet is None:
            self._snippet = snippet(self.doc.flat, self.term, folded=self.doc.folded)
        return self._snippet


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def parse_query(query: str) -> list[str]:
    """Folded search terms: words, or "quoted phrases" kept together."""
    terms = []
    for phrase, word in _TERM.findall(clean_text(query)):
        term = fold(phrase or word)
        if term:
            terms.append(term)
    return terms


def word_match(term: str, folded: str) -> bool:
    """``term`` at the start of a word of ``folded`` (a whole word or a word prefix): "motel"
    finds "motels" but not "remotely"."""
    pos = folded.find(term)
    while pos >= 0:
        if pos == 0 or not folded[pos - 1].isalnum():
            return True
        pos = folded.find(term, pos + 1)
    return False


def flatten(text: str) -> str:
    return " ".join(clean_text(text).split())


def snippet(flat: str, term: str, width: int = SNIPPET_WIDTH, *, folded: str | None = None) -> str:
    """About ``width`` characters of ``flat`` (one-line text) around the first ``term``."""
    if len(flat) <= width:
        return flat
    folded = fold(flat) if folded is None else folded
    # When folding changed the length (accents, ligatures), positions differ: use the plain text.
    aligned = len(folded) == len(flat)
    pos = folded.find(term) if aligned else flat.casefold().find(term)
    if pos < 0:
        return flat[: width - 1] + "…"
    start = max(0, pos - width // 3)
    end = min(len(flat), start + width)
    start = max(0, end - width)
    out = flat[start:end]
    if start > 0:
        out = "…" + out[1:]
    if end < len(flat):
        out = out[:-1] + "…"
    return out


@dataclass
class SearchIndex:
    docs: list[SearchDoc]

    @property
    def confidential_count(self) -> int:
        return sum(1 for d in self.docs if d.confidential)

    def search(
        self, query: str, *, include_confidential: bool = False, limit: int | None = None
    ) -> list[SearchHit]:
        """Documents containing every term, newest meeting first. Empty query: no hits."""
        terms = parse_query(query)
        if not terms:
            return []
        hits: list[SearchHit] = []
        for doc in self.docs:
            if doc.confidential and not include_confidential:
                continue
            if all(word_match(t, doc.folded) for t in terms):
                hits.append(SearchHit(doc, terms[0]))
        hits.sort(
            key=lambda h: (
                -h.doc.day.toordinal(),
                h.doc.meeting_id,
                KIND_ORDER.index(h.doc.kind),
                h.doc.record_id,
            )
        )
        return hits[:limit] if limit is not None else hits


def _texts(bundle: MeetingBundle) -> Iterator[tuple[HitKind, str, str, bool]]:
    """(kind, record id, text, confidential) of everything searchable in one meeting."""
    items = {i.id: i for i in bundle.items}
    for item in bundle.items:
        # Titles of confidential items are in the (redacted) minutes too; their notes are not.
        yield HitKind.AGENDA, item.id, item.title, False
        yield HitKind.NOTES, item.id, item.notes, bool(item.confidential)
    for d in bundle.decisions:
        text = d.text + (f"\nDissent or concerns: {d.dissent}" if d.dissent else "")
        yield HitKind.DECISION, d.id, text, under_confidential(d.agenda_item_id, items)
    for a in bundle.actions:
        text = a.text + (f"\nReport-back: {a.report_back}" if a.report_back else "")
        yield HitKind.ACTION, a.id, text, under_confidential(a.agenda_item_id, items)


def build_index(view: WorkspaceView) -> SearchIndex:
    docs: list[SearchDoc] = []
    for bundle in view.bundles:
        m = bundle.meeting
        day = m.local(m.start).date()
        for kind, rid, text, conf in _texts(bundle):
            flat = flatten(text)
            if flat:
                docs.append(SearchDoc(m.id, m.title, day, kind, rid, text, conf, flat, fold(flat)))
    return SearchIndex(docs)


def has_confidential(view: WorkspaceView) -> bool:
    """Whether ``build_index(view)`` would hold a confidential document (``confidential_count
    > 0``), without building it: only the confidential texts are flattened."""
    return any(
        conf and flatten(text) for bundle in view.bundles for _k, _r, text, conf in _texts(bundle)
    )


def load_search_index(ws: Workspace) -> SearchIndex:
    return build_index(load_view(ws))


def search(ws: Workspace, query: str, include_confidential: bool = False) -> list[SearchHit]:
    """Read the workspace once and search it (for the CLI and benchmarks)."""
    return load_search_index(ws).search(query, include_confidential=include_confidential)
