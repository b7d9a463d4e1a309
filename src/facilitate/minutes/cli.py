"""CLI commands for minutes export (`facilitate minutes ...`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the minutes subcommands to the top-level parser."""
