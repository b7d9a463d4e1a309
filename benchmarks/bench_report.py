"""8. The annual report of one year (`facilitate report --year 2026`), from a cold start of the
service as the CLI does it (the workspace opened, the year's meetings read, the report built and
rendered), 10-year workspace vs the empty one, alternating between the two. The generated
workspaces have no meeting index (.index.json), so listing the meetings parses every file, as
the first report on a workspace the app never opened does; md is measured again with the index
the app writes.

Both hold the large meeting (40 items, 60 attendees, 100 actions) of 2026; the 10-year one also
the year's 11 monthly meetings and 9 years before them. A report reads only the meetings held in
its year (plus the meeting list, which the index keeps cheap, and the roster), so the history
before the year must cost next to nothing; what remains is the year's own meetings and, in HTML
and Word, the charts (matplotlib, imported once in the warm-up as in any process that makes one
report after another).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pendulum

from benchmarks._common import Context, Row, Stats, interleaved, med_p95
from facilitate.storage.workspace import Workspace

YEAR = 2026
NOW = pendulum.datetime(2026, 12, 10, 9, 0, tz="UTC")  # the morning of the planned meeting
TARGET = 3.0
FORMATS = ("md", "html", "docx")


def _report(root: Path, fmt: str) -> Callable[[], float]:
    from facilitate.report.service import build_report, render_report

    def run() -> float:
        start = time.perf_counter()
        report = build_report(Workspace.open(root).snapshot(), YEAR, now=NOW)
        render_report(report, fmt, created=NOW)
        return time.perf_counter() - start

    return run


def _indexed(ctx: Context, name: str) -> Path:
    """A copy of a workspace with the meeting index (.index.json) written, as the app leaves
    every workspace it has opened (the CLI reads the index but never writes it)."""
    root = ctx.copy(name, "report-index")
    ws = Workspace.open(root)
    ws.write_index = True
    ws.snapshot().meetings()
    return root


def measure(ctx: Context) -> dict[str, dict[str, Stats]]:
    ws10, empty = ctx.workspace("ws10"), ctx.workspace("empty")
    reps = ctx.reps(12)
    results = {
        fmt: interleaved({"ws10": _report(ws10, fmt), "empty": _report(empty, fmt)}, reps)
        for fmt in FORMATS
    }
    ws10_indexed, empty_indexed = _indexed(ctx, "ws10"), _indexed(ctx, "empty")
    results["md indexed"] = interleaved(
        {"ws10": _report(ws10_indexed, "md"), "empty": _report(empty_indexed, "md")}, reps
    )
    return results


def held_in_year(root: Path) -> int:
    from facilitate.domain.annual import meetings_in_year

    return len(meetings_in_year(Workspace.open(root).snapshot().meetings(), YEAR))


def run(ctx: Context) -> list[Row]:
    results = measure(ctx)
    held10, held_empty = held_in_year(ctx.workspace("ws10")), held_in_year(ctx.workspace("empty"))
    rows = []
    for fmt in (*FORMATS, "md indexed"):
        s = results[fmt]
        ratio = s["ws10"].median / s["empty"].median
        label = "md, with the meeting index the app keeps" if fmt == "md indexed" else fmt
        rows.append(
            Row(
                f"8. Annual report {YEAR} ({label}), 10-year vs empty workspace",
                med_p95(s["ws10"]),
                f"empty {med_p95(s['empty'])}",
                ratio,
                "median",
                f"<= {TARGET:.0f}x",
                ratio <= TARGET,
                f"n={s['ws10'].n}; meetings held in {YEAR}: {held10} vs {held_empty}; "
                "open, read, build and render",
            )
        )
    return rows
