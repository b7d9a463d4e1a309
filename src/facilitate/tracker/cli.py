"""CLI commands for the roster, action tracker and search."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `actions`, `roster` and `search` to the top-level parser."""
