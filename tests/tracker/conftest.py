"""Fixtures for the between-meetings services: the sample workspace and a fixed "now"."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pendulum
import pytest

from facilitate.services.sample import load_sample
from facilitate.storage.workspace import Workspace

# Five minutes before the sample's upcoming meeting (10 Dec 2026, 10:00 in Chicago).
NOW = pendulum.datetime(2026, 12, 10, 15, 55, tz="UTC")


@pytest.fixture
def sample(tmp_path: Path) -> Workspace:
    ws = Workspace.create(tmp_path / "ws")
    load_sample(ws)
    return ws


def digest(root: Path) -> dict[str, str]:
    """sha256 of every file in a workspace (the lock file and backups aside)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != ".lock" and "backups" not in path.parts:
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
