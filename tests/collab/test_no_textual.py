"""facilitate.collab is a service layer: importing it never pulls in textual or rich (the
follow app is imported lazily, only when `facilitate follow` runs)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import facilitate.collab

MODULES = ["facilitate.collab"] + [
    f"facilitate.collab.{m.name}" for m in pkgutil.iter_modules(facilitate.collab.__path__)
]


@pytest.mark.parametrize("module", MODULES)
def test_no_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
