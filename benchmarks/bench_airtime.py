"""Airtime trends (issue 20): the share of airtime by sector across meetings, as the history
screen's trends compute it, 10 years vs 1 year (target <= 10x for 10x the meetings).

- Read + trends: a freshly opened workspace, every meeting read (``load_history``: the one read
  the history screen makes), summarised, and the trends computed with the airtime by sector.
- Trends alone: ``compute_trends`` over the summaries already in memory (what a reload of the
  trends costs once the meetings are read); reported, as one pass over 10x the meetings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from benchmarks._common import Context, Row, Stats, interleaved, med_p95, timed
from facilitate.storage.workspace import Workspace

TARGET = 10.0


def _read_and_trends(root: Path) -> Callable[[], float]:
    from facilitate.tracker.history import load_history

    def run() -> float:
        def work() -> None:
            shares = load_history(Workspace.open(root)).trends.airtime
            if not shares:
                raise RuntimeError(f"{root}: no airtime in the generated history")

        return timed(work)

    return run


def _trends_alone(root: Path) -> Callable[[], float]:
    from facilitate.domain.trends import compute_trends
    from facilitate.tracker.history import load_history

    history = load_history(Workspace.open(root))
    organizations = history.view.roster.organizations
    return lambda: timed(lambda: compute_trends(history.summaries, organizations))


def measure(ctx: Context) -> dict[str, dict[str, Stats]]:
    ws10, ws1 = ctx.workspace("ws10"), ctx.workspace("ws1")
    reps = ctx.reps(12)
    return {
        "read": interleaved({"ws10": _read_and_trends(ws10), "ws1": _read_and_trends(ws1)}, reps),
        "alone": interleaved({"ws10": _trends_alone(ws10), "ws1": _trends_alone(ws1)}, reps * 5),
    }


def run(ctx: Context) -> list[Row]:
    r = measure(ctx)
    rows = []
    # The target is on what the history screen waits for (read + trends). The computation
    # alone is linear in the meetings by nature (one pass), so about 10x for 10x the meetings:
    # reported.
    for key, case, note, target in (
        (
            "read",
            "Airtime trends over 10 years vs one year (read + trends)",
            "tracker.history.load_history(...).trends.airtime, workspace opened each time",
            True,
        ),
        (
            "alone",
            "Airtime trends over 10 years vs one year (trends alone)",
            "domain.trends.compute_trends over the summaries in memory; one pass per meeting",
            False,
        ),
    ):
        s = r[key]
        ratio = s["ws10"].median / s["ws1"].median
        rows.append(
            Row(
                f"4. {case}",
                med_p95(s["ws10"]),
                f"1 year {med_p95(s['ws1'])}",
                ratio,
                "median",
                f"<= {TARGET:.0f}x" if target else "(reported; 10x data)",
                ratio <= TARGET if target else None,
                note,
            )
        )
    return rows
