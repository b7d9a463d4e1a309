"""Start-up's garbage-collection switch, shared by the entry point, the command line and the app.

Python's cyclic garbage collector is paused while the program starts: importing Textual and
facilitate and drawing the first screen allocate a few hundred thousand objects, which set off
about a hundred collections that find almost nothing to free (~40 ms of a ~350 ms start on a
2-core server). The entry point (``launcher``) pauses it; the command line resumes it once the
arguments are parsed for commands other than the app, and the app after its first frame.
Reference counting frees everything else as usual, so nothing grows meanwhile.

A module of its own (it imports nothing of facilitate) so that ``launcher`` can import
``cli`` and ``cli`` can use the switch without importing ``launcher`` back.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    """Start-up begins: no cyclic collections until ``resume_collection``."""
    gc.disable()


def resume_collection() -> None:
    """Start-up is over: collect garbage as usual again (a no-op if it never stopped)."""
    gc.enable()
