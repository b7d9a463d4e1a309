"""The tracker package is below the UI: no textual or rich; no tinydb outside storage.

(tests/test_import_hygiene.py covers domain, storage, services, agenda and minutes; this covers
facilitate.tracker and the new domain modules the same way.)
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
MODULES = ["facilitate.tracker"] + [
    f"facilitate.tracker.{info.name}"
    for info in pkgutil.iter_modules([str(SRC / "facilitate" / "tracker")])
]


def _run(code: str) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_found_the_modules():
    assert {"facilitate.tracker.actions", "facilitate.tracker.roster_csv"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_tracker_module_does_not_import_textual_or_rich(module):
    out = _run(f"import {module}, sys; print('textual' in sys.modules or 'rich' in sys.modules)")
    assert out == "False", f"{module} pulls in textual or rich"


@pytest.mark.parametrize("module", ["facilitate.domain.trends", "facilitate.domain.matrix"])
def test_new_domain_modules_are_pure(module):
    out = _run(
        f"import {module}, sys; "
        "print(sorted(m for m in ('tinydb', 'facilitate.storage', 'textual', 'rich') "
        "if m in sys.modules))"
    )
    assert out == "[]"
