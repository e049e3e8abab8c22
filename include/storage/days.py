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
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache

import psycopg

from include.generator import parameters
from include.generator.calendar import day_volume, events_on
from include.generator.customers import build_customer_base
from include.generator.interactions import DayContext, block_sizes, day_context, first_id, generate_day
from include.generator.reference import Reference
from include.generator.settings import BatchSettings, validate_day, validate_run
from include.storage.audit import audit_pending
from include.storage.copy_format import BINARY_HEADER, BINARY_TRAILER, COLUMNS, encode_binary
from include.storage.customers import materialize_customer_base
from include.storage.reference import load_reference
from include.storage.scenario import record_scenario
from include.storage.workforce import ensure_workforce, write_shifts

log = logging.getLogger(__name__)

_LOCK_DAY = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:day'), %s)"
#: The schema's own lock (include/sql/00_schema.sql takes it exclusive), shared by every day's
#: swap and taken first: a schema applied while a day is published (create_schema of the next
#: day, JOBS=2) waits for the swap instead of locking the fact table under it (a deadlock).
_HOLD_SCHEMA = "SELECT pg_advisory_xact_lock_shared(hashtext('customer_care_pipeline:schema'))"
#: A day's publish and the summaries' refresh are on disk when the task reports success.
DURABLE_COMMIT = "SET LOCAL synchronous_commit = on"


@dataclass(frozen=True)
class DayLoad:
    """The plan of one day's load, made once (validate_run) and carried to the publish.

    `rows` is the day's volume (weekday-shaped, or an exact override), `blocks` how many
    generation blocks it splits into; shards are runs of whole blocks.
    """

    day: dt.date
    settings: BatchSettings
    rows: int
    blocks: int

    @classmethod
    def of(cls, day: dt.date, settings: BatchSettings, rows: int | None = None) -> DayLoad:
        """The plan of `day`: the calendar's volume unless `rows` overrides it (the size files)."""
        validate_day(day)
        extra = settings.levers.extra_events()  # (a twin's planted outage or price change)
        rows = rows or day_volume(day, settings.interactions_per_day, settings.seed, extra)
        return cls(day, settings, rows, len(block_sizes(rows)))

    def as_xcom(self) -> dict:
        """Plain JSON for the tasks after validate_run."""
        return {**asdict(self), "day": self.day.isoformat()}

    @classmethod
    def from_xcom(cls, data: Mapping[str, object]) -> DayLoad:
        """The plan `as_xcom` wrote (other keys, such as the shard, are ignored). A run started
        before plans carried rows and blocks (a deploy mid-run) gets them planned here."""
        day, settings = dt.date.fromisoformat(str(data["day"])), BatchSettings(**data["settings"])
        if "rows" not in data:
            return cls.of(day, settings)
        return cls(day, settings, int(data["rows"]), int(data["blocks"]))

    def shards(self, max_rows_per_shard: int) -> list[list[int]]:
        """Contiguous block ranges [first, stop) that split the day into shards of at most ~N rows.

        Shards group whole blocks, and a block's rows do not depend on its shard, so a day
        is identical whatever the number of shards.
        """
        n_shards = max(1, min(self.blocks, -(-self.rows // max_rows_per_shard)))
        bounds = [round(i * self.blocks / n_shards) for i in range(n_shards + 1)]
        return [[bounds[i], bounds[i + 1]] for i in range(n_shards)]


def ensure_customer_base(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """Customers and plan history, and the agents hired, up to `day`, committed; returns customers added.

    The one writer of the customer base: the DAG's extend_customer_base task, or `load_day` /
    `publish_day` for a day loaded outside Airflow. The day's load itself never writes it.
    """
    validate_run(day, settings)
    with conn.transaction():  # (reads too: an implicit transaction would swallow the later ones)
        reference = load_reference(conn)
    # A transaction of its own: it must hold no lock on the reference tables while it waits for
    # the base's lock, since a big materialization drops the plans' foreign key to service_plans
    # (ACCESS EXCLUSIVE): two days side by side on a fresh database would deadlock.
    with conn.transaction():
        record_scenario(conn, settings.scenario)  # another scenario's database: refused, nothing written
        added = materialize_customer_base(conn, reference, day, settings.seed, settings.signups)
    # As of the day: replies to its late messages come from agents hired by then.
    ensure_workforce(conn, day, settings, reference)
    return added


@lru_cache(maxsize=2)
def day_context_for(plan: DayLoad, reference: Reference) -> DayContext:
    """The day's generation context (customers who may call, shifts), cached per process: the
    load, its shards and the publish of one day share it."""
    settings = plan.settings
    base = build_customer_base(settings.seed, settings.signups, plan.day, reference)
    return day_context(
        plan.day, plan.rows, settings.seed, base, reference, settings.interactions_per_day, settings.levers
    )


def forget_day_contexts() -> None:
    """Drop the cached day contexts (benchmarks time a day's planning as a new task pays it)."""
    day_context_for.cache_clear()


# ------------------------------------------------------------------ the day's load
def swap_in_day(
    conn: psycopg.Connection,
    plan: DayLoad,
    fill: Callable[[str], int],
    after_swap: Callable[[], None] | None = None,
) -> int:
    """The one way a day's rows change, every write named, in one transaction; returns rows written.

    `fill(table)` writes the day's rows into an empty pending table with no index and no
    foreign key, so nothing is checked or indexed per row. The audit then checks that pending
    table; only if it passes is it indexed and attached as the day's partition. Readers see
    the old day until the commit; a failed check, or any other failure, rolls all of it back,
    the new table included. The customer base is already there (`ensure_customer_base`).
    """
    day = plan.day
    # Its own transaction: a read of the fact table held until the swap would make this load's
    # publish wait for a neighbouring day's while that one waits for it (a deadlock, JOBS=2).
    with conn.transaction():
        note_foreign_rows(conn, day)
    with conn.transaction():
        # Durable when this returns: the commit waits for its WAL flush (one per day), whatever
        # the server's default (the embedded server's used to be `off`).
        conn.execute(DURABLE_COMMIT)
        conn.execute(_HOLD_SCHEMA)
        conn.execute(_LOCK_DAY, (day.toordinal(),))
        refuse_migrated_day(conn, day)
        # 1. the day's shifts, first: a shift crossing 00:00 UTC is also written by the next day,
        # so a day side by side with its neighbour may wait here for the neighbour's row; it must
        # hold no lock on the fact table then, or the neighbour's publish waits for it: deadlock.
        write_shifts(conn, day, day_context_for(plan, load_reference(conn)))
        pending = conn.execute("SELECT interaction_days.create_pending(%s)", (day,)).fetchone()[0]
        loaded = fill(pending)  # 2. the day's rows, into the pending table
        record_batch(conn, plan)  # 3. the ledgers: the batch, and the planted events in force
        record_planted_events(conn, day, plan.settings.seed, plan.settings.levers.extra_events())
        audit_pending(conn, day, pending)  # 4. the audit: raises before the swap, the old day stays
        conn.execute("SELECT interaction_days.publish(%s)", (day,))  # 5. publish: the swap
        if after_swap is not None:
            after_swap()
    return loaded


def write_day(conn: psycopg.Connection, plan: DayLoad) -> int:
    """A whole day, generated straight into its pending table and swapped in; returns rows loaded."""

    def fill(table: str) -> int:
        return copy_day(conn, plan, load_reference(conn), table=table, freeze=True)

    loaded = swap_in_day(conn, plan, fill)
    log.info("loaded %s interactions for %s", f"{loaded:,}", plan.day)
    return loaded


def load_day(
    conn: psycopg.Connection, day: dt.date, settings: BatchSettings, n_rows: int | None = None
) -> int:
    """Outside Airflow: the customer base up to `day`, then the day's interactions replaced;
    returns rows loaded. `n_rows` overrides the weekday-shaped volume (exact totals for the size files).
    """
    plan = DayLoad.of(day, settings, n_rows)
    # Its own short transaction: a no-op once the base reaches `day`, so loads of different
    # days do not queue behind the customer-base lock.
    ensure_customer_base(conn, day, settings)
    return write_day(conn, plan)


def replace_day(
    conn: psycopg.Connection,
    day: dt.date,
    n_rows: int,
    settings: BatchSettings,
    fill: Callable[[str], int],
    after_swap: Callable[[], None] | None = None,
) -> int:
    """`swap_in_day` for a caller's own `fill` of `n_rows` rows (tests, benchmarks)."""
    return swap_in_day(conn, DayLoad.of(day, settings, n_rows), fill, after_swap)


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
    """The shards of `day` (DayLoad.shards) for a caller without a plan."""
    return DayLoad.of(day, settings).shards(max_rows_per_shard)


def _id_range(plan: DayLoad, blocks: range) -> tuple[int, int]:
    prefix = first_id(plan.day)
    return prefix + blocks.start * parameters.BLOCK_SIZE + 1, prefix + blocks.stop * parameters.BLOCK_SIZE


def stage_shard(conn: psycopg.Connection, plan: DayLoad, blocks: range) -> int:
    """Write one shard's blocks into the staging table (replacing that shard; retry-safe)."""
    first, last = _id_range(plan, blocks)
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:shard'), %s)", (first % 2**31,)
        )
        conn.execute(f"DELETE FROM {STAGING} WHERE interaction_id BETWEEN %s AND %s", (first, last))
        loaded = copy_day(conn, plan, load_reference(conn), blocks, STAGING)
    log.info("staged %s interactions of %s (blocks %s)", f"{loaded:,}", plan.day, blocks)
    return loaded


def load_shard(conn: psycopg.Connection, day: dt.date, settings: BatchSettings, blocks: range) -> int:
    """`stage_shard` for a caller without a plan (the staged rows need no customer base yet)."""
    return stage_shard(conn, DayLoad.of(day, settings), blocks)


def publish_staged(conn: psycopg.Connection, plan: DayLoad) -> int:
    """Swap a fully staged day into customer_interactions, atomically; returns rows published."""
    first, last = _id_range(plan, range(0, plan.blocks))
    cols = ", ".join(COLUMNS)
    where = f"FROM {STAGING} WHERE interaction_id BETWEEN %s AND %s"

    def fill(table: str) -> int:
        staged = conn.execute(f"SELECT count(*) {where}", (first, last)).fetchone()[0]
        if staged != plan.rows:
            raise RuntimeError(
                f"staging holds {staged:,} of {plan.rows:,} rows for {plan.day}: a shard is missing"
            )
        return conn.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} {where} ORDER BY interaction_id", (first, last)
        ).rowcount

    def empty_staging() -> None:
        conn.execute(f"DELETE {where}", (first, last))

    return swap_in_day(conn, plan, fill, after_swap=empty_staging)


def publish_day(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """Outside Airflow: the customer base up to `day`, then the staged day swapped in."""
    ensure_customer_base(conn, day, settings)
    return publish_staged(conn, DayLoad.of(day, settings))


def record_batch(conn: psycopg.Connection, plan: DayLoad) -> None:
    """The day's row in the interaction_batches ledger (how many rows, which seed, when)."""
    conn.execute(
        "INSERT INTO interaction_batches (batch_date, interactions_requested, base_seed) "
        "VALUES (%s, %s, %s) ON CONFLICT (batch_date) DO UPDATE SET "
        "interactions_requested = EXCLUDED.interactions_requested, base_seed = EXCLUDED.base_seed, "
        "loaded_at = now()",
        (plan.day, plan.rows, plan.settings.seed),
    )


def record_planted_events(
    conn: psycopg.Connection, day: dt.date, seed: int, extra_events: tuple = ()
) -> None:
    """The planted events in force on `day` (with a twin's date levers' ones), into the
    planted_events ledger (once each)."""
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
        for e in events_on(seed, day, extra_events)
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
    plan: DayLoad,
    reference: Reference,
    blocks: range | None = None,
    table: str = "customer_interactions",
    freeze: bool = False,
) -> int:
    """Stream the day's blocks into one binary COPY; generation overlaps the COPY in a thread."""
    day = plan.day
    ctx = day_context_for(plan, reference)
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
