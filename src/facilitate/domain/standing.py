"""The standing meeting slot: a rule the collaborative states, read from plain text.

Examples it reads (case and extra spaces do not matter):

- ``second Thursday of the month, 10:00-12:00``
- ``every 4 weeks on Tuesday``  (``weekly on Monday``, ``every 2 weeks on Friday, 09:30-11:00``)
- ``first Monday, skip August``  (``last Friday, 14:00-15:30, skip July and August``)

A rule gives days (and, when stated, the time of day and length); the meetings held so far only
give the phase of an every-N-weeks rule. Moving one meeting never moves the rule.
Pure rules (pendulum only): days are local dates in the collaborative's timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import pendulum
from pendulum import Date

from .common import ValidationError

if TYPE_CHECKING:
    from .roster import Profile

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
ORDINALS |= {"fourth": 4, "4th": 4, "last": -1}
ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
EXAMPLES = (
    "'second Thursday of the month, 10:00-12:00', 'every 4 weeks on Tuesday' or "
    "'first Monday, skip August'"
)
MAX_WEEKS = 12


class StandingKind(StrEnum):
    NTH_WEEKDAY = "nth_weekday"  # the n-th (or last) weekday of every month
    EVERY_N_WEEKS = "every_n_weeks"


@dataclass(frozen=True)
class StandingRule:
    kind: StandingKind
    weekday: int  # 0 = Monday ... 6 = Sunday
    ordinal: int = 1  # NTH_WEEKDAY: 1-4 or -1 (last)
    weeks: int = 1  # EVERY_N_WEEKS
    skip: tuple[int, ...] = ()  # months (1-12) with no meeting
    start: tuple[int, int] | None = None  # local hour, minute
    end: tuple[int, int] | None = None

    @property
    def minutes(self) -> int | None:
        """The meeting's length when the rule states both times."""
        if self.start is None or self.end is None:
            return None
        return (self.end[0] * 60 + self.end[1]) - (self.start[0] * 60 + self.start[1])

    def describe(self) -> str:
        day = WEEKDAYS[self.weekday].capitalize()
        if self.kind is StandingKind.NTH_WEEKDAY:
            text = f"{ORDINAL_NAMES[self.ordinal]} {day} of the month"
        elif self.weeks == 1:
            text = f"every week on {day}"
        else:
            text = f"every {self.weeks} weeks on {day}"
        if self.start is not None:
            text += f", {self.start[0]:02d}:{self.start[1]:02d}"
            if self.end is not None:
                text += f"-{self.end[0]:02d}:{self.end[1]:02d}"
        if self.skip:
            text += ", skip " + " and ".join(MONTHS[m - 1].capitalize() for m in self.skip)
        return text

    def matches(self, day: Date, anchor: Date | None = None) -> bool:
        """Whether ``day`` is a day of this rule (``anchor``: a day of an every-N-weeks series)."""
        if day.month in self.skip or int(day.day_of_week) != self.weekday:
            return False
        if self.kind is StandingKind.NTH_WEEKDAY:
            return day == nth_weekday(day.year, day.month, self.weekday, self.ordinal)
        if anchor is None:
            return True
        return (day - anchor).in_days() % (7 * self.weeks) == 0

    def next_day(self, after: Date, anchor: Date | None = None) -> Date:
        """The first day of the rule strictly after ``after``.

        An every-N-weeks series keeps the phase of ``anchor`` (a past meeting on the rule's
        weekday); without one it starts on the first such weekday after ``after``.
        """
        if self.kind is StandingKind.NTH_WEEKDAY:
            year, month = after.year, after.month
            for _ in range(24):
                if month not in self.skip:
                    day = nth_weekday(year, month, self.weekday, self.ordinal)
                    if day > after:
                        return day
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            raise ValidationError("The standing slot skips every month: fix the rule.")
        if anchor is None or int(anchor.day_of_week) != self.weekday:
            offset = (self.weekday - int(after.day_of_week)) % 7 or 7
            anchor = after.add(days=offset)
            if anchor.month not in self.skip:
                return anchor
        step = 7 * self.weeks
        gap = (after - anchor).in_days()
        day = anchor.add(days=(gap // step + 1) * step) if gap >= 0 else anchor
        for _ in range(60):
            if day > after and day.month not in self.skip:
                return day
            day = day.add(days=step)
        raise ValidationError("The standing slot skips every month: fix the rule.")


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> Date:
    """The ``ordinal``-th ``weekday`` of a month; ordinal -1 is the last one."""
    if ordinal == -1:
        last = pendulum.date(year, month, pendulum.date(year, month, 1).days_in_month)
        return last.subtract(days=(int(last.day_of_week) - weekday) % 7)
    first = pendulum.date(year, month, 1)
    return first.add(days=(weekday - int(first.day_of_week)) % 7 + 7 * (ordinal - 1))


_TIME = r"(\d{1,2})[:.h](\d{2})"
_RANGE = re.compile(rf"^(?:at\s+|from\s+)?{_TIME}(?:\s*(?:-|–|—|to|until)\s*{_TIME})?$")
_SKIP = re.compile(r"^(?:skip|skipping|except|not in|no meeting in)\s+(.+)$")
_NTH = re.compile(r"^(?:the\s+)?(\w+)\s+(\w+?)s?(?:\s+(?:of|in)\s+(?:the|each|every)\s+month)?$")
_WEEKS = re.compile(
    r"^(?:every\s+(?:(\d+|other)\s+)?weeks?|weekly|fortnightly|biweekly)\s+on\s+(\w+?)s?$"
)


def _weekday(word: str) -> int | None:
    word = word.lower()
    for n, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]) or (len(word) >= 3 and name.startswith(word)):
            return n
    return None


def _month(word: str) -> int | None:
    word = word.lower().strip(".")
    for n, name in enumerate(MONTHS, start=1):
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return n
    return None


def _clock(hour: str, minute: str, text: str) -> tuple[int, int]:
    h, m = int(hour), int(minute)
    if h > 23 or m > 59:
        raise ValidationError(f"Standing slot {text!r}: {hour}:{minute} is not a time of day.")
    return h, m


def parse_standing(text: str) -> StandingRule:
    """Read a standing slot; a clear error naming what could not be read, with examples."""
    original = " ".join(text.split())
    if not original:
        raise ValidationError(f"The standing slot is empty: write it like {EXAMPLES}.")
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", original.lower()) if p.strip()]
    day_part, rest = parts[0], parts[1:]
    # "second Thursday 10:00-12:00" (no comma before the time) is read as well.
    inline = re.search(rf"\s+(?:at\s+|from\s+)?{_TIME}.*$", day_part)
    if inline:
        rest.insert(0, inline.group(0).strip())
        day_part = day_part[: inline.start()].strip()
    rule: StandingRule | None = None
    if m := _WEEKS.match(day_part):
        count = m.group(1)
        head = day_part.split()[0]
        weeks = 2 if count == "other" or head in ("fortnightly", "biweekly") else int(count or 1)
        weekday = _weekday(m.group(2))
        if weekday is not None:
            if not 1 <= weeks <= MAX_WEEKS:
                raise ValidationError(
                    f"Standing slot {original!r}: every {weeks} weeks is outside 1-{MAX_WEEKS}."
                )
            rule = StandingRule(StandingKind.EVERY_N_WEEKS, weekday, weeks=weeks)
    elif m := _NTH.match(day_part):
        ordinal = ORDINALS.get(m.group(1))
        weekday = _weekday(m.group(2))
        if ordinal is not None and weekday is not None:
            rule = StandingRule(StandingKind.NTH_WEEKDAY, weekday, ordinal=ordinal)
    if rule is None:
        raise ValidationError(
            f"Cannot read the standing slot {original!r}: start with the day, like {EXAMPLES}."
        )
    start = end = None
    skip: list[int] = []
    for part in rest:
        if t := _RANGE.match(part):
            if start is not None:
                raise ValidationError(f"Standing slot {original!r} gives two times: keep one.")
            start = _clock(t.group(1), t.group(2), original)
            if t.group(3):
                end = _clock(t.group(3), t.group(4), original)
                if end[0] * 60 + end[1] <= start[0] * 60 + start[1]:
                    raise ValidationError(
                        f"Standing slot {original!r} ends before it starts: fix the times."
                    )
        elif s := _SKIP.match(part):
            for word in re.split(r"\s+and\s+|\s*/\s*|\s+", s.group(1)):
                if not word or word in ("and", "in"):
                    continue
                month = _month(word)
                if month is None:
                    raise ValidationError(
                        f"Standing slot {original!r}: {word!r} is not a month (e.g. 'skip August')."
                    )
                if month not in skip:
                    skip.append(month)
        else:
            raise ValidationError(
                f"Cannot read {part!r} in the standing slot {original!r}: use a time such as "
                "'10:00-12:00' or months to skip such as 'skip August'."
            )
    if len(skip) >= 12:
        raise ValidationError(f"Standing slot {original!r} skips every month: fix the rule.")
    return StandingRule(
        rule.kind,
        rule.weekday,
        ordinal=rule.ordinal,
        weeks=rule.weeks,
        skip=tuple(sorted(skip)),
        start=start,
        end=end,
    )


def standing_rule(profile: Profile) -> StandingRule | None:
    """The profile's standing slot, or None when it states none (then it is inferred)."""
    return parse_standing(profile.standing_slot) if profile.standing_slot.strip() else None


_CLOCK = re.compile(r"^(\d{1,2})[:.h]?(\d{2})$")


def parse_clock(text: str) -> tuple[int, int]:
    """A time of day typed as 10:00, 9:30, 1830 or 18.30."""
    match = _CLOCK.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationError(f"Cannot read the time {text.strip()!r}: use HH:MM, e.g. 10:00.")
    return int(match.group(1)), int(match.group(2))
