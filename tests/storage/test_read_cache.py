"""The snapshot read cache: bounded, and not flushed by a pass over every meeting.

A pass over more meetings than the cache holds (home, history and tracker read every meeting)
must not evict the files in use (the roster, the running meeting) nor keep every parsed file
alive in the snapshot."""

from __future__ import annotations

from pathlib import Path

from facilitate.storage.workspace import CACHED_FILES, Workspace

from .conftest import meetings_workspace


def _workspace(root: Path, meetings: int) -> Workspace:
    return meetings_workspace(root, meetings)


def test_a_long_pass_keeps_the_files_in_use_cached(tmp_path: Path, parses) -> None:
    ws = _workspace(tmp_path / "ws", CACHED_FILES + 5)
    hot = ws.meeting_path("mtg-003")
    ws.snapshot().bundle("mtg-003")  # the running meeting, polled every second
    ws.snapshot().profile()
    parses.clear()

    tx = ws.snapshot()
    assert len(tx.meetings()) == CACHED_FILES + 5
    assert len(tx.all_actions()) == CACHED_FILES + 5
    # The snapshot keeps none of the passed files open ...
    assert tx._files == {}
    # ... and the cache still holds the running meeting and the roster, and no more than before.
    assert hot in ws._cache and ws.collaborative_path in ws._cache
    assert len(ws._cache) == 2
    parses.clear()
    ws.snapshot().bundle("mtg-003")
    ws.snapshot().profile()
    assert parses == []  # both served from the cache


def test_a_short_pass_is_cached(tmp_path: Path, parses) -> None:
    ws = _workspace(tmp_path / "ws", CACHED_FILES - 2)
    ws.snapshot().meetings()
    parses.clear()
    tx = ws.snapshot()
    assert [m.id for m in tx.meetings()] == [f"mtg-{n:03d}" for n in range(CACHED_FILES - 2)]
    assert len(tx.all_actions()) == CACHED_FILES - 2
    assert parses == []


def test_the_cache_stays_bounded(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", CACHED_FILES + 5)
    for n in range(CACHED_FILES + 5):
        ws.snapshot().bundle(f"mtg-{n:03d}")
    assert len(ws._cache) == CACHED_FILES
    assert ws.meeting_path(f"mtg-{CACHED_FILES + 4:03d}") in ws._cache  # newest kept
    assert ws.meeting_path("mtg-000") not in ws._cache  # oldest gone


def test_a_file_the_snapshot_already_opened_stays_open(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", CACHED_FILES + 5)
    tx = ws.snapshot()
    before = tx.bundle("mtg-004")
    tx.meetings()
    assert list(tx._files) == [ws.meeting_path("mtg-004")]
    assert tx.bundle("mtg-004").meeting == before.meeting


def test_a_writable_transaction_reads_every_meeting_as_before(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", CACHED_FILES + 5)
    with ws.transaction() as tx:
        meetings = tx.meetings()
        meetings[0].title = "Renamed"
        tx.update(meetings[0])
    assert ws.snapshot().meetings()[0].title == "Renamed"
