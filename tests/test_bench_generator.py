"""The benchmark workspace generator keeps its promises (counted from the files, at 1 year)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.make_workspace import expected_counts, make_workspace

from facilitate.domain.meeting import MeetingStatus
from facilitate.services.check import check_workspace
from facilitate.storage.workspace import Workspace


def test_one_year_has_the_scaled_counts_and_is_valid(tmp_path: Path) -> None:
    info = make_workspace(tmp_path / "ws", years=1, seed=3, large_meeting=True)
    promised = {
        "meetings": 12,
        "agenda_items": 180,
        "attendance": 240,
        "decisions": 60,
        "actions": 100,
        "members": 30,
        "organizations": 6,
    }
    assert expected_counts(1) == promised
    assert expected_counts(10)["actions"] == 1000
    assert info.counts == promised

    tx = Workspace.open(info.root).snapshot()
    past = [
        m
        for m in tx.meetings()
        if m.status is MeetingStatus.ENDED and m.id not in (info.large_id, info.upcoming_id)
    ]
    bundles = [tx.bundle(m.id) for m in past]
    roster = tx.roster()
    found = {
        "meetings": len(past),
        "agenda_items": sum(len(b.items) for b in bundles),
        "attendance": sum(len(b.attendance) for b in bundles),
        "decisions": sum(len(b.decisions) for b in bundles),
        "actions": sum(len(b.actions) for b in bundles),
        "members": len(roster.members),
        "organizations": len(roster.organizations),
    }
    assert found == promised
    assert any(len(i.notes) > 200 for b in bundles for i in b.items)
    large = tx.bundle(info.large_id or "")
    counts = (len(large.items), len(large.attendance), len(large.decisions), len(large.actions))
    assert counts == (40, 30, 50, 100)  # 60 attendees need 60 members: one year has 30
    upcoming = tx.bundle(info.upcoming_id or "").meeting
    assert upcoming.status is MeetingStatus.PLANNED
    assert check_workspace(info.root) == []


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = make_workspace(tmp_path / "a", years=1, seed=5)
    b = make_workspace(tmp_path / "b", years=1, seed=5)
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*.json"))
    files_b = sorted(p.relative_to(b.root) for p in b.root.rglob("*.json"))
    assert files_a == files_b
    for rel in files_a:
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes()
