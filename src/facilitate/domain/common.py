"""Shared building blocks: errors, ids, text cleaning and validation helpers."""

from __future__ import annotations

import calendar
import math
import re
import uuid
from collections.abc import Callable

import pendulum
from pendulum import Date, DateTime

Clock = Callable[[], DateTime]

MAX_NAME = 200
MAX_TEXT = 100_000


class FacilitateError(Exception):
    """Base class for every error that is the user's to fix (shown without a traceback)."""


class ValidationError(FacilitateError, ValueError):
    """A value broke a domain rule. The message names the field and how to fix it."""


def system_clock() -> DateTime:
    return pendulum.now("UTC")


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``1 decision``, ``2 decisions``, ``0 actions``."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def new_id(prefix: str) -> str:
    """A stable, unique string id such as ``mtg-3f9a1c2b7d4e``."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# C0 and C1 control characters except tab and newline, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Terminal escape sequences, removed whole so no payload remains:
# string sequences (OSC, DCS, SOS, PM, APC; 7-bit or 8-bit introducer, ended by BEL or ST),
# CSI (7-bit or 8-bit), and every other ESC sequence (intermediates plus a final byte).
_ESCAPE_SEQ = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]"
)


# Bidi embedding, override and isolate controls: U+202E makes "exe.txt" read "txt.exe".
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Strip terminal escape sequences, C0/C1 control characters and bidi overrides
    (U+202A-202E, U+2066-2069); keep tab, newline and every other character.

    Carriage returns are normalised to newlines first so pasted Windows text keeps its lines.
    The one filter for text typed in and for text shown (CLI prints, JSON, the app's titles and
    notifications: see ``facilitate.console``).
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ESCAPE_SEQ.sub("", value)
    value = _BIDI.sub("", value)
    return _CONTROL.sub("", value)


def require_text(value: str | None, field: str, *, max_len: int = MAX_NAME) -> str:
    """A required single-line text field: cleaned, stripped, non-empty, not absurdly long."""
    text = clean_text(value or "").strip()
    if not text:
        article = "an" if field[:1].lower() in "aeiou" else "a"
        raise ValidationError(f"{field} is empty: enter {article} {field.lower()}.")
    if len(text) > max_len:
        raise ValidationError(f"{field} is {len(text)} characters long: keep it under {max_len}.")
    return text


def require_title(value: str | None, field: str, *, max_len: int = MAX_NAME) -> str:
    """A title: one line, so tabs and newlines (pasted from a document) become single spaces;
    tab-separated listings and table cells then keep their columns."""
    return require_text(" ".join(clean_text(value or "").split()), field, max_len=max_len)


def optional_text(value: str | None, field: str, *, max_len: int = MAX_TEXT) -> str:
    text = clean_text(value or "").strip() if max_len <= MAX_NAME else clean_text(value or "")
    if len(text) > max_len:
        raise ValidationError(f"{field} is {len(text)} characters long: keep it under {max_len}.")
    return text


def require_minutes(value: float, field: str = "Planned minutes", *, maximum: int = 600) -> int:
    """A whole number of minutes between 0 and ``maximum`` (10 hours by default)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number of minutes, not {value!r}.")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise ValidationError(f"{field} must be a number of minutes, not {value!r}.")
    if value < 0:
        raise ValidationError(f"{field} is negative ({value}): use 0 or more minutes.")
    if value > maximum:
        raise ValidationError(
            f"{field} is {value} minutes, more than the {maximum}-minute limit: split the item."
        )
    return round(value)


def require_timezone(name: str) -> str:
    try:
        pendulum.timezone(name)
    except Exception as exc:  # pendulum raises InvalidTimezone / ZoneInfoNotFoundError
        raise ValidationError(
            f"Unknown timezone {name!r}: use an IANA name such as 'Europe/Amsterdam' or 'UTC'."
        ) from exc
    return name


def as_utc(value: DateTime) -> DateTime:
    if value.tzinfo is None:
        raise ValidationError("A time without a timezone was given: add one (for example +01:00).")
    return value.in_timezone("UTC")


# A date written as YYYY-MM-DD (or YYYYMMDD), alone or before a time.
_ISO_DAY = re.compile(r"([0-9]{4})(-?)([0-9]{2})\2([0-9]{2})(?=$|[T ])")


def impossible_date(text: str) -> str | None:
    """Why ``text``, written as YYYY-MM-DD, names no day of the calendar (for example
    ``2026-02-30 is not a real date: February 2026 has 28 days``, no final full stop), or
    None when it is a real day or not written that way."""
    match = _ISO_DAY.match(text.strip())
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if year == 0:
        reason = "years start at 0001"
    elif not 1 <= month <= 12:
        reason = "months run from 01 to 12"
    elif day == 0:
        reason = "days start at 01"
    else:
        days = calendar.monthrange(year, month)[1]
        if day <= days:
            return None
        month_name = pendulum.date(year, month, 1).format("MMMM YYYY")
        reason = f"{month_name} has {days} days"
    return f"{match.group(0)} is not a real date: {reason}"


def parse_date(text: str, *, today: Date) -> Date:
    """Parse a user date: ISO ``2026-12-15``, ``today``, ``tomorrow`` or ``in N weeks``."""
    original = clean_text(text).strip()
    raw = original.lower()
    if not raw:
        raise ValidationError("Date is empty: enter a date like 2026-12-15 or 'in 2 weeks'.")
    if raw in ("today", "now"):
        return today
    if raw == "tomorrow":
        return today.add(days=1)
    match = re.fullmatch(r"in\s+(\d{1,3})\s+(day|week|month|year)s?", raw)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        return today.add(**{f"{unit}s": amount})
    try:
        parsed = pendulum.parse(original.upper(), exact=True, strict=True)
    except Exception as exc:
        impossible = impossible_date(original)
        if impossible:
            raise ValidationError(f"{impossible}.") from exc
        raise ValidationError(
            f"Cannot read {text.strip()!r} as a date: use YYYY-MM-DD (2026-12-15) or 'in 2 weeks'."
        ) from exc
    if isinstance(parsed, DateTime):
        return parsed.date()
    if isinstance(parsed, Date):
        return parsed
    raise ValidationError(
        f"{text.strip()!r} is not a calendar date: use YYYY-MM-DD (2026-12-15) or 'in 2 weeks'."
    )
