"""Fixtures for the storage tests: a small populated workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest

from facilitate.domain.meeting import AgendaItem, ItemKind, Meeting
from facilitate.domain.roster import Organization, Profile
from facilitate.storage.workspace import Workspace


@dataclass
class Populated:
    ws: Workspace
    root: Path
    org_id: str
    meeting_id: str
    item_id: str
    secret_item_id: str

    @property
    def collab(self) -> Path:
        return self.ws.collaborative_path

    @property
    def meeting_file(self) -> Path:
        return self.ws.meeting_path(self.meeting_id)


def populate(root: Path) -> Populated:
    ws = Workspace.create(root)
    start = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")
    with ws.transaction() as tx:
        tx.add(Profile(name="Harbour Task Force"))
        org = tx.add(Organization(name="City Shelter"))
        meeting = tx.add(
            Meeting(id="mtg-main", title="November plenary", start=start, end=start.add(hours=2))
        )
        item = tx.add(AgendaItem(meeting_id=meeting.id, title="Welcome", position=1))
        secret = tx.add(
            AgendaItem(
                meeting_id=meeting.id,
                title="Case of Jane Roe at Pier 7",
                kind=ItemKind.CASE_REVIEW,
                position=2,
            )
        )
    return Populated(ws, root, org.id, meeting.id, item.id, secret.id)


@pytest.fixture
def populated(ws_path: Path) -> Populated:
    return populate(ws_path)


def meetings_workspace(
    root: Path, meetings: int, *, actions: int = 1, closed: int = 0
) -> Workspace:
    """A workspace with ``meetings`` weekly meetings (mtg-000, mtg-001, ...), each with
    ``actions`` action items of which the first ``closed`` are done."""
    from facilitate.domain.actions import ActionItem, ActionStatus

    ws = Workspace.create(root)
    start = pendulum.datetime(2026, 1, 8, 15, 0, tz="UTC")
    with ws.transaction() as tx:
        tx.add(Profile(name="Harbour Task Force"))
        for n in range(meetings):
            at = start.add(weeks=n)
            mid = f"mtg-{n:03d}"
            tx.add(Meeting(id=mid, title=f"Meeting {n}", start=at, end=at.add(hours=2)))
            for k in range(actions):
                action = ActionItem(
                    meeting_id=mid,
                    text=f"Follow up {n}.{k}",
                    owner_id="mem-1",
                    due_next_meeting=True,
                )
                if k < closed:
                    action.status = ActionStatus.DONE
                tx.add(action)
    return ws


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every data file actually parsed (read cache misses), in order."""
    from facilitate.storage import cache as cache_module

    seen: list[Path] = []
    real = cache_module.read_json

    def counting(path: Path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(cache_module, "read_json", counting)
    return seen
