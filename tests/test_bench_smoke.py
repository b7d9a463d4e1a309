"""The benchmark harness cannot rot: `benchmarks/run.py --smoke` runs every case end to end on
tiny data and produces a row with numbers for each figure. Nothing here says anything about
speed: the smoke figures mean nothing and no assertion looks at their size."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Every figure BENCHMARKS.md reports, by the start of its case label.
EXPECTED = {
    "1. Start-up": 1,
    "1b. Start-up": 1,
    "2. Save '": 10,  # 5 operations x (vs empty, vs sqlite3)
    "2. Anchor: stock TinyDB": 5,
    "3. Key to screen": 10,  # next item: into a case review apart; next speaker, start round
    "3. Type into notes": 1,
    "3. Stock-Textual floor": 9,  # benchmarks/_floors.py
    "Between meetings": 4,
    "4. Minutes": 3,
    "4. Action tracker as": 2,
    "4. Search": 2,
    "4. Airtime trends": 2,  # benchmarks/bench_airtime.py
    "5. Peak RSS": 1,
    "6. Timer: displayed": 1,
    "6. Timer drift": 1,
    "7. Agenda import": 3,  # benchmarks/bench_import.py
    "8. Annual report": 4,  # benchmarks/bench_report.py
}


def test_every_benchmark_case_produces_numbers(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(out.read_text("utf-8"))

    for prefix, count in EXPECTED.items():
        found = [r for r in rows if r["case"].startswith(prefix)]
        assert len(found) == count, (prefix, [r["case"] for r in found])
    assert len(rows) == sum(EXPECTED.values())

    for row in rows:
        assert any(ch.isdigit() for ch in row["figure"]), row
        assert row["baseline"].strip(), row
        if row["ratio"] is not None:
            assert math.isfinite(row["ratio"]) and row["ratio"] > 0, row
        # A row with a target says whether it was met; a reported-only row says nothing.
        assert (row["met"] is None) == (row["target"].startswith("(reported")), row

    # The printed table and summary are what `make bench` shows.
    assert "| Case | Figure (median / p95) | Baseline, same run | Ratio | Target | Met |" in (
        proc.stdout
    )
    assert "targets met" in proc.stdout
    # It cleans up after itself.
    assert not list(tmp_path.glob("facilitate-bench-*"))


def test_smoke_figures_never_reach_the_results_document(tmp_path: Path) -> None:
    before = (ROOT / "BENCHMARKS.md").read_bytes()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--update-doc"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "cannot go into BENCHMARKS.md" in proc.stderr
    assert (ROOT / "BENCHMARKS.md").read_bytes() == before
