"""Limits a stored value must meet to be decoded at all (defensive loading).

A data file can be edited by hand, by another member of a shared group, or damaged on disk.
These limits keep such a value from reaching code that cannot handle it: an integer of 10**30
minutes overflows the date arithmetic, an unknown time zone raises deep inside pendulum, a
200 MB title takes every screen tens of seconds and gigabytes. A value outside them makes its
record "damaged" (the file is named, and the record and field), never a traceback.

They are deliberately wider than what the program itself stores: softer sanity rules
(negative votes, a rating of 9, a date in 1850) are reported by ``facilitate check`` instead,
so one odd value does not make a whole meeting unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pendulum

from ..domain.common import MAX_TEXT

# One text field may hold at most this many characters (the longest field the program writes,
# meeting notes, is limited to MAX_TEXT as well).
MAX_FIELD_CHARS = MAX_TEXT
# Integers beyond this are no count, position or revision facilitate writes (2**53 is also
# the largest integer every JSON reader keeps exactly).
MAX_INT = 2**53
# Minutes of one agenda item, proposal or training snippet: at most one day.
MAX_MINUTES = 24 * 60
# Years outside this range are no real meeting date, and near year 9999 adding an hour to an
# instant overflows.
FIRST_YEAR, LAST_YEAR = 1000, 8999


class LimitError(ValueError):
    """A value outside the limits; the codec adds where it was found."""


def int_in_range(value: int) -> None:
    if not -MAX_INT <= value <= MAX_INT:
        raise LimitError(f"{_short(value)} is far outside any stored value")


def text_size(value: str) -> None:
    if len(value) > MAX_FIELD_CHARS:
        raise LimitError(
            f"text of {len(value):,} characters, over the {MAX_FIELD_CHARS:,}-character limit"
        )


def year_in_range(year: int, text: object) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LimitError(f"{_short(text)} is not a real date (year {year})")


@lru_cache(maxsize=256)
def known_timezone(name: str) -> bool:
    try:
        pendulum.timezone(name)
    except Exception:  # InvalidTimezone, ZoneInfoNotFoundError, ValueError for odd names
        return False
    return True


def _timezone(value: Any) -> None:
    if isinstance(value, str) and not known_timezone(value):
        raise LimitError(f"unknown time zone {_short(value)} (use an IANA name such as 'UTC')")


def _minutes(value: Any) -> None:
    if isinstance(value, int) and not 0 <= value <= MAX_MINUTES:
        raise LimitError(f"{_short(value)} minutes is outside 0-{MAX_MINUTES}")


def _seconds_of_a_day(value: Any) -> None:
    if isinstance(value, int) and not 0 <= value <= MAX_MINUTES * 60:
        raise LimitError(f"{_short(value)} seconds is outside 0-{MAX_MINUTES * 60}")


# Checks by field name, applied to the decoded value of every record field of that name.
FIELD_RULES: dict[str, Callable[[Any], None]] = {
    "timezone": _timezone,
    "planned_minutes": _minutes,
    "minutes": _minutes,
    "speaker_limit_minutes": _minutes,
    "turn_seconds": _seconds_of_a_day,
}


def _short(value: object) -> str:
    """A value for a message: never the whole of a huge one."""
    if isinstance(value, int) and not -(10**12) < value < 10**12:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
