"""Layers point one way: nothing below the UI pulls in textual or rich, and only
facilitate.storage imports tinydb."""

from __future__ import annotations

import importlib.util
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "facilitate"
NON_UI = ["domain", "storage", "services", "agenda", "minutes", "tracker", "collab", "report"]


def _modules() -> list[str]:
    """Every module of the non-UI packages, found on disk so new modules are covered."""
    found = []
    for name in NON_UI:
        package = f"facilitate.{name}"
        if importlib.util.find_spec(package) is None:
            continue
        path = PACKAGE / name
        found.append(package)
        for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
            found.append(info.name)
    return sorted(found)


MODULES = _modules()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    )
    return env


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_discovery_finds_the_core_modules() -> None:
    for expected in (
        "facilitate.domain.meeting",
        "facilitate.storage.workspace",
        "facilitate.storage.atomic",
        "facilitate.services.output",
    ):
        assert expected in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_non_ui_module_does_not_import_textual_or_rich(module: str) -> None:
    out = _run(f"import {module}, sys; print('textual' in sys.modules or 'rich' in sys.modules)")
    assert out == "False", f"{module} pulls in textual or rich"


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("facilitate.domain")])
def test_domain_module_does_no_storage(module: str) -> None:
    out = _run(
        f"import {module}, sys; "
        "print(sorted(m for m in ('tinydb', 'facilitate.storage') if m in sys.modules))"
    )
    assert out == "[]", f"{module} imports {out}"


TINYDB_IMPORT = re.compile(r"^\s*(?:from\s+tinydb\b|import\s+(?:[\w.]+\s*,\s*)*tinydb\b)", re.M)
TINYDB_DYNAMIC = re.compile(r"""import_module\(\s*['"]tinydb""")


def test_tinydb_regex_matches_the_forms_it_must() -> None:
    for line in ("import tinydb", "from tinydb import TinyDB", "    import os, tinydb"):
        assert TINYDB_IMPORT.search(line), line
    for line in ("# tinydb is great", "import tinydbx_other", "x = 'from tinydb'"):
        assert not TINYDB_IMPORT.search(line), line


def test_only_storage_imports_tinydb() -> None:
    storage = PACKAGE / "storage"
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if storage in path.parents:
            continue
        text = path.read_text("utf-8")
        if TINYDB_IMPORT.search(text) or TINYDB_DYNAMIC.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    # And storage really is where it lives (the check is looking at the right tree).
    assert any(TINYDB_IMPORT.search(p.read_text("utf-8")) for p in storage.glob("*.py"))
