"""Run every benchmark (`make bench`) and print one table: figure, baseline, ratio, target.

    python benchmarks/run.py [--quick | --smoke]
                             [--only startup,saves,keys,exports,memory,timer,import,airtime]
                             [--update-doc] [--keep] [--json FILE]

Every figure is a ratio against a baseline measured in the same run, interleaved with it.
--quick: fewer repetitions and a 20 s (not 120 s) timer run, for a fast check.
--smoke: 2 repetitions on 1-year data and a 3 s timer run: proves the harness works (make test
runs it); its figures mean nothing.
--update-doc: also replace the results section of BENCHMARKS.md with this run's table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (
    bench_airtime,
    bench_exports,
    bench_import,
    bench_keys,
    bench_memory,
    bench_saves,
    bench_startup,
    bench_timer,
)
from benchmarks._common import ROOT, Context, Row

CASES = {
    "startup": bench_startup.run,
    "saves": bench_saves.run,
    "keys": bench_keys.run,
    "exports": bench_exports.run,
    "memory": bench_memory.run,
    "timer": bench_timer.run,
    "import": bench_import.run,
    "airtime": bench_airtime.run,
}
DOC = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def table(rows: list[Row]) -> str:
    head = "| Case | Figure (median / p95) | Baseline, same run | Ratio | Target | Met |"
    lines = [head, "|---|---|---|---|---|---|"]
    for r in rows:
        case = r.case + (f" <br><sub>{r.note}</sub>" if r.note else "")
        lines.append(
            f"| {case} | {r.figure} | {r.baseline} | {r.ratio_text()} | {r.target} | "
            f"{'**NOT met**' if r.met is False else r.met_text()} |"
        )
    return "\n".join(lines)


def plain_table(rows: list[Row]) -> str:
    width = max(len(r.case) for r in rows)
    out = []
    for r in rows:
        out.append(
            f"{r.case:<{width}}  {r.figure:<34} {r.baseline:<44} {r.ratio_text():<20} "
            f"{r.target:<22} {r.met_text()}"
        )
        if r.note:
            out.append(f"{'':<{width}}  ({r.note})")
    return "\n".join(out)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(ctx: Context, started: float, took: float, argv: list[str]) -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    fs = subprocess.run(
        ["df", "-T", str(ctx.work)], capture_output=True, text=True, check=False
    ).stdout.splitlines()[-1:]
    fs_type = fs[0].split()[1] if fs else "?"
    load = os.getloadavg()
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("facilitate", "textual", "tinydb", "pendulum", "python-docx", "icalendar")
    )
    return "\n".join(
        [
            f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}"
            f" (took {took / 60:.1f} min)",
            f"- Machine: {platform.platform()}; {cpu}; {os.cpu_count()} cores{mem}; "
            f"workspaces on {fs_type} ({ctx.work.parent}); load average before the run "
            f"{load[0]:.2f}",
            f"- Python {platform.python_version()}; {versions}; sqlite {_sqlite_version()}",
            "- Command: `.venv/bin/python benchmarks/run.py"
            + "".join(f" {a}" for a in argv)
            + "`"
            + (" (`make bench` runs it without --update-doc)" if argv else " (`make bench`)"),
        ]
    )


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def update_doc(text: str) -> None:
    doc = DOC.read_text("utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOC} has no {BEGIN} ... {END} section to replace.")
    before, rest = doc.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{BEGIN}\n{text}\n{END}{after}", "utf-8")


def run_case(name: str, ctx: Context) -> list[Row]:
    """One case in a fresh interpreter, so no case pays for another's heap (a big heap makes
    the garbage collector slower for everything after it) or imports."""
    out = ctx.work / f"rows-{name}.json"
    argv = [sys.executable, str(Path(__file__).resolve()), "--case", name, "--work", str(ctx.work)]
    if ctx.quick:
        argv.append("--quick")
    if ctx.smoke:
        argv.append("--smoke")
    proc = subprocess.run(argv, check=False)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"benchmark {name!r} failed (exit {proc.returncode})")
    return [Row(**row) for row in json.loads(out.read_text("utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, 20 s timer run")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny data, 2 repetitions, 3 s timer: checks the harness, figures mean nothing",
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(CASES)}")
    parser.add_argument(
        "--update-doc", action="store_true", help="write the table into BENCHMARKS.md"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case here
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Textual's interval timers still pending when a test app closes are reported by asyncio
    # at loop shutdown; they are not errors of the benchmarked code.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    if args.case:
        ctx = Context(quick=args.quick, smoke=args.smoke, work=args.work)
        rows = CASES[args.case](ctx)
        out = args.work / f"rows-{args.case}.json"
        out.write_text(json.dumps([dataclasses.asdict(r) for r in rows]), "utf-8")
        return 0
    raw_argv = sys.argv[1:] if argv is None else argv
    chosen = list(CASES) if not args.only else [c.strip() for c in args.only.split(",")]
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")

    if args.smoke and args.update_doc:
        parser.error("--smoke figures mean nothing; they cannot go into BENCHMARKS.md")
    ctx = Context(quick=args.quick, smoke=args.smoke)
    started = time.time()
    rows: list[Row] = []
    try:
        t = time.perf_counter()
        for name in ("ws10", "ws1", "empty"):
            ctx.workspace(name)
        print(f"Generated workspaces in {time.perf_counter() - t:.1f} s under {ctx.work}")
        for name in chosen:
            t = time.perf_counter()
            print(f"\n== {name} ...", flush=True)
            section = run_case(name, ctx)
            rows += section
            print(plain_table(section))
            print(f"({name}: {time.perf_counter() - t:.0f} s)", flush=True)
        took = time.time() - started
        env = environment(ctx, started, took, raw_argv)
    finally:
        if args.keep:
            print(f"Workspaces kept under {ctx.work}")
        else:
            ctx.cleanup()
    met = sum(1 for r in rows if r.met is True)
    missed = sum(1 for r in rows if r.met is False)
    summary = f"**{met} targets met, {missed} not met** ({len(rows) - met - missed} reported only)."
    print("\n" + env + "\n\n" + table(rows) + "\n\n" + summary)
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in rows]), "utf-8")
    if args.update_doc:
        update_doc(f"{env}\n\n{table(rows)}\n\n{summary}")
        print(f"\nUpdated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
