"""The `facilitate` program's entry point (and `python -m facilitate`).

Python's cyclic garbage collector is paused while the program starts: importing Textual and
facilitate and drawing the first screen allocate a few hundred thousand objects, which set off
about a hundred collections that find almost nothing to free (~40 ms of a ~350 ms start on a
2-core server). Collection resumes as soon as start-up is over: right after the command line is
parsed for the other commands, and after the app's first frame for the app (see
``resume_collection``); at the latest when the program ends. Reference counting frees
everything else as usual, so nothing grows meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def resume_collection() -> None:
    """Start-up is over: collect garbage as usual again (a no-op if it never stopped)."""
    gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()
    try:
        from .cli import main as cli_main

        return cli_main(argv)
    finally:
        resume_collection()
