"""Writing exported files: private by default, never overwriting without --force."""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.common import FacilitateError
from ..storage.atomic import atomic_write_bytes


def write_export(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` as 0600. Refuses to replace an existing file unless ``force``."""
    path = Path(path)
    if path.is_dir():
        raise FacilitateError(f"{path} is a folder: give a file name with -o.")
    if (path.exists() or path.is_symlink()) and not force:
        raise FacilitateError(f"{path} already exists: choose another name or add --force.")
    if not path.parent.exists():
        raise FacilitateError(f"Folder {path.parent} does not exist: create it first.")
    if path.is_symlink():
        os.unlink(path)
    atomic_write_bytes(path, data, 0o600)
    return path
