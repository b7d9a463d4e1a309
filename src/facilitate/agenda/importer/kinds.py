"""What a heading, a bullet or a title says about the text under it.

- Sections that are not agenda items (legends, rules, schedule constraints, meeting details,
  attendees, background links) are recognised by their whole heading, not by one word in it.
- Sections that make their items confidential case reviews (case review, closed session,
  "confidential").
- Item kinds from the whole title and the section it sits in: "Law Enforcement Liaison: joint
  training calendar" is not a training, "Data & Evaluation" is not feedback.
"""

from __future__ import annotations

import re

from ...domain.meeting import ItemKind

# Numbering ("3.", "IV.", "b)"), emoji and punctuation before the words.
_LEAD = r"^[\W\d_]*(?:(?:[IVXLCivxlc]{1,6}|[A-Za-z])[.)]\s+)?[\W\d_]*"


def _heading(pattern: str) -> re.Pattern[str]:
    """A pattern that must match the whole heading (bar a trailing colon or note)."""
    return re.compile(_LEAD + r"(?:" + pattern + r")\s*(?:[:.(\[-].*)?$", re.IGNORECASE)


SKIP_SECTIONS: list[tuple[str, re.Pattern[str]]] = [
    (
        "legend",
        _heading(
            r"(?:emoji |symbol |icon )?(?:legend|key|keys|symbols|icons)"
            r"(?: (?:to|for) .*)?|how to read (?:this|the) agenda"
        ),
    ),
    (
        "rules",
        _heading(
            r"(?:agenda |topic |agenda topic |meeting |ground |house |discussion )?"
            r"(?:rules|guidelines|norms|etiquette|procedures?)(?: (?:for|of) .*)?|"
            r"code of conduct|conduct|how (?:we|to) (?:work|run|submit).*|"
            r"submitting (?:agenda )?(?:items|topics).*|adding (?:an? )?(?:item|topic).*"
        ),
    ),
    (
        "schedule constraints",
        _heading(
            r"(?:schedule|scheduling|time|timing) (?:constraints|"
            r"conflicts|notes|requests)|constraints|availability|"
            r"scheduling"
        ),
    ),
    (
        "meeting details",
        _heading(
            r"(?:meeting )?(?:details|information|info|logistics|"
            r"arrangements)|logistics.*|venue|location|how to join|joining|"
            r"dial[- ]?in(?: details)?|remote (?:participation|attendance)|"
            r"video ?conference|call details|parking|accessibility"
        ),
    ),
    (
        "attendees",
        _heading(
            r"attendees|attendee (?:information|list)|attendance|participants|"
            r"present|in attendance|members present|regrets|apologies|"
            r"invitees|distribution|roll"
        ),
    ),
    (
        "purpose",
        _heading(
            r"(?:meeting )?(?:purpose|objectives?|goals?|aims?)|desired outcomes?|"
            r"outcomes?(?: sought)?|expected outcomes?"
        ),
    ),
    (
        "background links",
        _heading(
            r"background(?: (?:reading|materials?|documents|links))?|"
            r"(?:pre-?)?reading|resources|references|links|"
            r"(?:related |supporting )?(?:documents|materials)|"
            r"attachments|see also|further reading"
        ),
    ),
]
SKIP_REASONS = {
    "legend": "a legend, not agenda items",
    "rules": "rules for the meeting, not agenda items",
    "schedule constraints": "schedule constraints, not agenda items",
    "meeting details": "meeting details, not agenda items",
    "attendees": "the attendee list, not agenda items",
    "background links": "background links, not agenda items",
    "purpose": "the meeting's purpose, not agenda items",
}

_CONFIDENTIAL_SECTION = _heading(
    r"(?:confidential |closed |restricted )?case (?:review|reviews|conference|conferences|"
    r"consultation|consultations|discussion|discussions|staffing)|"
    r"(?:closed|executive|private|in[- ]camera) (?:session|meeting|part|portion)(?: .*)?|"
    r"(?:closed|confidential|restricted)(?: .*)?|in camera.*|"
    r"(?:open |active |new |current )?cases?(?: updates?| discussions?| staffing| "
    r"coordination| consultations?)?|"
    r".*\((?:closed|confidential|restricted)(?: session)?\)|.*\b(?:closed|executive) session\b.*|"
    r".*\bcase reviews?\b.*|.*\bin camera\b.*"
)

# Meeting metadata written as "Label: value" bullets or paragraphs.
_META_LABEL = re.compile(
    r"^[\W_]*(?:host|hosts|hosted by|chair|chairs|co-?chairs|convenor|convener|facilitator|"
    r"date|dates|day|time|times|dates? and times?|when|where|location|locations|venue|room|"
    r"address|dial[- ]?in|call[- ]?in|phone|conference line|zoom|teams|webex|meet|video|"
    r"meeting (?:link|id|url|number)|join(?: link| online| by phone)?|passcode|password|pin|"
    r"access code|attendees?|attendee information|participants|present|regrets|apologies|"
    r"absent|guests|invited|minute[- ]?taker|note[- ]?taker|notes by|scribe|recorder|"
    r"secretary|contact|rsvp|parking|accessibility|interpretation|livestream|quorum|"
    r"background|reference|references|see|slides|agenda (?:doc|link)|calendar|timezone|"
    r"time ?zone|duration|length|posted|prepared by|distributed|circulated|time planned|"
    r"planned time|total|total time|confidentiality|note|notes|reminder|please note)\s*:",
    re.IGNORECASE,
)


def skip_reason(heading: str) -> str | None:
    """Why a section with this heading holds no agenda items (None: it may hold some)."""
    text = heading.strip()
    if len(text) > 80:
        return None
    for name, pattern in SKIP_SECTIONS:
        if pattern.match(text):
            return name
    return None


_CLOSED_TITLE = re.compile(
    _LEAD + r"(?:closed|executive|in[- ]camera|confidential|private)\s+(?:session|meeting|"
    r"discussion)|.*\((?:board|members|committee|council|elders) only\)|.*\bin camera\b",
    re.IGNORECASE,
)


def closed_title(title: str) -> bool:
    """An item that is itself a closed session ("Executive session (board only)")."""
    return bool(_CLOSED_TITLE.match(title))


def confidential_section(heading: str) -> bool:
    """A case-review, closed-session or confidential section: its items are confidential."""
    return bool(_CONFIDENTIAL_SECTION.match(heading.strip()))


def metadata_label(text: str) -> bool:
    """``Host: Ana``, ``Dial-in: ...``, ``Dates and times: 10:00 to 17:30``: meeting details."""
    return bool(_META_LABEL.match(text))


_AGENDA_HEADING = _heading(
    r"(?:meeting |draft |proposed |final |annotated )?agenda(?: items| topics)?|"
    r"order of (?:business|the day)|programme|program|schedule|"
    r"run of show|day \d+.*|session \d+.*"
)


def agenda_heading(heading: str) -> bool:
    """A heading that announces the agenda itself ("Agenda", "Order of business", "Day 2")."""
    return bool(_AGENDA_HEADING.match(heading.strip()))


# --- kinds -------------------------------------------------------------------------------------

_T = _LEAD  # title patterns are anchored at the first word
_KINDS: list[tuple[ItemKind, re.Pattern[str]]] = [
    (
        ItemKind.CASE_REVIEW,
        re.compile(
            _T + r"(?:confidential )?case (?:review|conference|"
            r"consultation|staffing)s?\b|.*\bcase reviews?\b",
            re.I,
        ),
    ),
    (
        ItemKind.MINUTES_APPROVAL,
        re.compile(
            _T + r"(?:(?:approv|adopt|review)\w*(?: (?:of|the))* (?:\w+ ){0,4}minutes\b|"
            r"minutes\b.*\b(?:approv|adopt)|(?:previous |last )?minutes$|"
            r"minutes of (?:the )?(?:[\w-]+ ){0,3}(?:meeting|session)$)",
            re.I,
        ),
    ),
    (
        ItemKind.OPENING,
        re.compile(
            _T + r"(?:opening|welcome|call to order|calling to order|"
            r"opening prayer|invocation|land acknowledg)",
            re.I,
        ),
    ),
    (ItemKind.INTRODUCTIONS, re.compile(_T + r"(?:round of )?(?:introductions?|intros?)\b", re.I)),
    (
        ItemKind.REPORT_BACKS,
        re.compile(
            _T + r"(?:(?:sub)?committee |working group |task group |team |work ?stream )?"
            r"(?:report[- ]?backs?|reports?|updates?)$|.*\breport[- ]?backs?\b|"
            r"(?:review of )?(?:the )?open actions?(?: items?)?$|actions?(?: items?)? review$|"
            r"review of (?:the )?actions?(?: items?)?$",
            re.I,
        ),
    ),
    (
        ItemKind.TRAINING,
        re.compile(
            _T + r"training\b(?!\s+(?:calendar|budget|schedule|"
            r"plan|needs|request|update|report|committee))",
            re.I,
        ),
    ),
    (
        ItemKind.INFORMATION_SHARING,
        re.compile(
            _T + r"(?:(?:agency|partner|member)s?'? )?(?:information|info)[- ]sharing\b|"
            r"(?:agency|partner|member|round[- ]?table) "
            r"(?:updates|sharing|round)\b|round[- ]?table$|announcements$",
            re.I,
        ),
    ),
    (
        ItemKind.NEW_BUSINESS,
        re.compile(
            _T + r"(?:new business|other business|any other business|"
            r"aob|a\.o\.b\.?)\b",
            re.I,
        ),
    ),
    (
        ItemKind.DECISIONS,
        re.compile(
            _T + r"(?:decisions?|votes?|motions?)(?: (?:needed|required|"
            r"log|summary))?$",
            re.I,
        ),
    ),
    (
        ItemKind.FEEDBACK,
        re.compile(
            _T + r"(?:meeting )?(?:feedback|evaluation|plus[/ ]?delta|"
            r"check[- ]?out|retro(?:spective)?)$|.*\bmeeting "
            r"(?:feedback|evaluation)\b",
            re.I,
        ),
    ),
    (
        ItemKind.CLOSING,
        re.compile(
            _T + r"(?:close|closing|adjourn|adjournment|end of meeting|"
            r"wrap[- ]?up)\b|.*\badjourn",
            re.I,
        ),
    ),
]


def kind_of_title(title: str) -> ItemKind:
    """The kind a whole title names (OTHER when it names none)."""
    for kind, pattern in _KINDS:
        if pattern.match(title):
            return kind
    return ItemKind.OTHER


def guess_kind(title: str, section: str = "", *, confidential_section: bool = False) -> ItemKind:
    """The kind of an item from its whole title, else from the section it sits in."""
    if confidential_section:
        return ItemKind.CASE_REVIEW
    own = kind_of_title(title)
    if own is not ItemKind.OTHER or not section:
        return own
    from_section = kind_of_title(section)
    # A section names the kind of what is in it only for kinds that group items.
    if from_section in (
        ItemKind.REPORT_BACKS,
        ItemKind.INFORMATION_SHARING,
        ItemKind.CASE_REVIEW,
        ItemKind.NEW_BUSINESS,
        ItemKind.TRAINING,
    ):
        return from_section
    return own


# --- when in doubt, confidential -----------------------------------------------------------------

DOUBT = re.compile(
    r"🔒|🔐|\b(?:survivors?|victims?|clients?|minors?|juveniles?|personnel|disciplinary|"
    r"litigation|legal advice|individual cases?|case files?|sensitive|restricted|"
    r"closed[- ]door|private session|members only)\b",
    re.IGNORECASE,
)


def doubt_reason(text: str) -> str:
    """Why an item might be confidential though nothing marks it so ('' if no doubt)."""
    match = DOUBT.search(text)
    return f"mentions {match.group(0)!r}" if match else ""
