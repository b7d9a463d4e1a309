"""Schema versions and the steps that upgrade older files.

Each step takes a whole file's data (TinyDB tables) at version N and returns it at N + 1.
A file is backed up before any step runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1

Data = dict[str, Any]
MIGRATIONS: dict[int, Callable[[Data], Data]] = {}


def migrate(data: Data, found: int, target: int = SCHEMA_VERSION) -> Data:
    for version in range(found, target):
        step = MIGRATIONS.get(version)
        if step is None:
            raise KeyError(f"no migration from schema {version} to {version + 1}")
        data = step(data)
    return data
