"""The `cca` subcommands, one module each; what they share lives here."""

from __future__ import annotations

import argparse
import datetime as dt


def date_argument(text: str) -> dt.date:
    """argparse type of a YYYY-MM-DD argument: one clear line for anything else."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"malformed date {text!r} (expected YYYY-MM-DD)") from None
