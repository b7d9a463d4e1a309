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
