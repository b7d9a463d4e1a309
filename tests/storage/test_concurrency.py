"""Concurrency: two processes doing read-modify-write never lose an update, readers never see
a half-written file, and an edit made from a stale copy is refused with both versions."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization, Subcommittee
from facilitate.storage import audit
from facilitate.storage.errors import StaleRecordError, UnknownIdError
from facilitate.storage.workspace import Workspace

from ._util import child_env, sha256, tree_hashes, write_script

ROUNDS = 300

INCREMENTER = """
    import sys
    from pathlib import Path

    from facilitate.domain.roster import Subcommittee
    from facilitate.storage.workspace import Workspace

    root, sub_id, tag, rounds = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    ws = Workspace.open(root)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for n in range(rounds):
        with ws.transaction() as tx:
            sub = tx.get(Subcommittee, sub_id)
            sub.charge = str(int(sub.charge) + 1)
            sub.member_ids.append(f"{tag}-{n}")
            tx.update(sub)
    print("done", flush=True)
"""


@pytest.mark.slow
def test_two_processes_lose_no_updates(populated, tmp_path: Path) -> None:
    ws = populated.ws
    with ws.transaction() as tx:
        sub = tx.add(Subcommittee(name="Counter", charge="0"))
    script = write_script(tmp_path, "incrementer.py", INCREMENTER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(populated.root), sub.id, tag, str(ROUNDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for tag in ("a", "b")
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.communicate()[1]

    # Meanwhile a reader polls without the lock: it must always see a whole file and a
    # counter that never goes backwards.
    seen: list[int] = []
    reader_errors: list[BaseException] = []
    stop = threading.Event()

    def poll() -> None:
        reader = Workspace(populated.root)
        while not stop.is_set():
            try:
                seen.append(int(reader.snapshot().get(Subcommittee, sub.id).charge))
            except BaseException as exc:
                reader_errors.append(exc)
                return

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = [proc.communicate(timeout=120) for proc in procs]
    finally:
        stop.set()
        reader.join()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "done"

    final = Workspace.open(populated.root).snapshot().get(Subcommittee, sub.id)
    assert final.charge == str(2 * ROUNDS)
    expected = {f"{tag}-{n}" for tag in ("a", "b") for n in range(ROUNDS)}
    assert len(final.member_ids) == 2 * ROUNDS
    assert set(final.member_ids) == expected
    # Each process's own updates stay in order.
    for tag in ("a", "b"):
        mine = [m for m in final.member_ids if m.startswith(f"{tag}-")]
        assert mine == [f"{tag}-{n}" for n in range(ROUNDS)]
    assert final.rev == 1 + 2 * ROUNDS

    assert reader_errors == []
    assert seen, "the reader never got a snapshot"
    assert seen == sorted(seen)

    # The audit log was appended under the same lock: one intact line per update.
    entries = audit.read(populated.ws.audit_path)
    updates = [e for e in entries if e.get("op") == "update" and e.get("id") == sub.id]
    assert len(updates) == 2 * ROUNDS
    assert audit.verify(populated.ws.audit_path) == []


def test_stale_update_is_refused_with_both_versions(populated) -> None:
    ws = populated.ws
    mine = ws.snapshot().get(Organization, populated.org_id)
    theirs = ws.snapshot().get(Organization, populated.org_id)
    theirs.name = "Saved by a colleague"
    with ws.transaction() as tx:
        tx.update(theirs)
    stored_before = sha256(populated.collab)
    log_before = sha256(ws.audit_path)

    mine.name = "My stale edit"
    with pytest.raises(StaleRecordError) as info, ws.transaction() as tx:
        tx.update(mine)

    err = info.value
    assert err.mine is mine
    assert err.mine.name == "My stale edit"
    assert err.mine.rev == 1
    assert isinstance(err.theirs, Organization)
    assert err.theirs.name == "Saved by a colleague"
    assert err.theirs.rev == 2
    assert err.kind == "Organization"
    assert err.record_id == populated.org_id
    assert "rev 1" in str(err) and "rev 2" in str(err)
    assert "Nothing was overwritten" in str(err)
    assert sha256(populated.collab) == stored_before
    assert sha256(ws.audit_path) == log_before
    stored = ws.snapshot().get(Organization, populated.org_id)
    assert (stored.name, stored.rev) == ("Saved by a colleague", 2)


def test_stale_update_in_meeting_file_is_refused(populated) -> None:
    ws, mid, iid = populated.ws, populated.meeting_id, populated.item_id
    mine = ws.snapshot().get(AgendaItem, iid, mid)
    with ws.transaction() as tx:
        other = tx.get(AgendaItem, iid, mid)
        other.notes = "colleague's notes"
        tx.update(other)
    before = sha256(populated.meeting_file)
    mine.notes = "my notes"
    with pytest.raises(StaleRecordError) as info, ws.transaction() as tx:
        tx.update(mine)
    assert info.value.theirs.notes == "colleague's notes"
    assert info.value.mine.notes == "my notes"
    assert sha256(populated.meeting_file) == before


def test_stale_delete_is_refused(populated) -> None:
    ws = populated.ws
    stale = ws.snapshot().get(Organization, populated.org_id)
    with ws.transaction() as tx:
        fresh = tx.get(Organization, populated.org_id)
        fresh.name = "Edited meanwhile"
        tx.update(fresh)
    before = tree_hashes(populated.root)
    with pytest.raises(StaleRecordError) as info, ws.transaction() as tx:
        tx.delete(stale)
    assert info.value.theirs.name == "Edited meanwhile"
    assert tree_hashes(populated.root) == before
    assert ws.snapshot().find(Organization, populated.org_id) is not None


def test_update_of_deleted_record_is_unknown_id(populated) -> None:
    ws = populated.ws
    org = ws.snapshot().get(Organization, populated.org_id)
    with ws.transaction() as tx:
        tx.delete(tx.get(Organization, populated.org_id))
    before = sha256(populated.collab)
    with pytest.raises(UnknownIdError), ws.transaction() as tx:
        tx.update(org)
    assert sha256(populated.collab) == before


def test_transaction_reads_fresh_data_not_a_cached_copy(populated) -> None:
    """Two Workspace handles (as two app instances would have): each transaction sees the
    other's last commit, and revs keep counting."""
    a = Workspace.open(populated.root)
    b = Workspace.open(populated.root)
    a.snapshot().all(Organization)  # warm a's read cache
    for n in range(5):
        ws = a if n % 2 == 0 else b
        with ws.transaction() as tx:
            org = tx.get(Organization, populated.org_id)
            org.name = f"edit {n}"
            tx.update(org)
        other = b if ws is a else a
        seen = other.snapshot().get(Organization, populated.org_id)
        assert (seen.name, seen.rev) == (f"edit {n}", n + 2)
    data = json.loads(populated.collab.read_text())
    assert [d["name"] for d in data["organizations"].values()] == ["edit 4"]
