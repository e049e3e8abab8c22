"""Fault-injection scenarios against a real PostgreSQL: `make reliability` and the test suite."""

from __future__ import annotations

from include.generator.settings import BatchSettings

#: Sign-ups a day of the fault, scale and Celery runs. They exercise the interactions' path
#: (COPY, swaps, shards, workers, faults), so their customer base is small and explicit:
#: derived from their volumes (150,000 to 3 million contacts a day) it would be the capped
#: base of 4.6 million customers, about two minutes of writing for every fresh database.
RUN_SIGNUPS = 20


def run_settings(interactions_per_day: int) -> BatchSettings:
    """Settings of a fault or scale run: the volume asked, the small base of RUN_SIGNUPS."""
    return BatchSettings(interactions_per_day=interactions_per_day, new_customers_per_day=RUN_SIGNUPS)
