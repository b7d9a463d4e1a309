"""7. Agenda import (`facilitate agenda import`): read, parse, plan and write generated agendas
of 100, 500, 1,000 and 2,000 items (the limit) into the planned meeting of the empty workspace.

Each agenda is shaped like the corpus in tests/data/agendas: a legend and meeting details to
skip, sections with numbered items (durations, presenters, a range, a nested note), timebox
tables, an HTML comment and a case-review section. The workspace is copied before every
import (not timed) so each import replaces the same 11-item agenda; the workspace is opened
before the clock starts (opening costs the same whatever the agenda's size).

Linear time: the time per item at 2,000 items over the time per item at 100 (target <= 2x),
measured interleaved in the same run. The 500-item import is reported against 1 s (wall
clock, median), with its CPU time beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks._common import Context, Row, Stats, interleaved, ms
from facilitate.agenda.importer import import_agenda, parse_agenda_bytes
from facilitate.storage.workspace import Workspace

SIZES = (100, 500, 1000, 2000)
LINEAR_TARGET = 2.0
FIVE_HUNDRED_TARGET = 1.0  # seconds


def agenda(items: int) -> bytes:
    """A generated agenda with exactly ``items`` items."""
    out = [
        "# Regional task force meeting",
        "",
        "- Host: Justice Center",
        "- Dial-in: shared by email",
        "",
        "| Emoji | Meaning |",
        "|---|---|",
        "| 🔒 | Restricted: members only |",
        "",
        "## Agenda",
        "",
    ]
    made = 0
    section = 0
    while made < items:
        section += 1
        block = min(10, items - made)
        if section % 5 == 0:
            out += [f"## Case review {section}", ""]
            out += [f"- Case {section}-{n}: service coordination (10m) - Bo" for n in range(block)]
        elif section % 2 == 0:
            out += [f"### Timeboxed discussions {section}", "", "| Timebox | Topic | Presenter |"]
            out += ["|---|---|---|"]
            out += [f"| 10-15m | Topic {section}.{n} ([slides](https://e.org)) | Ana Ruiz |"
                    for n in range(block)]  # fmt: skip
        else:
            out += [f"### Section {section}", "", f"<!-- 1. Dropped item {section} (5m) -->"]
            for n in range(block):
                out.append(f"{n + 1}. Partner update {section}.{n} (5m) - Dr. Farah Nasser")
                if n == 0:
                    out.append("   - bring the quarterly figures")
        out.append("")
        made += block
    return "\n".join(out).encode("utf-8")


def _import(ctx: Context, data: bytes, label: str, cpu: list[float]) -> Callable[[], float]:
    def run() -> float:
        root = ctx.copy("empty", label)
        ws = Workspace.open(root)
        start, start_cpu = time.perf_counter(), time.process_time()
        parsed = parse_agenda_bytes(data, f"{label}.md")
        import_agenda(ws, parsed, ctx.upcoming_id)
        took = time.perf_counter() - start
        cpu.append(time.process_time() - start_cpu)
        if len(parsed.items) != int(label):
            raise RuntimeError(f"generated {label} items, read {len(parsed.items)}")
        return took

    return run


def measure(ctx: Context) -> tuple[dict[int, Stats], dict[int, Stats]]:
    """Wall-clock and CPU time of each size's imports."""
    cpu: dict[int, list[float]] = {n: [] for n in SIZES}
    cases = {str(n): _import(ctx, agenda(n), str(n), cpu[n]) for n in SIZES}
    stats = interleaved(cases, ctx.reps(10))
    return {int(k): v for k, v in stats.items()}, {n: Stats(tuple(v)) for n, v in cpu.items()}


def run(ctx: Context) -> list[Row]:
    s, cpu = measure(ctx)
    per = {n: Stats(tuple(x / n for x in s[n].samples)) for n in SIZES}

    def per_item(stat: Stats) -> str:
        return f"{stat.median * 1e6:.0f} µs / {stat.p95 * 1e6:.0f} µs per item"

    ratio = per[2000].median / per[100].median
    rows = [
        Row(
            "7. Agenda import: time per item at 2,000 items (the limit) vs at 100",
            per_item(per[2000]),
            f"100 items: {per_item(per[100])}",
            ratio,
            "median",
            f"<= {LINEAR_TARGET:.0f}x",
            ratio <= LINEAR_TARGET,
            f"whole imports: 2,000 in {ms(s[2000].median)}, 100 in {ms(s[100].median)}; "
            f"n={s[2000].n}",
        ),
        Row(
            "7. Agenda import: time per item at 1,000 items vs at 100",
            per_item(per[1000]),
            f"100 items: {per_item(per[100])}",
            per[1000].median / per[100].median,
            "median",
            "(reported)",
            None,
            f"whole import: {ms(s[1000].median)}",
        ),
        Row(
            "7. Agenda import of 500 items (parse, plan, write)",
            f"{ms(s[500].median)} / {ms(s[500].p95)}",
            f"{FIVE_HUNDRED_TARGET:.0f} s",
            s[500].median / FIVE_HUNDRED_TARGET,
            "median",
            "< 1 s",
            s[500].median < FIVE_HUNDRED_TARGET,
            f"CPU time of the process {ms(cpu[500].median)} (median; wall time includes waiting "
            "for a CPU on a loaded machine and the fsyncs)",
        ),
    ]
    return rows


if __name__ == "__main__":  # a quick look without the harness: python -m benchmarks.bench_import
    import sys

    context = Context(quick="--quick" in sys.argv)
    try:
        for row in run(context):
            print(f"{row.case}: {row.figure} (baseline {row.baseline}; {row.ratio_text()})")
    finally:
        context.cleanup()
