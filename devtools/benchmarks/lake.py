"""The Parquet lake (include/export, docs/lake.md): a day's interactions to Parquet, timed and measured."""

from __future__ import annotations

import datetime as dt
import os
import time

from devtools.benchmarks.bench import Bench
from devtools.benchmarks.processes import _child
from include.config import DATABASE_URL_ENV
from include.export.lake import export_table
from include.storage.days import ensure_customer_base, load_day

EXPORT_DAY = dt.date(2025, 3, 10)
EXPORT_RSS_DAY = dt.date(2025, 3, 11)


def export(bench: Bench) -> None:
    """export_rows_per_s: a day of `rows` interactions streamed from Postgres to Parquet by block,
    read back and checked against Postgres (the day's largest file; the others are small), on a
    local folder. export_peak_rss_mb: a fresh process exporting a day of `rss_rows`."""
    lake = (bench.workdir / "lake").as_uri()
    conn = bench.conn
    for day, n in ((EXPORT_DAY, bench.sizes.rows), (EXPORT_RSS_DAY, bench.sizes.rss_rows)):
        ensure_customer_base(conn, day, bench.settings)
        load_day(conn, day, bench.settings, n_rows=n)
    bench.checkpoint()
    started = time.perf_counter()
    entry = export_table(conn, EXPORT_DAY, "customer_interactions", lake)
    elapsed = time.perf_counter() - started
    bench.note(
        f"export: {entry['rows']:,} rows to {entry['bytes'] / 1e6:.1f} MB of Parquet, verified, in {elapsed:.2f}s"
    )
    bench.figure("export_rows_per_s", entry["rows"] / elapsed)
    env = {**os.environ, DATABASE_URL_ENV: bench.url}
    result = _child(bench, ["export_rss", bench.url, EXPORT_RSS_DAY.isoformat(), lake], env, timeout=3600)
    bench.note(
        f"export_rss: child exported {result['rows']:,} rows in {result['seconds']:.1f}s; "
        f"RSS after imports {result['baseline_rss_mb']:.0f} MB"
    )
    bench.figure("export_peak_rss_mb", float(result["peak_rss_mb"]))
    bench.figure("export_peak_rss_rows", result["rows"])
