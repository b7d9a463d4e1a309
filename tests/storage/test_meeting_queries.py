"""``meetings(statuses)`` and ``last_meeting(status)``: the same answers as filtering every
decoded meeting, whether read from the index or the files, while decoding only what is asked
for (the home screen wants the planned meeting and the last one held, of 120)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitate.domain.meeting import Meeting, MeetingStatus
from facilitate.storage.errors import CorruptFileError
from facilitate.storage.workspace import Workspace

from .conftest import meetings_workspace

STATUSES = {0: "ended", 1: "ended", 2: "ended", 3: "live", 4: "planned", 5: "planned"}


def _workspace(root: Path) -> Workspace:
    ws = meetings_workspace(root, len(STATUSES))
    with ws.transaction() as tx:
        for n, status in STATUSES.items():
            m = tx.get(Meeting, f"mtg-{n:03d}")
            m.status = MeetingStatus(status)
            tx.update(m)
    ws.write_index = True
    ws.snapshot().meetings()  # writes the index
    return ws


def _full(ws: Workspace, statuses: set[MeetingStatus]) -> list[str]:
    return [m.id for m in ws.snapshot().meetings() if m.status in statuses]


@pytest.mark.parametrize("writable", [False, True])
def test_filtered_meetings_and_the_last_held_match_a_full_read(tmp_path: Path, writable) -> None:
    ws = _workspace(tmp_path / "ws")
    if writable:
        with ws.transaction() as tx:
            upcoming = [m.id for m in tx.meetings({MeetingStatus.LIVE, MeetingStatus.PLANNED})]
            last = tx.last_meeting(MeetingStatus.ENDED)
            none = tx.meetings(set())
    else:
        tx = ws.snapshot()
        upcoming = [m.id for m in tx.meetings({MeetingStatus.LIVE, MeetingStatus.PLANNED})]
        last = tx.last_meeting(MeetingStatus.ENDED)
        none = tx.meetings(set())
    assert upcoming == _full(ws, {MeetingStatus.LIVE, MeetingStatus.PLANNED})
    assert upcoming == ["mtg-003", "mtg-004", "mtg-005"]
    assert last is not None and last.id == "mtg-002"
    assert none == []


def test_only_what_is_asked_for_is_decoded(tmp_path: Path, monkeypatch) -> None:
    ws = _workspace(tmp_path / "ws")
    from facilitate.storage import workspace as workspace_module

    decoded: list[str] = []
    real = workspace_module.Transaction._decode

    def counting(self, cls, doc, where):
        if cls is Meeting:
            decoded.append(doc["id"])
        return real(self, cls, doc, where)

    monkeypatch.setattr(workspace_module.Transaction, "_decode", counting)
    tx = ws.snapshot()
    tx.meetings({MeetingStatus.PLANNED})
    assert decoded == ["mtg-004", "mtg-005"]
    decoded.clear()
    assert tx.last_meeting(MeetingStatus.ENDED).id == "mtg-002"  # type: ignore[union-attr]
    assert decoded == ["mtg-002"]


def test_a_start_in_another_form_is_compared_by_its_value(tmp_path: Path) -> None:
    """A start written by hand with an offset (not the codec's UTC form) still counts."""
    ws = _workspace(tmp_path / "ws")
    path = ws.meeting_path("mtg-000")
    data = json.loads(path.read_text())
    doc = next(iter(data["meeting"].values()))
    # 19:00 UTC on the day of mtg-002 (15:00 UTC): later, though it sorts earlier as text.
    doc["start"] = "2026-01-22T14:00:00-05:00"
    doc["end"] = "2026-01-22T16:00:00-05:00"
    path.write_text(json.dumps(data))
    assert ws.snapshot().last_meeting(MeetingStatus.ENDED).id == "mtg-000"  # type: ignore[union-attr]


def test_an_unknown_status_is_still_reported(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    path = ws.meeting_path("mtg-001")
    data = json.loads(path.read_text())
    next(iter(data["meeting"].values()))["status"] = "postponed-forever"
    path.write_text(json.dumps(data))
    with pytest.raises(CorruptFileError, match="mtg-001"):
        ws.snapshot().meetings({MeetingStatus.PLANNED})
