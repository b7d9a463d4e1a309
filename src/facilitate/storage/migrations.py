"""Schema versions and the steps that upgrade older files.

Each step takes a whole file's data (TinyDB tables) at version N and returns it at N + 1.
A file is backed up before any step runs.

Callers read ``SCHEMA_VERSION`` and ``MIGRATIONS`` through this module at call time (never via
``from .migrations import SCHEMA_VERSION``) so there is exactly one place that says which
version the program writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1

Data = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Data], Data]] = {}


def current_version() -> int:
    return SCHEMA_VERSION


def migrate(data: Data, found: int, target: int | None = None) -> Data:
    """Run the steps from ``found`` up to ``target`` (default: the current schema version)."""
    if target is None:
        target = SCHEMA_VERSION
    for version in range(found, target):
        step = MIGRATIONS.get(version)
        if step is None:
            raise KeyError(f"no migration from schema {version} to {version + 1}")
        data = step(data)
    return data
