"""Injected faults: a failing fsync, replace or write, and a full disk. The original file stays
byte-for-byte the same, no temp file is left behind, and the user gets a DiskWriteError that
says what happened and what to do (not a raw OSError)."""

from __future__ import annotations

import errno
import os

import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization
from facilitate.storage import atomic, audit
from facilitate.storage.errors import DiskWriteError
from facilitate.storage.workspace import Workspace

from ._util import run_python, sha256, temp_files, tree_hashes, write_script


def _fail(err: int, message: str):
    def failing(*args, **kwargs):
        raise OSError(err, message)

    return failing


FAULTS = {
    "fsync": ("fsync", errno.EIO, "Input/output error"),
    "replace": ("replace", errno.EACCES, "Permission denied"),
    "write": ("write", errno.ENOSPC, "No space left on device"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_failing_syscall_in_collaborative_commit_changes_nothing(
    populated, monkeypatch, fault
) -> None:
    name, err, message = FAULTS[fault]
    before = tree_hashes(populated.root)
    org = populated.ws.snapshot().get(Organization, populated.org_id)
    org.name = "Renamed Shelter"
    monkeypatch.setattr(os, name, _fail(err, message))

    with pytest.raises(DiskWriteError) as info, populated.ws.transaction() as tx:
        tx.update(org)
        tx.add(Organization(name="New Partner"))
    monkeypatch.undo()

    text = str(info.value)
    assert isinstance(info.value, FacilitateError)  # shown to the user without a traceback
    # The intent line is written first: a failing syscall stops the save there or at the data.
    assert "Could not save collaborative.json" in text or "Could not save audit.log" in text
    assert message in text
    assert "Nothing was changed on disk" in text
    assert "try again" in text
    if err == errno.ENOSPC:
        assert "free some disk space" in text
    assert isinstance(info.value.__cause__, OSError)
    # Byte-for-byte unchanged (data, meeting and audit log), and no temp file behind.
    assert tree_hashes(populated.root) == before
    assert temp_files(populated.root) == []
    names = [o.name for o in populated.ws.snapshot().all(Organization)]
    assert names == ["City Shelter"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_failing_syscall_in_meeting_commit_changes_nothing(populated, monkeypatch, fault) -> None:
    name, err, message = FAULTS[fault]
    meeting_file = populated.meeting_file
    before = sha256(meeting_file)
    log_before = sha256(populated.ws.audit_path)
    monkeypatch.setattr(os, name, _fail(err, message))

    expected = r"Could not save (mtg-main\.json|audit\.log)"  # (the intent comes first)
    with pytest.raises(DiskWriteError, match=expected), populated.ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "typed during the meeting"
        tx.update(item)
    monkeypatch.undo()

    assert sha256(meeting_file) == before
    assert sha256(populated.ws.audit_path) == log_before
    assert temp_files(populated.root) == []


def test_same_objects_can_be_saved_again_after_a_failed_commit(populated, monkeypatch) -> None:
    """The error says 'try again': the edited record must not now look stale."""
    org = populated.ws.snapshot().get(Organization, populated.org_id)
    new = Organization(name="Harbour Police")
    org.name = "City Shelter (night)"
    monkeypatch.setattr(os, "fsync", _fail(errno.EIO, "Input/output error"))
    with pytest.raises(DiskWriteError), populated.ws.transaction() as tx:
        tx.update(org)
        tx.add(new)
    monkeypatch.undo()
    assert org.rev == 1
    assert new.rev == 0

    with populated.ws.transaction() as tx:
        tx.update(org)
        tx.add(new)

    snap = populated.ws.snapshot()
    assert snap.get(Organization, org.id).name == "City Shelter (night)"
    assert snap.get(Organization, org.id).rev == 2
    assert snap.get(Organization, new.id).rev == 1


def test_exception_inside_transaction_writes_nothing(populated) -> None:
    before = tree_hashes(populated.root)
    org = populated.ws.snapshot().get(Organization, populated.org_id)
    org.name = "Never saved"
    with pytest.raises(RuntimeError, match="boom"), populated.ws.transaction() as tx:
        tx.update(org)
        tx.add(Organization(name="Also never saved"))
        raise RuntimeError("boom")
    assert tree_hashes(populated.root) == before
    assert org.rev == 1  # the caller's copy is still current
    with populated.ws.transaction() as tx:
        tx.update(org)
    assert populated.ws.snapshot().get(Organization, org.id).name == "Never saved"


def test_atomic_write_of_new_file_failing_leaves_no_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "new.json"
    monkeypatch.setattr(os, "fsync", _fail(errno.EIO, "Input/output error"))
    with pytest.raises(DiskWriteError):
        atomic.atomic_write_bytes(target, b"{}")
    assert list(tmp_path.iterdir()) == []


def test_audit_append_failing_midway_leaves_no_half_line(populated, monkeypatch) -> None:
    log = populated.ws.audit_path
    before = sha256(log)
    real_write = os.write
    calls = []

    def half_then_full(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    entry = {"op": "add", "kind": "Organization", "id": "org-x", "rev": 1, "summary": "x"}
    with pytest.raises(DiskWriteError, match="free some disk space"):
        audit.append(log, [entry], "2026-11-22T09:00:00+00:00")
    monkeypatch.undo()

    assert len(calls) == 2
    assert sha256(log) == before
    assert audit.verify(log) == []


FULL_DISK_CHILD = """
    import resource
    import signal
    import sys
    from pathlib import Path

    from facilitate.domain.meeting import AgendaItem
    from facilitate.domain.roster import Organization
    from facilitate.storage.errors import DiskWriteError
    from facilitate.storage.workspace import Workspace

    root, target = Path(sys.argv[1]), sys.argv[2]
    ws = Workspace.open(root)
    snap = ws.snapshot()
    org = snap.get(Organization, sys.argv[3])
    item = snap.get(AgendaItem, sys.argv[4], sys.argv[5])
    # Files may not grow past 16 KiB from now on; a bigger write fails with EFBIG.
    limit = 16 * 1024
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        with ws.transaction() as tx:
            if target == "collaborative":
                org.name = "Big " * 40
                tx.update(org)
                for n in range(300):
                    tx.add(Organization(name=f"Partner organisation number {n}"))
            else:
                item.notes = "minute-taking " * 5000
                tx.update(item)
    except DiskWriteError as exc:
        print("DiskWriteError:", exc)
        sys.exit(0)
    print("no error")
    sys.exit(3)
"""


@pytest.mark.parametrize("target", ["collaborative", "meeting"])
def test_full_disk_via_rlimit_fsize(populated, tmp_path, target) -> None:
    script = write_script(tmp_path, "full_disk.py", FULL_DISK_CHILD)
    before = tree_hashes(populated.root)

    result = run_python(
        script,
        str(populated.root),
        target,
        populated.org_id,
        populated.item_id,
        populated.meeting_id,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    name = "collaborative.json" if target == "collaborative" else "mtg-main.json"
    # The intent line (which lists the changes) is written first: the limit stops it or the data.
    assert any(f"DiskWriteError: Could not save {n}" in result.stdout for n in (name, "audit.log"))
    assert "free some disk space" in result.stdout  # EFBIG is recognised as "disk full"
    assert tree_hashes(populated.root) == before
    assert temp_files(populated.root) == []
    # Still a perfectly usable workspace.
    ws = Workspace.open(populated.root)
    assert ws.snapshot().get(Organization, populated.org_id).name == "City Shelter"
