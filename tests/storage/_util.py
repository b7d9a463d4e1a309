"""Plain helpers shared by the storage tests (fixtures live in conftest.py)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from facilitate.storage.atomic import TEMP_PREFIX

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every regular file under ``root`` (relative path -> hash)."""
    out = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(root))] = sha256(path)
    return out


def temp_files(root: Path) -> list[Path]:
    """Leftover atomic-write temp files anywhere in the workspace."""
    return sorted(p for p in Path(root).rglob(f"{TEMP_PREFIX}*"))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def child_env() -> dict[str, str]:
    """The environment for a child Python: same interpreter, facilitate importable."""
    env = dict(os.environ)
    parts = [str(SRC), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def write_script(directory: Path, name: str, source: str) -> Path:
    path = Path(directory) / name
    path.write_text(textwrap.dedent(source), "utf-8")
    return path


def run_python(script: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=timeout,
        check=False,
    )
