"""1. Start-up: process start to the first rendered frame of the home screen (headless, 80x24),
against a minimal Textual app (Header + Static + Footer), run alternately in the same run."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from benchmarks._common import PYTHON, Context, Row, Stats, child_env, interleaved, med_p95

CHILD = Path(__file__).with_name("_app_child.py")
TARGET = 1.35


def _launch(ctx: Context, kind: str, root: Path | None) -> float:
    argv = [PYTHON, str(CHILD), "startup", kind] + ([str(root)] if root else [])
    env = child_env(ctx)
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, env=env)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"start-up child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return float(proc.stdout.strip().splitlines()[-1]) - start


def measure(ctx: Context) -> dict[str, Stats]:
    ws10 = ctx.copy("ws10", "startup")
    empty = ctx.copy("empty", "startup")
    return interleaved(
        {
            "minimal": lambda: _launch(ctx, "minimal", None),
            "ws10": lambda: _launch(ctx, "app", ws10),
            "empty": lambda: _launch(ctx, "app", empty),
        },
        reps=ctx.reps(15),
        warmup=1,
    )


def run(ctx: Context) -> list[Row]:
    s = measure(ctx)
    ratio = s["ws10"].median / s["minimal"].median
    history = s["ws10"].median / s["empty"].median
    return [
        Row(
            "1. Start-up to first home frame, 10-year workspace",
            med_p95(s["ws10"]),
            f"minimal app {med_p95(s['minimal'])}",
            ratio,
            "median",
            f"<= {TARGET}x",
            ratio <= TARGET,
            f"n={s['ws10'].n} each",
        ),
        Row(
            "1b. Start-up, 10-year vs empty workspace (history cost)",
            med_p95(s["ws10"]),
            f"empty workspace {med_p95(s['empty'])}",
            history,
            "median",
            "(reported)",
            None,
            f"empty vs minimal: {s['empty'].median / s['minimal'].median:.2f}x",
        ),
    ]
