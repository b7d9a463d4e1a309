"""Shared benchmark plumbing: statistics, interleaved runs, result rows, the workspaces."""

from __future__ import annotations

import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` puts benchmarks/ first, not the root
    sys.path.insert(0, str(ROOT))

from benchmarks.make_workspace import LARGE_MEETING_ID, UPCOMING_ID, make_workspace  # noqa: E402

PYTHON = sys.executable


def child_env(ctx: Context) -> dict[str, str]:
    """The environment for child processes: bytecode cached (in the bench folder, not the repo)
    as in an installed program, even where PYTHONDONTWRITEBYTECODE is set."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ctx.work / "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


@dataclass(frozen=True)
class Stats:
    samples: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def max(self) -> float:
        return max(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)


def stats(samples: list[float]) -> Stats:
    if not samples:
        raise ValueError("no samples")
    return Stats(tuple(samples))


def ms(seconds: float) -> str:
    value = seconds * 1000
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def med_p95(s: Stats, fmt: Callable[[float], str] = ms) -> str:
    return f"{fmt(s.median)} / {fmt(s.p95)}"


@dataclass
class Row:
    """One line of the results table."""

    case: str
    figure: str
    baseline: str
    ratio: float | None
    ratio_of: str  # which statistic the ratio compares: "median", "p95", ...
    target: str
    met: bool | None  # None: reported, no target
    note: str = ""

    def ratio_text(self) -> str:
        if self.ratio is None:
            return "-"
        return f"{self.ratio:.2f}x ({self.ratio_of})"

    def met_text(self) -> str:
        return {True: "met", False: "NOT met", None: "-"}[self.met]


def interleaved(
    cases: dict[str, Callable[[], float]], reps: int, warmup: int = 1
) -> dict[str, Stats]:
    """Run each case ``reps`` times, alternating between them (order reversed every other
    round, so neither side always runs first). Each callable returns its own measured time."""
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    out: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names if rep % 2 == 0 else reversed(names):
            out[name].append(cases[name]())
    return {name: stats(values) for name, values in out.items()}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@dataclass
class Context:
    """Where the generated workspaces live; each benchmark copies what it will change."""

    quick: bool = False
    smoke: bool = False  # `make test`: the harness runs end to end on tiny data; no figure counts
    seed: int = 7
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="facilitate-bench-")))
    generated: dict[str, Path] = field(default_factory=dict)
    upcoming_id: str = UPCOMING_ID
    large_id: str = LARGE_MEETING_ID

    def reps(self, full: int) -> int:
        if self.smoke:
            return 2
        return max(5, full // 2) if self.quick else full

    def workspace(self, name: str) -> Path:
        """A pristine generated workspace (build once, never write to it: use ``copy``).

        ``ws10``: 10 years; ``ws1``: 1 year; ``empty``: the 10-year roster, no past meetings.
        Each also holds the planned meeting and the large (40 items, 60 attendees) one.
        """
        if name not in self.generated:
            years, history = {"ws10": (10, True), "ws1": (1, True), "empty": (10, False)}[name]
            if self.smoke:
                years = 1
            root = self.work / "pristine" / name
            if not (root / "collaborative.json").exists():  # (made by the parent process)
                make_workspace(root, years, self.seed, history=history, large_meeting=True)
            self.generated[name] = root
        return self.generated[name]

    def copy(self, name: str, label: str) -> Path:
        source = self.workspace(name)
        target = self.work / "copies" / f"{name}-{label}"
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target, symlinks=True)
        target.chmod(0o700)
        return target

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
