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
    "dateutil.parser._parser",  # pendulum's non-strict parser (see facilitate._deferred)
    "hashlib",  # the audit log's hashes: on the first save
    "csv",
    "zipfile",
    "importlib.resources.abc",
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


def test_pendulum_parses_non_strictly_on_first_use() -> None:
    """The deferred dateutil parser loads when pendulum's non-strict parsing needs it, and the
    usual ways of importing it give the real module."""
    out = _run(
        START + "import pendulum;"
        "before = 'dateutil.parser._parser' in sys.modules;"
        "when = pendulum.parse('Nov 29 2026 10am', strict=False);"
        "from dateutil import parser;"
        "import dateutil.parser._parser as inner;"
        "print(before, when.isoformat(), parser.parse('29 Nov 2026').day,"
        " type(sys.modules['dateutil.parser']).__name__, inner.parser.__name__)"
    )
    assert out == "False 2026-11-29T10:00:00+00:00 29 module parser"


def test_strict_parsing_does_not_load_it() -> None:
    out = _run(
        START + "import pendulum;"
        "pendulum.parse('2026-11-29T10:00:00+01:00'); pendulum.parse('2026-11-29', exact=True);"
        "print('dateutil.parser._parser' in sys.modules)"
    )
    assert out == "False"


def test_too_late_to_defer_changes_nothing() -> None:
    """Imported before facilitate, pendulum keeps its parser as it was loaded."""
    out = _run(
        "import sys, pendulum, facilitate;"
        "print(type(sys.modules['dateutil.parser']).__name__,"
        " 'dateutil.parser._parser' in sys.modules)"
    )
    assert out == "module True"


def test_dates_are_formatted_in_english_without_pendulums_resource_lookup() -> None:
    """pendulum's default locale is put in its cache directly (facilitate._deferred): the home
    screen's first date no longer loads zipfile and importlib's resource readers. Other
    locales still load pendulum's way."""
    out = _run(
        START + "import pendulum;"
        "d = pendulum.datetime(2026, 11, 29);"
        "english = (d.format('dddd D MMMM YYYY'), d.diff_for_humans(d.add(days=2)));"
        "loaded = ['zipfile' in sys.modules, 'importlib.readers' in sys.modules];"
        "print(english, loaded, d.format('MMMM', locale='fr'))"
    )
    assert out == "('Sunday 29 November 2026', '2 days before') [False, False] novembre"
