"""The `facilitate` program's entry point (and `python -m facilitate`).

Garbage collection is paused while the program starts (see ``startup_gc``) and resumed as soon
as start-up is over, at the latest when the program ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from .startup_gc import pause_collection, resume_collection


def main(argv: Sequence[str] | None = None) -> int:
    pause_collection()
    try:
        from .cli import main as cli_main

        return cli_main(argv)
    finally:
        resume_collection()
