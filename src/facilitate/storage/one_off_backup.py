"""A copy of one file taken before a one-off change (such as freezing an older meeting's record)."""

from __future__ import annotations

from pathlib import Path

import pendulum

from .atomic import atomic_write_bytes, read_bytes_nofollow
from .errors import StorageError
from .workspace import Workspace


def backup_file(ws: Workspace, path: Path, label: str) -> Path:
    """Copy ``path`` into backups/<label>-<stamp>/ (never rotated away, like the pre-migration
    copies). Call under the workspace lock."""
    stamp = pendulum.now("UTC").format("YYYYMMDD-HHmmss-SSSSSS")
    target = ws.backups_dir / f"{label}-{stamp}"
    original = read_bytes_nofollow(path)
    if original is None:
        raise StorageError(f"{path} disappeared before its backup; nothing was changed.")
    ws._ensure_dir(ws.backups_dir)
    ws._ensure_dir(target)
    atomic_write_bytes(target / path.name, original, ws.file_mode, nofollow_dir=True)
    return target / path.name
