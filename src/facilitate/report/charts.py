"""Charts for the annual report, drawn by matplotlib (Agg: no display, no system toolkit).

Each chart is drawn once and kept two ways: an SVG for the HTML report (text kept as text, with
a <title> and <desc> for screen readers) and a PNG for the Word file. Every bar axis starts at
zero and each bar carries its value, so 23, 24, 23 reads as steady. matplotlib is imported only
when a report is made.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Colour-blind-safe (Okabe-Ito), distinguishable in greyscale print too.
BLUE, ORANGE, GREEN, RED, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999"


@dataclass(frozen=True)
class Chart:
    key: str  # a stable id (svg element ids, file names)
    title: str
    description: str  # what the chart shows, in words (alt text)
    svg: str
    png: bytes


@dataclass(frozen=True)
class Bars:
    """One bar series: a label and one value per category."""

    label: str
    values: Sequence[float]
    color: str


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: searchable, and small
            "svg.hashsalt": "facilitate",  # the same ids on every run
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return pyplot


def bar_chart(
    key: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Bars],
    *,
    horizontal: bool = False,
    stacked: bool = False,
    unit: str = "",
    limit: float | None = None,
    picture: str = "both",
) -> Chart:
    """Grouped (or stacked) bars from zero, each labelled with its value.

    ``picture``: "svg" (HTML), "png" (Word) or "both"; the one not asked for is left empty
    (drawing a chart is most of a report's time: HTML never needs the PNG, nor Word the SVG)."""
    plt = _pyplot()
    count = max(1, len(categories))
    size = (7.0, max(2.2, 0.32 * count + 1.2)) if horizontal else (7.0, 3.2)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    try:
        positions = list(range(len(categories)))
        width = 0.8 if stacked else 0.8 / max(1, len(series))
        base = [0.0] * len(categories)
        for n, bars in enumerate(series):
            offset = 0.0 if stacked else (n - (len(series) - 1) / 2) * width
            where = [p + offset for p in positions]
            values = list(bars.values)
            draw = ax.barh if horizontal else ax.bar
            kwargs = {"left" if horizontal else "bottom": base} if stacked else {}
            drawn = draw(where, values, width, label=bars.label, color=bars.color, **kwargs)
            labels = [_fmt(v) if v else "" for v in values]
            ax.bar_label(
                drawn,
                labels=labels,
                label_type="center" if stacked else "edge",
                padding=0 if stacked else 2,
                fontsize=8,
            )
            if stacked:
                base = [b + v for b, v in zip(base, values, strict=True)]
        axis_labels = [_short(c) for c in categories]
        counts = all(float(v).is_integer() for b in series for v in b.values)
        if counts:  # whole numbers of things: no 0.5 ticks
            from matplotlib.ticker import MaxNLocator

            (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
        if horizontal:
            ax.set_yticks(positions, axis_labels)
            ax.invert_yaxis()
            ax.set_xlim(left=0, right=_top(limit, series, stacked, base))
            ax.set_xlabel(unit)
        else:
            ax.set_xticks(
                positions,
                axis_labels,
                rotation=45 if count > 6 else 0,
                ha="right" if count > 6 else "center",
            )
            ax.set_ylim(bottom=0, top=_top(limit, series, stacked, base))
            ax.set_ylabel(unit)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        svg = _svg(fig, key, title, description) if picture in ("svg", "both") else ""
        png = _png(fig) if picture in ("png", "both") else b""
        return Chart(key, title, description, svg, png)
    finally:
        plt.close(fig)


def _top(limit: float | None, series: Sequence[Bars], stacked: bool, base: list[float]) -> float:
    if limit is not None:
        return limit
    highest = max(base) if stacked else max((max(s.values, default=0) for s in series), default=0)
    return max(1.0, highest * 1.15)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _short(text: str, width: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _svg(fig: Any, key: str, title: str, description: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # no XML prolog or DOCTYPE inside an HTML page
    ident = re.sub(r"[^a-z0-9-]", "-", key.lower())
    opening = _SVG_OPEN.search(text)
    assert opening is not None
    tag = opening.group(0)
    labelled = tag[:-1] + f' role="img" aria-labelledby="{ident}-title {ident}-desc">'
    accessible = (
        f'{labelled}\n<title id="{ident}-title">{html.escape(title)}</title>\n'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>'
    )
    return text[: opening.start()] + accessible + text[opening.end() :]


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()
