"""Fixtures for export tests: the sample task force loaded once (read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.storage.workspace import Workspace
from tests.agenda.builders import sample_workspace


@pytest.fixture(scope="module")
def sample_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The sample as written (unshifted). Tests must not change it."""
    root: Path = tmp_path_factory.mktemp("sample") / "ws"
    return sample_workspace(root)
