"""What every benchmark receives: the scratch database, the sizes, and where figures are printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from include.generator.settings import BatchSettings


@dataclass(frozen=True)
class Sizes:
    rows: int  # the 1M day of generate / encode / load / end_to_end
    seed_rows: int  # rows of the INSERT-per-row SQL file
    rss_rows: int  # the day whose peak RSS is measured
    history_rows: int  # interactions per day of the refresh history
    history_short: int  # days of history for refresh_seconds_<short>_days
    history_long: int
    backfill_days: int
    backfill_per_day: int


FULL = Sizes(1_000_000, 50_000, 5_000_000, 20_000, 30, 365, 10, 20_000)
QUICK = Sizes(100_000, 10_000, 500_000, 20_000, 30, 60, 3, 20_000)


@dataclass
class Bench:
    """What every benchmark gets: the scratch database and a place for its figures."""

    admin_url: str
    url: str
    conn: psycopg.Connection  # autocommit: each conn.transaction() is a real BEGIN/COMMIT
    sizes: Sizes
    workdir: Path
    settings: BatchSettings = field(default_factory=BatchSettings)
    cache: dict = field(default_factory=dict)
    #: Everything printed, kept for docs/performance.md (devtools/docs_pages.py).
    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def figure(self, name: str, value: float) -> None:
        if isinstance(value, float):
            value = round(value, 3) if abs(value) < 1000 else round(value)
        self.figures[name] = value
        print(f"{name}={value}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"# {text}", flush=True)

    def reset(self) -> None:
        """Empty the fact table and the summaries (customers stay: they only move forward)."""
        self.conn.execute(
            "TRUNCATE customer_interactions, interaction_batches, analytics.daily_channel_summary, "
            "analytics.daily_interaction_type_summary, analytics.daily_agent_performance, "
            "analytics.daily_service_plan_summary, analytics.daily_customer_activity, "
            "analytics.customer_summary"
        )
        self.checkpoint()

    def checkpoint(self) -> None:
        """Start timed work without a pending checkpoint (skipped without the right)."""
        try:
            self.conn.execute("CHECKPOINT")
        except psycopg.Error:
            pass
