"""One agenda line read as a chair reads it: title, duration, presenter, confidentiality, clock.

Durations: ``(10m)``, ``10 min``, ``15 minutes``, ``1h``, ``1h30``, ``1.5h`` or a range ``10-15m``
(the upper bound is planned, the range kept in the notes); a leading clock time ``10:00`` or range
``10:00-10:15`` gives a duration when none is written. Presenters: in parentheses ``(Ana Ruiz)`` or
after a spaced dash ``- Ana Ruiz``. ``(confidential)`` marks a confidential item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...domain.common import clean_text
from .common import MAX_MINUTES, AgendaImportError

# --- durations, clock times, presenters ----------------------------------------------------------

_NUM = r"\d+(?:[.,]\d+)?"
_HOURS = r"(?:hours|hour|hrs|hr|h)"
_MINS = r"(?:minutes|minute|mins|min|mn|m|')"
DURATION = re.compile(
    rf"""
    (?<![\w:.,≤≥<>])
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
_DOUBLE_DASH = re.compile(r"(\s(?:-{1,2}|–|—))(?:\s+(?:-{1,2}|–|—))+\s")
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
    "secretary", "partners", "representatives", "reps", "director", "manager", "attorney",
    "clerk", "officer", "treasurer", "president", "mayor", "superintendent", "librarian",
    "pastor", "principal", "counsel", "editor", "editors", "chairperson", "liaison", "board",
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
    if (
        lowered[-1] in _ROLE_WORDS
        and len(words) <= 3
        and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    ):
        return True  # "Planning Director", "City Clerk", "Subcommittee Chairs"
    if any(w in _AGENDA_WORDS for w in lowered):
        return False
    if lowered[-1] in _ROLE_WORDS:
        return True
    return all(
        w in _PARTICLES or not word[:1].isalpha() or not word[:1].islower()
        for w, word in zip(lowered, words, strict=True)
    )


@dataclass
class Parsed:
    title: str
    minutes: int | None = None
    duration_text: str = ""
    is_range: bool = False
    presenter: str = ""
    confidential: bool = False
    clock_start: int | None = None
    clock_end: int | None = None
    qualifier: str = ""  # "15m on the last day": the duration's condition, kept in the notes
    urls: list[str] = field(default_factory=list)  # bare URLs dropped from the title


# Words that only name a linked document: "(slides)", "(spec, slides)" are dropped from titles.
LINK_WORDS = {
    "slides", "slide", "deck", "spec", "specs", "pdf", "doc", "docs", "document", "link",
    "links", "video", "recording", "notes", "repo", "pr", "issue", "proposal", "explainer",
    "draft", "paper", "memo", "report", "attachment", "handout", "presentation", "minutes",
}  # fmt: skip
# Dropped even when the line has no link left: nobody titles an item "(slides)".
BARE_LINK_WORDS = {"slides", "slide", "deck", "pdf", "link", "links", "video", "recording", "spec"}
_BARE_URL = re.compile(r"<?https?://\S+>?")
_EDGE = " \t-–—|·,;"
_SHORTCODE_END = re.compile(r":[\w+-]+:$")


def _tidy(text: str) -> str:
    """Collapse spaces and trim separators, keeping a ``:shortcode:`` at either end whole."""
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        before = text
        text = text.strip(_EDGE)
        if text.startswith(":") and not re.match(r"^:[\w+-]+:", text):
            text = text[1:]
        if text.endswith(":") and not _SHORTCODE_END.search(text):
            text = text[:-1]
        if text == before:
            return text


def analyze_title(
    text: str, *, line: int = 0, source: str = "agenda", link_texts: frozenset[str] = frozenset()
) -> Parsed:
    """Split one agenda line into title, duration, presenter, confidentiality and clock time.

    ``link_texts``: the texts of the line's links; a parenthetical made only of them, or of
    words like "slides", is dropped (the links themselves go to the notes).
    """
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    text = _NUMBERING.sub("", text, count=1)
    result = Parsed(title="")

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
        pieces = [p.strip() for p in re.split(r";|,(?!\d)", inner) if p.strip()]
        words = LINK_WORDS if link_texts else BARE_LINK_WORDS
        if pieces and all(
            p in link_texts or p.lower().strip(".") in words or _BARE_URL.fullmatch(p)
            for p in pieces
        ):
            result.urls += [p.strip("<>") for p in pieces if _BARE_URL.fullmatch(p)]
            return " "
        for part in pieces:
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
            lead = DURATION.match(piece)
            if lead and result.minutes is None and not result.qualifier:
                # "15m on the last day": the duration with its condition, kept as a note.
                result.minutes = _duration_of(lead, line, source)
                result.duration_text = lead.group(0).strip()
                result.is_range = lead.group("hi") is not None
                result.qualifier = piece
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

    # "Title – 10 minutes – Presenter" with the duration gone: one separator, not two.
    text = _DOUBLE_DASH.sub(r"\1 ", text)
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
