"""The one loader: replaces a day's interactions atomically, with COPY.

Used by the DAG, the CLI, the benchmarks and the tests. A day's rows are one partition
of customer_interactions. A load COPYs them into a fresh table without indexes or
foreign keys, indexes it once, and attaches it in place of the old partition, all in one
transaction under an advisory lock for the day (`replace_day`). A failure (or a killed
process) leaves the day exactly as it was, and two runs of the same day end with one
copy of it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import threading
from collections.abc import Callable
from functools import lru_cache

import psycopg

from include.generator import config
from include.generator.calendar import day_volume, events_on
from include.generator.customers import build_customer_base
from include.generator.interactions import DayContext, block_sizes, day_context, first_id, generate_day
from include.generator.reference import Reference
from include.generator.settings import BatchSettings, validate_day, validate_run
from include.quality import audit_pending
from include.storage.copy_format import BINARY_HEADER, BINARY_TRAILER, COLUMNS, encode_binary
from include.storage.customers import materialize_customer_base
from include.storage.reference import load_reference
from include.storage.workforce import ensure_workforce, write_shifts

log = logging.getLogger(__name__)

_LOCK_DAY = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:day'), %s)"
#: A day's publish and the summaries' refresh are on disk when the task reports success.
DURABLE_COMMIT = "SET LOCAL synchronous_commit = on"


def ensure_customer_base(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """Customers and plan history, and the agents hired, up to `day`, committed; returns customers added."""
    validate_run(day, settings)
    with conn.transaction():  # (reads too: an implicit transaction would swallow the later ones)
        reference = load_reference(conn)
        added = materialize_customer_base(conn, reference, day, settings.seed, settings.signups)
    # As of the day: replies to its late messages come from agents hired by then.
    ensure_workforce(conn, day, settings, reference)
    return added


@lru_cache(maxsize=2)
def _context(day: dt.date, n_rows: int, settings: BatchSettings, reference: Reference) -> DayContext:
    base = build_customer_base(settings.seed, settings.signups, day, reference)
    return day_context(day, n_rows, settings.seed, base, reference, settings.interactions_per_day)


def forget_day_contexts() -> None:
    """Drop the cached day contexts (benchmarks time a day's planning as a new task pays it)."""
    _context.cache_clear()


def day_context_for(day: dt.date, n_rows: int, settings: BatchSettings, reference: Reference) -> DayContext:
    """The day's generation context (customers who may call, shifts), cached per process: the
    load, its shards and the publish of one day share it."""
    return _context(day, n_rows, settings, reference)


def load_day(
    conn: psycopg.Connection, day: dt.date, settings: BatchSettings, n_rows: int | None = None
) -> int:
    """Replace `day`'s interactions with freshly generated ones; returns rows loaded.

    `n_rows` overrides the weekday-shaped volume (exact totals for the size files).
    """
    validate_day(day)
    n_rows = n_rows or day_volume(day, settings.interactions_per_day, settings.seed)
    # Its own short transaction: a no-op once the base reaches `day`, so loads of different
    # days do not queue behind the customer-base lock.
    ensure_customer_base(conn, day, settings)

    def fill(table: str) -> int:
        reference = load_reference(conn)
        return copy_day(conn, day, n_rows, settings, reference, table=table, freeze=True)

    loaded = replace_day(conn, day, n_rows, settings, fill)
    log.info("loaded %s interactions for %s", f"{loaded:,}", day)
    return loaded


def replace_day(
    conn: psycopg.Connection,
    day: dt.date,
    n_rows: int,
    settings: BatchSettings,
    fill: Callable[[str], int],
    after_swap: Callable[[], None] | None = None,
) -> int:
    """The one way a day's rows change: write a fresh table, audit it, then swap it in.

    `fill(table)` writes the day's rows into an empty table with no index and no foreign
    key, so nothing is checked or indexed per row. The quality checks then audit that
    pending table; only if they pass is it indexed and attached as the day's partition.
    Readers see the old day until the commit; a failed check, or any other failure, rolls
    all of it back, the new table included.
    """
    with conn.transaction():
        # Durable when this returns: the commit waits for its WAL flush (one per day), whatever
        # the server's default (the embedded server's used to be `off`).
        conn.execute(DURABLE_COMMIT)
        conn.execute(_LOCK_DAY, (day.toordinal(),))
        refuse_migrated_day(conn, day)
        note_foreign_rows(conn, day)
        table = conn.execute("SELECT interaction_days.create_pending(%s)", (day,)).fetchone()[0]
        loaded = fill(table)
        _record_batch(conn, day, n_rows, settings)
        ctx = day_context_for(day, n_rows, settings, load_reference(conn))
        write_shifts(conn, day, ctx)
        audit_pending(conn, day, table)  # raises before the swap: the old day stays
        conn.execute("SELECT interaction_days.publish(%s)", (day,))
        if after_swap is not None:
            after_swap()
    return loaded


#: The day's rows the pipeline did not write: starting on the day, and not among the ids its
#: last load of the day wrote (first_id + 1 .. first_id + interactions_requested). Hand-written
#: rows, or inserted by another tool; the swap deletes them with the day.
_FOREIGN_ROWS = """
SELECT count(*) FROM customer_interactions AS i
WHERE i.start_timestamp >= %(lower)s AND i.start_timestamp < %(upper)s
  AND NOT (i.interaction_id > %(first)s AND i.interaction_id <= %(first)s + coalesce(
      (SELECT interactions_requested FROM interaction_batches WHERE batch_date = %(day)s), 0))
"""


def note_foreign_rows(conn: psycopg.Connection, day: dt.date) -> int:
    """One warning line when replacing `day` deletes rows the pipeline did not write; returns
    how many. Read before the day's batch record is rewritten."""
    lower = dt.datetime.combine(day, dt.time(0), dt.UTC)
    params = {"day": day, "lower": lower, "upper": lower + dt.timedelta(days=1), "first": first_id(day)}
    foreign = conn.execute(_FOREIGN_ROWS, params).fetchone()[0]
    if foreign:
        log.warning(
            "%s: replacing the day deletes %s row(s) of customer_interactions the pipeline did not "
            "write (starting on that day, not among the ids its last load wrote)",
            day, f"{foreign:,}",
        )  # fmt: skip
    return foreign


#: Set to 1 to let the generator replace a day that holds migrated interactions.
REPLACE_MIGRATED_ENV = "CCA_REPLACE_MIGRATED_DAYS"


class MigratedDayRefused(ValueError):
    """A day holds migrated interactions: refused at once (a retry would be refused the same way)."""


def migrated_days(conn: psycopg.Connection, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days between first and last recorded in migration.migrated_days (none without it)."""
    if conn.execute("SELECT to_regclass('migration.migrated_days')").fetchone()[0] is None:
        return []
    return [
        r[0]
        for r in conn.execute(
            "SELECT day FROM migration.migrated_days WHERE day BETWEEN %s AND %s ORDER BY day", (first, last)
        )
    ]


def refuse_migrated_days(conn: psycopg.Connection, first: dt.date, last: dt.date) -> None:
    """Raise MigratedDayRefused (one line) when a day between first and last was migrated
    from the earlier schema, unless CCA_REPLACE_MIGRATED_DAYS=1."""
    found = migrated_days(conn, first, last)
    if found and os.environ.get(REPLACE_MIGRATED_ENV) != "1":
        shown = ", ".join(str(d) for d in found[:5]) + (
            f" and {len(found) - 5} more" if len(found) > 5 else ""
        )
        raise MigratedDayRefused(
            f"{shown} hold{'s' if len(found) == 1 else ''} interactions migrated from the earlier schema; "
            f"set {REPLACE_MIGRATED_ENV}=1 to replace them with generated ones"
        )


def refuse_migrated_day(conn: psycopg.Connection, day: dt.date) -> None:
    """A day migrated from the earlier schema is never silently replaced by generated rows.

    With CCA_REPLACE_MIGRATED_DAYS=1 the day is generated anyway and no longer counts as
    migrated. See docs/migration.md ("Who wins").
    """
    refuse_migrated_days(conn, day, day)
    if migrated_days(conn, day, day):
        conn.execute("DELETE FROM migration.migrated_days WHERE day = %s", (day,))


# ------------------------------------------------------------------ sharded days
STAGING = "customer_interactions_staging"


def plan_shards(day: dt.date, settings: BatchSettings, max_rows_per_shard: int) -> list[list[int]]:
    """Contiguous block ranges [first, stop) that split the day into shards of at most ~N rows.

    Shards group whole blocks, and a block's rows do not depend on its shard, so a day
    is identical whatever the number of shards.
    """
    n_blocks = len(block_sizes(day_volume(day, settings.interactions_per_day, settings.seed)))
    n_shards = max(
        1,
        min(
            n_blocks, -(-day_volume(day, settings.interactions_per_day, settings.seed) // max_rows_per_shard)
        ),
    )
    bounds = [round(i * n_blocks / n_shards) for i in range(n_shards + 1)]
    return [[bounds[i], bounds[i + 1]] for i in range(n_shards)]


def _id_range(day: dt.date, blocks: range) -> tuple[int, int]:
    prefix = first_id(day)
    return prefix + blocks.start * config.BLOCK_SIZE + 1, prefix + blocks.stop * config.BLOCK_SIZE


def load_shard(conn: psycopg.Connection, day: dt.date, settings: BatchSettings, blocks: range) -> int:
    """Write one shard's blocks into the staging table (replacing that shard; retry-safe)."""
    validate_day(day)
    n_rows = day_volume(day, settings.interactions_per_day, settings.seed)
    ensure_customer_base(conn, day, settings)
    first, last = _id_range(day, blocks)
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:shard'), %s)", (first % 2**31,)
        )
        conn.execute(f"DELETE FROM {STAGING} WHERE interaction_id BETWEEN %s AND %s", (first, last))
        loaded = copy_day(conn, day, n_rows, settings, load_reference(conn), blocks, STAGING)
    log.info("staged %s interactions of %s (blocks %s)", f"{loaded:,}", day, blocks)
    return loaded


def publish_day(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """Swap a fully staged day into customer_interactions, atomically; returns rows published."""
    n_rows = day_volume(day, settings.interactions_per_day, settings.seed)
    first, last = _id_range(day, range(0, len(block_sizes(n_rows))))
    cols = ", ".join(COLUMNS)
    where = f"FROM {STAGING} WHERE interaction_id BETWEEN %s AND %s"

    def fill(table: str) -> int:
        staged = conn.execute(f"SELECT count(*) {where}", (first, last)).fetchone()[0]
        if staged != n_rows:
            raise RuntimeError(f"staging holds {staged:,} of {n_rows:,} rows for {day}: a shard is missing")
        return conn.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} {where} ORDER BY interaction_id", (first, last)
        ).rowcount

    def empty_staging() -> None:
        conn.execute(f"DELETE {where}", (first, last))

    return replace_day(conn, day, n_rows, settings, fill, after_swap=empty_staging)


def _record_batch(conn: psycopg.Connection, day: dt.date, n_rows: int, settings: BatchSettings) -> None:
    conn.execute(
        "INSERT INTO interaction_batches (batch_date, interactions_requested, base_seed) "
        "VALUES (%s, %s, %s) ON CONFLICT (batch_date) DO UPDATE SET "
        "interactions_requested = EXCLUDED.interactions_requested, base_seed = EXCLUDED.base_seed, "
        "loaded_at = now()",
        (day, n_rows, settings.seed),
    )
    record_planted_events(conn, day, settings.seed)


def record_planted_events(conn: psycopg.Connection, day: dt.date, seed: int) -> None:
    """The planted events in force on `day`, into the planted_events ledger (once each)."""
    rows = [
        (
            e.event_id,
            seed,
            e.kind,
            e.start,
            e.end,
            e.scope,
            list(e.states),
            list(e.type_lift),
            json.dumps(e.type_lift),
            e.wait_multiplier,
            e.csat_effect,
            e.intended_effect,
            e.started_at,
            e.restored_at,
            e.onset_minutes or None,
            e.recovery_minutes or None,
        )
        for e in events_on(seed, day)
    ]
    if rows:
        conn.cursor().executemany(
            "INSERT INTO planted_events (event_id, base_seed, event_type, start_date, end_date, scope, "
            "affected_states, affected_interaction_types, volume_lift, wait_multiplier, csat_effect, "
            "intended_effect, started_at, restored_at, onset_minutes, recovery_minutes) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (event_id) DO NOTHING",
            rows,
        )


def copy_statement(table: str = "customer_interactions", freeze: bool = False) -> str:
    """Binary COPY into `table`; FREEZE only for a table created or emptied in this transaction."""
    options = "FORMAT BINARY, FREEZE" if freeze else "FORMAT BINARY"
    return f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH ({options})"


def copy_day(
    conn: psycopg.Connection,
    day: dt.date,
    n_rows: int,
    settings: BatchSettings,
    reference: Reference,
    blocks: range | None = None,
    table: str = "customer_interactions",
    freeze: bool = False,
) -> int:
    """Stream the day's blocks into one binary COPY; generation overlaps the COPY in a thread."""
    ctx = day_context_for(day, n_rows, settings, reference)
    chunks: queue.Queue = queue.Queue(maxsize=2)  # bounds memory: at most ~3 blocks alive
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for block in generate_day(ctx, blocks):
                chunks.put((len(block["interaction_id"]), encode_binary(block)))
        except BaseException as exc:  # handed to the consumer, which re-raises
            failure.append(exc)
        finally:
            chunks.put(None)

    producer = threading.Thread(target=produce, name=f"generate-{day}", daemon=True)
    producer.start()
    loaded = 0
    copy_sql = copy_statement(table, freeze)
    try:
        with conn.cursor().copy(copy_sql) as copy:
            copy.write(BINARY_HEADER)
            while (item := chunks.get()) is not None:
                loaded += item[0]
                copy.write(item[1])
            if failure:
                raise failure[0]
            copy.write(BINARY_TRAILER)
    finally:
        while producer.is_alive():  # unblock the producer if the COPY failed
            try:
                chunks.get(timeout=0.1)
            except queue.Empty:
                pass
        producer.join()
    return loaded
