"""Rows per second of each stage of a day's load, and of the seed's INSERT-per-row file."""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import time

import numpy as np
import pandas as pd

from devtools.benchmarks.bench import Bench
from devtools.database import psql_path
from include.generator.customers import build_customer_base
from include.generator.interactions import block_sizes, day_context, generate_block, generate_day
from include.storage.copy_format import BINARY_HEADER, BINARY_TRAILER, COLUMNS, encode_binary, to_frame
from include.storage.days import (
    copy_statement,
    ensure_customer_base,
    forget_day_contexts,
    load_day,
    replace_day,
)
from include.storage.reference import load_reference

#: One day per benchmark, so each loads a day nothing else touched.
LOAD_DAY = dt.date(2025, 3, 3)  # generate, encode and load share its blocks
END_TO_END_DAY = dt.date(2025, 3, 4)
SEED_STYLE_DAY = dt.date(2025, 3, 5)


def _context(bench: Bench, day: dt.date, n_rows: int):
    reference = load_reference(bench.conn)
    s = bench.settings
    base = build_customer_base(s.seed, s.signups, day, reference)
    return day_context(day, n_rows, s.seed, base, reference)


def _blocks(bench: Bench) -> list[dict[str, np.ndarray]]:
    if "blocks" not in bench.cache:
        ctx = _context(bench, LOAD_DAY, bench.sizes.rows)
        bench.cache["blocks"] = list(generate_day(ctx))
    return bench.cache["blocks"]


def _encoded(bench: Bench) -> list[bytes]:
    if "encoded" not in bench.cache:
        bench.cache["encoded"] = [encode_binary(b) for b in _blocks(bench)]
    return bench.cache["encoded"]


def generate(bench: Bench) -> None:
    """generate_block over every block of the day (the day's context is set up untimed)."""
    n = bench.sizes.rows
    started = time.perf_counter()
    ctx = _context(bench, LOAD_DAY, n)
    setup = time.perf_counter() - started
    generate_block(ctx, 0)  # warm-up: first-call costs (imports, caches) are not throughput
    started = time.perf_counter()
    blocks = [generate_block(ctx, b) for b in range(len(block_sizes(n)))]
    elapsed = time.perf_counter() - started
    bench.cache["blocks"] = blocks
    bench.note(
        f"generate: {n:,} rows in {len(blocks)} blocks, {elapsed:.2f}s "
        f"(customer base + day context {setup:.2f}s, {len(ctx.pool_ids):,} active customers)"
    )
    bench.figure("generate_rows_per_s", n / elapsed)


def encode(bench: Bench) -> None:
    blocks = _blocks(bench)
    encode_binary(blocks[0])  # warm-up
    started = time.perf_counter()
    encoded = [encode_binary(b) for b in blocks]
    elapsed = time.perf_counter() - started
    bench.cache["encoded"] = encoded
    n = sum(len(b["interaction_id"]) for b in blocks)
    size = sum(len(e) for e in encoded)
    bench.note(
        f"encode: {n:,} rows, {size / 1e6:.0f} MB of binary COPY ({size / n:.0f} B/row), {elapsed:.2f}s"
    )
    bench.figure("encode_rows_per_s", n / elapsed)


def load(bench: Bench) -> None:
    """The database side of load_day on pre-encoded blocks: COPY, index, key checks, swap in, commit."""
    encoded = _encoded(bench)
    n = sum(len(b["interaction_id"]) for b in _blocks(bench))
    size = sum(len(e) for e in encoded)
    conn = bench.conn
    ensure_customer_base(conn, LOAD_DAY, bench.settings)
    bench.reset()

    def fill(table: str) -> int:
        with conn.cursor().copy(copy_statement(table, freeze=True)) as copy:
            copy.write(BINARY_HEADER)
            for chunk in encoded:
                copy.write(chunk)
            copy.write(BINARY_TRAILER)
        return n

    started = time.perf_counter()
    replace_day(conn, LOAD_DAY, n, bench.settings, fill)
    elapsed = time.perf_counter() - started
    loaded = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
    bench.note(
        f"load: {loaded:,} rows COPYed, indexed, swapped in and committed in {elapsed:.2f}s "
        f"({size / 1e6 / elapsed:.0f} MB/s)"
    )
    bench.figure("load_rows_per_s", n / elapsed)
    bench.cache.pop("encoded", None)
    bench.cache.pop("blocks", None)


def end_to_end(bench: Bench) -> None:
    """load_day of a 1M-row day: generation, COPY, primary key, key checks, swap, commit.

    Median of 3: the first loads a new day, the others replace it (a re-run). One run on a
    shared 2-core VM varies by +-15%. The day's workforce (shifts, queues) is planned in every
    run; the customer base is extended before (the DAG's own task).
    """
    n = bench.sizes.rows
    conn = bench.conn
    # The DAG extends the customer base in its own task before generate_interactions.
    ensure_customer_base(conn, END_TO_END_DAY, bench.settings)
    bench.reset()
    times = []
    for _ in range(3):
        bench.checkpoint()
        forget_day_contexts()  # each run plans the day's shifts and queues again, as a new task does
        started = time.perf_counter()
        loaded = load_day(conn, END_TO_END_DAY, bench.settings, n_rows=n)
        times.append(time.perf_counter() - started)
    bench.note(
        f"end_to_end: load_day of {loaded:,} rows in "
        + ", ".join(f"{t:.2f}s" for t in times)
        + " (customer base already extended)"
    )
    bench.figure("end_to_end_rows_per_s", loaded / statistics.median(times))


def _literals(column: pd.Series) -> list[str]:
    """SQL literals of one column (NULL for missing values)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return ["true" if v else "false" for v in column]
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return [f"'{v.isoformat()}'" for v in column]
    if pd.api.types.is_integer_dtype(column.dtype):
        return ["NULL" if pd.isna(v) else str(int(v)) for v in column]
    return ["NULL" if pd.isna(v) else "'" + str(v).replace("'", "''") + "'" for v in column]


def write_insert_file(path, frame: pd.DataFrame) -> None:
    """One INSERT statement per row, no explicit transaction: the seed's way of shipping data."""
    columns = ", ".join(COLUMNS)
    values = zip(*(_literals(frame[c]) for c in COLUMNS), strict=True)
    with open(path, "w") as out:
        for row in values:
            out.write(f"INSERT INTO customer_interactions ({columns}) VALUES ({', '.join(row)});\n")


def seed_style(bench: Bench) -> None:
    n = bench.sizes.seed_rows
    conn = bench.conn
    ensure_customer_base(conn, SEED_STYLE_DAY, bench.settings)
    bench.reset()
    ctx = _context(bench, SEED_STYLE_DAY, n)
    frame = pd.concat([to_frame(b) for b in generate_day(ctx)], ignore_index=True)
    path = bench.workdir / "seed_style_inserts.sql"
    write_insert_file(path, frame)
    bench.checkpoint()
    started = time.perf_counter()
    done = subprocess.run(
        [psql_path(), bench.url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"psql exited {done.returncode}: {done.stderr.strip()[-500:]}")
    loaded = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
    bench.note(
        f"seed_style: {loaded:,} of {n:,} rows as one autocommitted INSERT each "
        f"({path.stat().st_size / 1e6:.1f} MB file, FK triggers per row) via psql in {elapsed:.2f}s"
    )
    bench.figure("seed_style_insert_rows_per_s", n / elapsed)
    path.unlink()
