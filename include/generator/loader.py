"""The one loader: replaces a day's interactions atomically, with COPY.

Used by the DAG, the CLI, the benchmarks and the tests. A day's rows are one partition
of customer_interactions. A load COPYs them into a fresh table without indexes, indexes
it once, and swaps it in for the old partition in one short transaction
(`replace_day`). All of it runs under an advisory lock for the day: a failure (or a
killed process) leaves the day exactly as it was, and two runs of the same day end with
one copy of it.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import psycopg

from include.generator import config
from include.generator.customers import build_customer_base, materialize_customer_base
from include.generator.encoding import BINARY_HEADER, BINARY_TRAILER, COLUMNS, encode_binary
from include.generator.interactions import block_sizes, day_context, day_volume, generate_day
from include.generator.reference import Reference, load_reference

log = logging.getLogger(__name__)

_DAY_LOCK_KEY = "hashtext('customer_care_pipeline:day'), %s"


@dataclass(frozen=True)
class BatchSettings:
    """What a day's data is a pure function of (besides the date)."""

    interactions_per_day: int = config.DEFAULT_INTERACTIONS_PER_DAY
    seed: int = config.DEFAULT_SEED
    new_customers_per_day: int = config.DEFAULT_NEW_CUSTOMERS_PER_DAY

    def __post_init__(self) -> None:
        validate_settings(self.interactions_per_day, self.seed, self.new_customers_per_day)


def validate_settings(interactions_per_day: object, seed: object, new_customers_per_day: object) -> None:
    """Raise ValueError with one clear line for any out-of-range setting."""
    for name, value, low, high in (
        ("interactions_per_day", interactions_per_day, 1, config.MAX_INTERACTIONS_PER_DAY),
        ("new_customers_per_day", new_customers_per_day, 0, config.MAX_NEW_CUSTOMERS_PER_DAY),
        ("seed", seed, 0, 2**31 - 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low:,} and {high:,}, got {value:,}")


def validate_day(day: dt.date) -> None:
    if day < config.EPOCH:
        raise ValueError(f"dates before {config.EPOCH} are not supported (got {day})")


def ensure_customer_base(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """Customers and plan history up to `day`, committed; returns customers added."""
    validate_day(day)
    with conn.transaction():
        return materialize_customer_base(
            conn, load_reference(conn), day, settings.seed, settings.new_customers_per_day
        )


def load_day(
    conn: psycopg.Connection, day: dt.date, settings: BatchSettings, n_rows: int | None = None
) -> int:
    """Replace `day`'s interactions with freshly generated ones; returns rows loaded.

    `n_rows` overrides the weekday-shaped volume (exact totals for the size files).
    """
    validate_day(day)
    _require_no_transaction(conn)
    n_rows = n_rows or day_volume(day, settings.interactions_per_day)
    # Its own short transaction: a no-op once the base reaches `day`, so loads of different
    # days do not queue behind the customer-base lock.
    ensure_customer_base(conn, day, settings)
    reference = load_reference(conn)
    conn.commit()

    def fill(table: str, keys: ReferencedKeys) -> int:
        return copy_day(conn, day, n_rows, settings, reference, table=table, keys=keys, freeze=True)

    loaded = replace_day(conn, day, n_rows, settings, fill)
    log.info("loaded %s interactions for %s", f"{loaded:,}", day)
    return loaded


def _require_no_transaction(conn: psycopg.Connection) -> None:
    """A load commits several times: it must not silently commit the caller's open work."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise RuntimeError("load a day on a connection with no open transaction (commit or roll back first)")


@contextmanager
def _day_lock(conn: psycopg.Connection, day: dt.date) -> Iterator[None]:
    """Serialize everything that writes `day` (held across the load's transactions)."""
    conn.execute(f"SELECT pg_advisory_lock({_DAY_LOCK_KEY})", (day.toordinal(),))
    conn.commit()
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            conn.rollback()
            conn.execute(f"SELECT pg_advisory_unlock({_DAY_LOCK_KEY})", (day.toordinal(),))
            conn.commit()


def replace_day(
    conn: psycopg.Connection,
    day: dt.date,
    n_rows: int,
    settings: BatchSettings,
    fill: Callable[[str, ReferencedKeys], int],
    after_swap: Callable[[], None] | None = None,
) -> int:
    """The one way a day's rows change: fill a fresh table, index it, swap it in.

    Three transactions: create the empty table (short, as adding its foreign keys locks
    the referenced tables); fill and index it, which takes the time but touches nothing
    anyone reads; then swap it in with the day's batch record. Readers see the old day
    until that last commit, and a failure before it leaves the old day as it was.
    """
    with _day_lock(conn, day):
        with conn.transaction():
            table = conn.execute("SELECT interaction_days.create_pending(%s)", (day,)).fetchone()[0]
        with conn.transaction():
            # Emptied in this transaction, so COPY may write its rows frozen.
            conn.execute(f"TRUNCATE {table}")
            with _deferred_foreign_keys(conn, day) as keys:
                loaded = fill(table, keys)
            conn.execute("SELECT interaction_days.index_pending(%s)", (day,))
        with conn.transaction():
            _record_batch(conn, day, n_rows, settings)
            conn.execute("SELECT interaction_days.publish(%s)", (day,))
            if after_swap is not None:
                after_swap()
    return loaded


# ------------------------------------------------------------------ sharded days
STAGING = "customer_interactions_staging"


def plan_shards(day: dt.date, settings: BatchSettings, max_rows_per_shard: int) -> list[list[int]]:
    """Contiguous block ranges [first, stop) that split the day into shards of at most ~N rows.

    Shards group whole blocks, and a block's rows do not depend on its shard, so a day
    is identical whatever the number of shards.
    """
    n_blocks = len(block_sizes(day_volume(day, settings.interactions_per_day)))
    n_shards = max(1, min(n_blocks, -(-day_volume(day, settings.interactions_per_day) // max_rows_per_shard)))
    bounds = [round(i * n_blocks / n_shards) for i in range(n_shards + 1)]
    return [[bounds[i], bounds[i + 1]] for i in range(n_shards)]


def _id_range(day: dt.date, blocks: range) -> tuple[int, int]:
    prefix = int(day.strftime("%Y%m%d")) * 1_000_000_000
    return prefix + blocks.start * config.BLOCK_SIZE + 1, prefix + blocks.stop * config.BLOCK_SIZE


def load_shard(conn: psycopg.Connection, day: dt.date, settings: BatchSettings, blocks: range) -> int:
    """Write one shard's blocks into the staging table (replacing that shard; retry-safe)."""
    validate_day(day)
    n_rows = day_volume(day, settings.interactions_per_day)
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
    _require_no_transaction(conn)
    n_rows = day_volume(day, settings.interactions_per_day)
    first, last = _id_range(day, range(0, len(block_sizes(n_rows))))
    cols = ", ".join(COLUMNS)
    where = f"FROM {STAGING} WHERE interaction_id BETWEEN %s AND %s"

    def fill(table: str, keys: ReferencedKeys) -> int:
        staged = conn.execute(f"SELECT count(*) {where}", (first, last)).fetchone()[0]
        if staged != n_rows:
            raise RuntimeError(f"staging holds {staged:,} of {n_rows:,} rows for {day}: a shard is missing")
        distinct = conn.execute(
            "SELECT array_agg(DISTINCT customer_id), array_agg(DISTINCT channel_id), "
            f"array_agg(DISTINCT interaction_type_id), array_agg(DISTINCT agent_id) {where}",
            (first, last),
        ).fetchone()
        for (column, _), values in zip(FOREIGN_KEYS, distinct, strict=True):
            keys.add(column, [v for v in values or [] if v is not None])
        return conn.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} {where} ORDER BY interaction_id", (first, last)
        ).rowcount

    def empty_staging() -> None:
        conn.execute(f"DELETE {where}", (first, last))

    return replace_day(conn, day, n_rows, settings, fill, after_swap=empty_staging)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), dt.UTC)


def _record_batch(conn: psycopg.Connection, day: dt.date, n_rows: int, settings: BatchSettings) -> None:
    conn.execute(
        "INSERT INTO interaction_batches (batch_date, interactions_requested, base_seed) "
        "VALUES (%s, %s, %s) ON CONFLICT (batch_date) DO UPDATE SET "
        "interactions_requested = EXCLUDED.interactions_requested, base_seed = EXCLUDED.base_seed, "
        "loaded_at = now()",
        (day, n_rows, settings.seed),
    )


class OrphanRows(psycopg.errors.ForeignKeyViolation):
    """Loaded rows that reference a missing customer, channel, type or agent."""


FOREIGN_KEYS = (
    ("customer_id", "customers"),
    ("channel_id", "channels"),
    ("interaction_type_id", "interaction_types"),
    ("agent_id", "agents"),
)


class ReferencedKeys:
    """The distinct keys a load references, per foreign-key column."""

    def __init__(self) -> None:
        self.keys: dict[str, set[int]] = {column: set() for column, _ in FOREIGN_KEYS}

    def add(self, column: str, values) -> None:
        self.keys[column].update(int(v) for v in np.unique(np.asarray(values)))

    def add_block(self, block: dict[str, np.ndarray]) -> None:
        self.add("customer_id", block["customer_id"])
        self.add("channel_id", block["channel_id"])
        self.add("interaction_type_id", block["interaction_type_id"])
        self.add("agent_id", block["agent_id"][~block["agent_null"]])


def skip_per_row_key_checks(conn: psycopg.Connection) -> bool:
    """Turn off per-row triggers (FK checks) for this transaction, if the role may; say whether it did."""
    try:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
        return True
    except psycopg.errors.InsufficientPrivilege:
        return False


@contextmanager
def _deferred_foreign_keys(conn: psycopg.Connection, day: dt.date) -> Iterator[ReferencedKeys]:
    """Skip per-row FK triggers during the COPY; check the distinct keys it used instead.

    Per-row RI triggers cost about 25 us a row (4 keys). The check after the COPY does what
    they do, once per distinct key: the parent row must exist, and FOR KEY SHARE keeps it
    from being deleted before we commit. Needs the right to set session_replication_role
    (superuser, or GRANT SET); without it the ordinary triggers do the checking.
    """
    keys = ReferencedKeys()
    fast = skip_per_row_key_checks(conn)
    try:
        yield keys
    finally:
        if fast:
            conn.execute("SET LOCAL session_replication_role = origin")
    if not fast:
        return
    for column, parent in FOREIGN_KEYS:
        wanted = sorted(keys.keys[column])
        found = conn.execute(
            f"SELECT {column} FROM {parent} WHERE {column} = ANY(%s) FOR KEY SHARE", (wanted,)
        ).fetchall()
        if len(found) != len(wanted):
            missing = sorted(set(wanted) - {row[0] for row in found})
            raise OrphanRows(
                f"interactions of {day} reference {len(missing):,} missing {parent} "
                f"(e.g. {column}={missing[0]}); nothing was loaded"
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
    keys: ReferencedKeys | None = None,
    freeze: bool = False,
) -> int:
    """Stream the day's blocks into one binary COPY; generation overlaps the COPY in a thread."""
    base = build_customer_base(settings.seed, settings.new_customers_per_day, day, reference)
    ctx = day_context(day, n_rows, settings.seed, base, reference)
    chunks: queue.Queue = queue.Queue(maxsize=2)  # bounds memory: at most ~3 blocks alive
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for block in generate_day(ctx, blocks):
                if keys is not None:
                    keys.add_block(block)
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
