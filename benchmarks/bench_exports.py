"""4. Exports and search, each from a cold start of the service (a freshly opened workspace, as
the CLI does), alternating between the two workspaces compared.

- Minutes (md, html, docx) of the large meeting (40 items, 60 attendees, 50 decisions, 100
  actions) with facilitate.minutes.export.render_minutes: 10-year workspace vs the empty one
  holding the same meeting (what history costs a single meeting's minutes).
- The action tracker as csv and ics (all actions) through the CLI command
  (`facilitate actions --all --format csv|ics -o FILE`): 10 years vs 1 year.
- Search over every meeting with facilitate.tracker.search (read, index, query): 10 years vs
  1 year, target <= 10x for 10x the data; plus the in-memory query alone (what a keystroke in
  the history screen's search box costs once the index is loaded).
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks._common import Context, Row, Stats, interleaved, med_p95
from facilitate.storage.workspace import Workspace

SEARCH_TARGET = 10.0
QUERY = "referral shelter"


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _minutes(root: Path, meeting_id: str, fmt: str) -> Callable[[], float]:
    from facilitate.minutes.export import render_minutes

    def run() -> float:
        return _timed(lambda: render_minutes(Workspace.open(root), meeting_id, fmt))

    return run


def _tracker_export(root: Path, fmt: str, out: Path) -> Callable[[], float]:
    from facilitate.cli import main

    argv = ["--data", str(root), "actions", "--all", "--format", fmt, "-o", str(out), "--force"]

    def run() -> float:
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            start = time.perf_counter()
            code = main(argv)
            took = time.perf_counter() - start
        if code != 0:
            raise RuntimeError(f"facilitate actions failed ({code}): {sink.getvalue()}")
        return took

    return run


def _search(root: Path) -> Callable[[], float]:
    from facilitate.tracker.search import search

    return lambda: _timed(lambda: search(Workspace.open(root), QUERY))


def _query(root: Path) -> Callable[[], float]:
    from facilitate.tracker.search import load_search_index

    index = load_search_index(Workspace.open(root))
    return lambda: _timed(lambda: index.search(QUERY))


def measure(ctx: Context) -> dict[str, dict[str, Stats]]:
    ws10, empty, ws1 = ctx.workspace("ws10"), ctx.workspace("empty"), ctx.workspace("ws1")
    large = ctx.large_id
    out_dir = ctx.work / "exports"
    out_dir.mkdir(exist_ok=True)
    results: dict[str, dict[str, Stats]] = {}
    reps = ctx.reps(12)
    for fmt in ("md", "html", "docx"):
        results[f"minutes {fmt}"] = interleaved(
            {"ws10": _minutes(ws10, large, fmt), "empty": _minutes(empty, large, fmt)}, reps
        )
    for fmt in ("csv", "ics"):
        results[f"tracker {fmt}"] = interleaved(
            {
                "ws10": _tracker_export(ws10, fmt, out_dir / f"a10.{fmt}"),
                "ws1": _tracker_export(ws1, fmt, out_dir / f"a1.{fmt}"),
            },
            reps,
        )
    results["search"] = interleaved({"ws10": _search(ws10), "ws1": _search(ws1)}, reps)
    results["query"] = interleaved({"ws10": _query(ws10), "ws1": _query(ws1)}, reps * 5)
    return results


def run(ctx: Context) -> list[Row]:
    r = measure(ctx)
    rows = []
    for fmt in ("md", "html", "docx"):
        s = r[f"minutes {fmt}"]
        rows.append(
            Row(
                f"4. Minutes ({fmt}) of the large meeting, 10-year vs empty workspace",
                med_p95(s["ws10"]),
                f"empty {med_p95(s['empty'])}",
                s["ws10"].median / s["empty"].median,
                "median",
                "(reported)",
                None,
                f"n={s['ws10'].n}",
            )
        )
    for fmt in ("csv", "ics"):
        s = r[f"tracker {fmt}"]
        rows.append(
            Row(
                f"4. Action tracker as {fmt} (all actions), 10 years vs 1 year",
                med_p95(s["ws10"]),
                f"1 year {med_p95(s['ws1'])}",
                s["ws10"].median / s["ws1"].median,
                "median",
                "(reported; 10x data)",
                None,
                "CLI command in-process, workspace opened each time",
            )
        )
    s = r["search"]
    ratio = s["ws10"].median / s["ws1"].median
    rows.append(
        Row(
            f"4. Search '{QUERY}', all meetings: 10 years vs 1 year",
            med_p95(s["ws10"]),
            f"1 year {med_p95(s['ws1'])}",
            ratio,
            "median",
            f"<= {SEARCH_TARGET:.0f}x",
            ratio <= SEARCH_TARGET,
            "facilitate.tracker.search.search: read + index + query",
        )
    )
    s = r["query"]
    rows.append(
        Row(
            "4. Search query alone (index in memory): 10 years vs 1 year",
            med_p95(s["ws10"]),
            f"1 year {med_p95(s['ws1'])}",
            s["ws10"].median / s["ws1"].median,
            "median",
            f"<= {SEARCH_TARGET:.0f}x",
            s["ws10"].median / s["ws1"].median <= SEARCH_TARGET,
            "SearchIndex.search, as each search in the history screen",
        )
    )
    return rows
