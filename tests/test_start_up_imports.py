"""What starting `facilitate` loads, checked in fresh interpreters: modules it never uses at
start-up stay unloaded (start-up time and memory, see BENCHMARKS.md), and load on first use."""

from __future__ import annotations

import subprocess
import sys

# The app's start-up path: the command line, its parser, the app and its home screen.
START = (
    "import sys, facilitate.cli;"
    "facilitate.cli.parse_args(['--data', 'ws']);"
    "import facilitate.ui.app, facilitate.ui.screens.home;"
)
NOT_AT_START_UP = [
    "hashlib",  # the audit log's hashes: on the first save
    "csv",
    "zipfile",
    "facilitate.services.live",
    "facilitate.domain.cadence",
    "facilitate.ui.screens.meeting",
    "textual.widgets._data_table",  # the meeting and between-meetings screens' tables
    "textual.widgets._text_area",
    "facilitate.agenda.cli",  # the subcommands' modules: `facilitate` alone opens the app
    "facilitate.tracker.cli",
]


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_start_up_leaves_unused_modules_unloaded() -> None:
    loaded = _run(START + f"print([m for m in {NOT_AT_START_UP!r} if m in sys.modules])")
    assert loaded == "[]"
