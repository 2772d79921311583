"""Subcommands of the trust area (issue 8)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


def register(sub: argparse._SubParsersAction, add: Callable[[str, str], argparse.ArgumentParser]) -> dict[str, Handler]:  # type: ignore[type-arg]
    """Add this area's subcommands; return name -> handler."""
    return {}
