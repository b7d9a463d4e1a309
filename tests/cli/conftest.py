"""Fixtures the CLI tests share: the sample task force made once per module with the real
`facilitate init --sample`, and a private copy of it for each test to damage or change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from facilitate.cli import main


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace, made once per module: never change it (use ``data``)."""
    root = tmp_path_factory.mktemp("sample") / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    return root


@pytest.fixture
def data(sample: Path, tmp_path: Path) -> Path:
    """A private (0700) copy of the sample workspace for one test."""
    root = tmp_path / "ws"
    shutil.copytree(sample, root)
    root.chmod(0o700)
    return root
