"""Issue #27 (Low): loading a day says so, in one line, when it deletes rows in the day's range
that the pipeline did not write (hand-written, or inserted by another tool)."""

from __future__ import annotations

import datetime as dt
import logging

from devtools.database import connect
from include.generator.interactions import first_id
from include.generator.settings import BatchSettings
from include.storage.days import load_day

SETTINGS = BatchSettings(interactions_per_day=300)
COPY_BY_HAND = (
    "CREATE TEMP TABLE by_hand AS SELECT * FROM customer_interactions ORDER BY interaction_id LIMIT 2",
    "UPDATE by_hand SET start_timestamp = start_timestamp + (%(shift)s::date - start_timestamp::date) "
    "* interval '1 day', end_timestamp = end_timestamp + (%(shift)s::date - start_timestamp::date) "
    "* interval '1 day', interaction_id = %(id)s + (interaction_id %% 1000)",
    "INSERT INTO customer_interactions SELECT * FROM by_hand",
    "DROP TABLE by_hand",
)


def _by_hand(conn, shift: dt.date, first: int) -> None:
    """Two copies of generated rows, moved to `shift` with ids from `first` on."""
    with conn.transaction():
        for statement in COPY_BY_HAND:
            conn.execute(statement, {"shift": shift, "id": first})


def _notices(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "did not" in r.getMessage()]


def _load(conn, day, caplog) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="include.storage.days"):
        load_day(conn, day, SETTINGS)
    return _notices(caplog)


def test_a_reload_that_replaces_only_its_own_rows_says_nothing(schema_url, caplog):
    with connect(schema_url) as conn:
        assert _load(conn, dt.date(2026, 3, 2), caplog) == []
        assert _load(conn, dt.date(2026, 3, 2), caplog) == []


def test_rows_written_by_hand_into_a_loaded_day_are_named_before_they_go(schema_url, caplog):
    day = dt.date(2026, 3, 2)
    with connect(schema_url) as conn:
        _load(conn, day, caplog)
        _by_hand(conn, day, first_id(day) + 900_000_000)  # ids of the day's range, never written
        [line] = _load(conn, day, caplog)
        assert line.startswith("2026-03-02: replacing the day deletes 2 row(s)"), line
        assert _load(conn, day, caplog) == []


def test_rows_written_by_hand_before_a_day_was_loaded_are_named(schema_url, caplog):
    with connect(schema_url) as conn:
        _load(conn, dt.date(2026, 3, 2), caplog)
        _by_hand(conn, dt.date(2026, 3, 9), 77_000)  # a day not loaded yet: the default partition
        [line] = _load(conn, dt.date(2026, 3, 9), caplog)
        assert line.startswith("2026-03-09: replacing the day deletes 2 row(s)"), line
        gone = conn.execute("SELECT count(*) FROM customer_interactions WHERE interaction_id < 100000")
        assert gone.fetchone() == (0,)
