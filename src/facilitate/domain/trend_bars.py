"""Trend bars that start at zero and carry their values.

A sparkline scaled from the smallest to the largest value draws attendance of 23, 24, 23 as
"▁█▁": a collapse that never happened. These bars are scaled from zero (or from the most
negative value, for a signed series such as minutes over plan), so 23, 24, 23 reads "▇█▇",
and the values are written next to them.
"""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN_VALUES = 6


def bars(values: Sequence[float]) -> str:
    """One block per value, heights proportional to the value above a zero baseline."""
    if not values:
        return ""
    low = min(0.0, *values)
    high = max(0.0, *values)
    extent = high - low or 1.0
    out = []
    for value in values:
        level = round((value - low) / extent * (len(BLOCKS) - 1))
        out.append(BLOCKS[max(0, min(level, len(BLOCKS) - 1))])
    return "".join(out)


def values_label(values: Sequence[float], digits: int = 0, *, signed: bool = False) -> str:
    """The last few values as numbers ("… 23 24 23")."""

    def fmt(v: float) -> str:
        text = f"{v:.{digits}f}" if digits else str(round(v))
        return f"+{text}" if signed and v > 0 else text

    shown = [fmt(v) for v in values[-SHOWN_VALUES:]]
    return ("… " if len(values) > SHOWN_VALUES else "") + " ".join(shown)


def trend_line(values: Sequence[float], digits: int = 0, *, signed: bool = False) -> str:
    return f"{bars(values)}  {values_label(values, digits, signed=signed)}" if values else ""
