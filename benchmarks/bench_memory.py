"""5. Memory: peak RSS of the app with a running meeting on the 10-year workspace against the
minimal Textual app, each in its own process (its VmHWM from /proc), alternately."""

from __future__ import annotations

import subprocess
from pathlib import Path

from benchmarks._common import PYTHON, Context, Row, Stats, child_env, interleaved, med_p95

CHILD = Path(__file__).with_name("_app_child.py")
TARGET = 1.6
MIB = 1024 * 1024


def _peak_rss(ctx: Context, kind: str, root: Path | None) -> float:
    """Peak resident set size (VmHWM) of one child run, in bytes."""
    argv = [PYTHON, str(CHILD), "memory", kind] + ([str(root)] if root else [])
    proc = subprocess.run(
        argv, capture_output=True, text=True, timeout=120, check=False, env=child_env(ctx)
    )
    words = proc.stdout.split()
    if proc.returncode != 0 or len(words) < 2 or words[-2] != "ok":
        raise RuntimeError(f"memory child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return float(words[-1])


def _mib(value: float) -> str:
    return f"{value / MIB:.1f} MiB"


def measure(ctx: Context) -> dict[str, Stats]:
    counter = iter(range(10_000))

    def app() -> float:
        # A fresh copy each time: the run starts (and so changes) the planned meeting.
        return _peak_rss(ctx, "app", ctx.copy("ws10", f"memory{next(counter)}"))

    return interleaved(
        {"minimal": lambda: _peak_rss(ctx, "minimal", None), "ws10": app},
        reps=ctx.reps(5),
        warmup=1,
    )


def run(ctx: Context) -> list[Row]:
    s = measure(ctx)
    ratio = s["ws10"].median / s["minimal"].median
    return [
        Row(
            "5. Peak RSS, running meeting on the 10-year workspace",
            med_p95(s["ws10"], _mib),
            f"minimal app {med_p95(s['minimal'], _mib)}",
            ratio,
            "median",
            f"<= {TARGET}x",
            ratio <= TARGET,
            f"n={s['ws10'].n} processes each",
        )
    ]
