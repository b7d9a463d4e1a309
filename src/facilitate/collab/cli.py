"""CLI commands for shared use: `follow` and `log`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `follow` and `log` to the top-level parser."""
