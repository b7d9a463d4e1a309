"""Where shared helpers live: one home each, and no import cycle between the entry point and
the command line (issue 16, shape of the code)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_command_line_does_not_import_the_entry_point() -> None:
    """launcher imports cli; cli (and the app) reach start-up's GC switch without it."""
    out = _run(
        "import sys, facilitate.cli, facilitate.ui.app;"
        "print('facilitate.launcher' in sys.modules, 'facilitate.startup_gc' in sys.modules)"
    )
    assert out == "False True"


def test_the_gc_switch_pauses_and_resumes() -> None:
    out = _run(
        "import gc; from facilitate.startup_gc import pause_collection, resume_collection;"
        "pause_collection(); a = gc.isenabled(); resume_collection(); print(a, gc.isenabled())"
    )
    assert out == "False True"


def test_the_unlock_helpers_have_a_module_of_their_own() -> None:
    """History and the action tracker share the session's unlock from ``unlock``; the tracker's
    form module no longer holds it."""
    from facilitate.ui.screens import actions, history, subcommittees, tracker_dialogs, unlock

    assert history.confidential_unlocked is unlock.confidential_unlocked
    assert actions.confidential_unlocked is unlock.confidential_unlocked
    assert subcommittees.confidential_unlocked is unlock.confidential_unlocked
    assert history.toggle_unlock is actions.toggle_unlock is unlock.toggle_unlock
    assert not hasattr(tracker_dialogs, "UnlockDialog")
    assert not hasattr(tracker_dialogs, "confidential_unlocked")
