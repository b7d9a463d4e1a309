"""Crash safety: a writer SIGKILLed at random moments never loses a commit it reported and
never leaves a damaged or half-written file behind."""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace

from ._util import child_env, temp_files, write_script

KILLS = 50

WRITER = """
    import sys
    from pathlib import Path

    from facilitate.domain.meeting import AgendaItem
    from facilitate.domain.roster import Organization
    from facilitate.storage.workspace import Workspace

    root, n, meeting_id, item_id = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    ws = Workspace.open(root)
    print("ready", flush=True)
    while True:
        # One transaction touching two files: collaborative.json and the meeting file.
        with ws.transaction() as tx:
            tx.add(Organization(id=f"org-{n:06d}", name=f"org-{n}"))
            item = tx.get(AgendaItem, item_id, meeting_id)
            item.notes += f"{n}\\n"
            tx.update(item)
        print(n, flush=True)
        n += 1
"""


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            return ""
    return proc.stdout.readline()


def _numbers(ws: Workspace, meeting_id: str, item_id: str) -> tuple[list[int], list[int]]:
    snap = ws.snapshot()
    names = [o.name for o in snap.all(Organization) if o.name.startswith("org-")]
    orgs = sorted(int(name.removeprefix("org-")) for name in names)
    notes = snap.get(AgendaItem, item_id, meeting_id).notes
    return orgs, [int(x) for x in notes.split()]


@pytest.mark.slow
def test_sigkill_loop_loses_nothing_and_damages_nothing(populated, tmp_path: Path) -> None:
    root, mid, iid = populated.root, populated.meeting_id, populated.item_id
    script = write_script(tmp_path, "writer.py", WRITER)
    rng = random.Random(20261122)
    printed: set[int] = set()
    orphans_seen = 0
    next_n = 1

    for kill in range(KILLS):
        stderr_path = tmp_path / f"writer-{kill}.err"
        with open(stderr_path, "w") as stderr:
            proc = subprocess.Popen(
                [sys.executable, str(script), str(root), str(next_n), mid, iid],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=child_env(),
            )
        try:
            ready = _readline(proc, timeout=30)
            assert ready.strip() == "ready", stderr_path.read_text()
            # Killed at a random moment after its first commit, so each run writes something
            # however loaded the machine is (a fixed delay after start-up was sometimes spent
            # before the first commit on a busy machine).
            first = _readline(proc, timeout=30)
            assert first.strip().isdigit(), stderr_path.read_text()
            time.sleep(rng.uniform(0.0, 0.12))
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.stdout is not None
            out = first + proc.stdout.read()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        assert proc.returncode == -signal.SIGKILL, stderr_path.read_text()
        printed.update(int(x) for x in out.split())

        # Every data file is whole JSON even before anyone cleans up.
        for path in [root / "collaborative.json", *sorted((root / "meetings").glob("*.json"))]:
            assert isinstance(json.loads(path.read_bytes()), dict), path
        orphans_seen += len(temp_files(root))

        ws = Workspace.open(root)
        assert temp_files(root) == [], "orphaned temp files survived Workspace.open"
        orgs, notes = _numbers(ws, mid, iid)
        missing = printed - set(orgs)
        assert not missing, f"kill {kill}: committed organizations lost: {sorted(missing)[:10]}"
        missing = printed - set(notes)
        assert not missing, f"kill {kill}: committed notes lost: {sorted(missing)[:10]}"
        # One sequential writer: organizations have no holes, notes never run ahead of them
        # (collaborative.json is written before the meeting file).
        assert orgs == list(range(1, len(orgs) + 1))
        assert set(notes) <= set(orgs)
        assert len(notes) == len(set(notes))
        assert audit.verify(ws.audit_path) == []
        next_n = (orgs[-1] if orgs else 0) + 1

    # The loop really exercised writes (not just start-up and kill).
    assert len(printed) >= KILLS, f"only {len(printed)} commits in {KILLS} runs"
    print(f"{len(printed)} reported commits, {orphans_seen} orphaned temp files cleaned")


def test_open_removes_orphaned_temp_files(populated) -> None:
    root = populated.root
    orphans = [
        root / ".tmp-collaborative.json.12345.678",
        root / "meetings" / ".tmp-mtg-main.json.12345.678",
    ]
    for orphan in orphans:
        orphan.write_bytes(b'{"half": ')
    backup = populated.ws.backup()
    assert backup is not None
    (backup / ".tmp-collaborative.json.1.2").write_bytes(b"partial")
    keep = root / "meetings" / "notes-tmp.txt"  # not ours: left alone
    keep.write_text("x")

    Workspace.open(root)

    assert temp_files(root) == []
    assert keep.exists()
