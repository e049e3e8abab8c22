"""The command line: pick the benchmarks, make the scratch database, print the figures."""

from __future__ import annotations

import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import psycopg

from devtools import database
from devtools.benchmarks.bench import FULL, QUICK, Bench
from devtools.docs_pages import PERFORMANCE_PAGE, write_performance_page


def benchmarks() -> dict[str, Callable[[Bench], None]]:
    from devtools.benchmarks import celery_day, history, lake, processes, queries, scheduler, throughput

    return {
        "generate": throughput.generate,
        "encode": throughput.encode,
        "load": throughput.load,
        "end_to_end": throughput.end_to_end,
        "seed_style": throughput.seed_style,
        "refresh": history.refresh,
        "peak_rss": processes.peak_rss,
        "backfill": processes.backfill,
        "celery_day": celery_day.celery_day,
        "queries": queries.queries,  # analysts' queries against the seed's layout
        "scheduler_backfill": scheduler.scheduler_backfill,
        "export": lake.export,  # the Parquet lake (include/export)
    }


ALIASES = {
    "celery": "celery_day",
    "seed": "seed_style",
    "rss": "peak_rss",
    "e2e": "end_to_end",
    "generation": "generate",
}


def machine(bench: Bench) -> None:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f", {kb / 1024**2:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    bench.note(f"machine: nproc {affinity} (cpu_count {os.cpu_count()}), {platform.machine()}{memory}")
    bench.note(f"python: {platform.python_version()} ({sys.executable})")
    settings = dict(
        bench.conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('server_version', 'shared_buffers', 'synchronous_commit', 'max_wal_size', 'fsync')"
        ).fetchall()
    )
    superuser = bench.conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    source = "CCA_DATABASE_URL" if os.environ.get(database.DATABASE_URL_ENV, "").strip() else "embedded"
    bench.note(
        f"postgres: {settings.get('server_version')} ({source}, {database.describe(bench.url)}); "
        f"shared_buffers={settings.get('shared_buffers')} max_wal_size={settings.get('max_wal_size')} "
        f"synchronous_commit={settings.get('synchronous_commit')} fsync={settings.get('fsync')} "
        f"superuser={bool(superuser and superuser[0])}"
    )


def _with_schema(url: str) -> str:
    from include.storage.sql import apply_schema

    with database.connect(url) as conn:
        apply_schema(conn)
    return url


def _alive(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _reconnect(make_scratch: Callable[[], str], wait: float = 120) -> psycopg.Connection:
    """Wait for the server to come back, then start over on a new scratch database."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return database.connect(_with_schema(make_scratch()), autocommit=True)
        except (database.DatabaseUnavailable, psycopg.OperationalError):
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def _write_page(bench: Bench, complete: bool, page: Path = PERFORMANCE_PAGE) -> None:
    """A full run that did not fail rewrites docs/performance.md; a partial one leaves it alone."""
    if not complete:
        print(f"# {page.name} not rewritten (only a full run without failures does)", flush=True)
        return
    when = f"on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    write_performance_page(bench.figures, bench.notes, when, page)
    print(f"# wrote {page}", flush=True)


def run(only: str = "", quick: bool = False) -> int:
    """Run the chosen benchmarks (all by default) on a scratch database; print name=value lines."""
    available = benchmarks()
    chosen = list(available)
    if only.strip():
        names = [ALIASES.get(n.strip(), n.strip()) for n in only.split(",") if n.strip()]
        unknown = [n for n in names if n not in available]
        if unknown:
            raise ValueError(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(available)}")
        chosen = [n for n in available if n in names]
    sizes = QUICK if quick else FULL

    # SIGTERM ends the run like Ctrl-C does, so the scratch database is dropped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    failed: list[str] = []
    with database.scratch_databases("bench") as make_scratch:
        url = _with_schema(make_scratch())
        with tempfile.TemporaryDirectory(prefix="cca-bench-") as workdir:
            bench = Bench(
                database.server_admin_url(), url, database.connect(url, autocommit=True), sizes, Path(workdir)
            )
            machine(bench)
            bench.note(
                f"scratch database; {'quick' if quick else 'full'} sizes; benchmarks: {', '.join(chosen)}"
            )
            for key in chosen:
                step = time.perf_counter()
                for attempt in (1, 2):
                    try:
                        available[key](bench)
                        break
                    except Exception as exc:  # report and go on with the others
                        bench.note(f"{key} FAILED: {type(exc).__name__}: {exc}")
                        for line in traceback.format_exc().rstrip().splitlines()[-12:]:
                            bench.note("  " + line)
                        # A shared server restarted under us (another session's tests): once more.
                        if attempt == 1 and not _alive(bench.conn):
                            bench.note(f"the server connection was lost; reconnecting and retrying {key}")
                            bench.conn.close()
                            bench.conn = _reconnect(make_scratch)
                            bench.cache.clear()
                            continue
                        failed.append(key)
                        break
                bench.note(f"{key} took {time.perf_counter() - step:.1f}s")
            bench.conn.close()
    print(f"# done in {time.perf_counter() - started:.1f}s", flush=True)
    _write_page(bench, complete=chosen == list(available) and not quick and not failed)
    if failed:
        print(f"# failed: {', '.join(failed)}", flush=True)
        return 1
    return 0
