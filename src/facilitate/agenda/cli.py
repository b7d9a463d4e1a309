"""CLI commands for agenda preparation (`facilitate agenda ...`, `facilitate meetings new`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the agenda subcommands to the top-level parser."""


def register_meetings(msub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `meetings new` under `facilitate meetings`."""
