"""The command line: pick the benchmarks, make the scratch database, print the figures."""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from include import database
from include.generator.loader import BatchSettings


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

    def figure(self, name: str, value: float) -> None:
        if isinstance(value, float):
            value = round(value, 3) if abs(value) < 1000 else round(value)
        print(f"{name}={value}", flush=True)

    def note(self, text: str) -> None:
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


def _benchmarks() -> dict[str, Callable[[Bench], None]]:
    from benchmarks import history, processes, queries, throughput

    return {
        "generate": throughput.generate,
        "encode": throughput.encode,
        "load": throughput.load,
        "end_to_end": throughput.end_to_end,
        "seed_style": throughput.seed_style,
        "refresh": history.refresh,
        "peak_rss": processes.peak_rss,
        "backfill": processes.backfill,
        "queries": queries.queries,  # analysts' queries against the seed's layout (benchmarks/queries.py)
    }


ALIASES = {"seed": "seed_style", "rss": "peak_rss", "e2e": "end_to_end", "generation": "generate"}


def admin_url() -> str:
    """The maintenance database of the server in use."""
    user_url = os.environ.get(database.DATABASE_URL_ENV, "").strip()
    return database.with_database(user_url, "postgres") if user_url else database.embedded_url("postgres")


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


def _scratch_database(admin: str, name: str) -> str:
    """An empty database with the schema and reference data; returns its URL."""
    from include.schema import apply_schema

    database.ensure_database(admin, name)
    url = database.with_database(admin, name)
    with database.connect(url) as conn:
        apply_schema(conn)
    return url


def _alive(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _reconnect(admin: str, name: str, wait: float = 120) -> psycopg.Connection:
    """Wait for the server to come back; recreate the scratch database if it went."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return database.connect(_scratch_database(admin, name), autocommit=True)
        except (database.DatabaseUnavailable, psycopg.OperationalError):
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def _drop(admin: str, name: str, wait: float = 60) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            database.drop_database(admin, name)
            print(f"# dropped scratch database {name}", flush=True)
            return
        except (database.DatabaseUnavailable, psycopg.OperationalError) as exc:
            if time.monotonic() > deadline:
                print(f"# could not drop scratch database {name}: {exc}", flush=True)
                return
            time.sleep(2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    import benchmarks

    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=benchmarks.__doc__)
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated subset of: " + ", ".join(_benchmarks()) + " (default: all)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-run sizes: 100k-row day, 500k RSS day, 30/60 days of history, 3 backfill days",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    available = _benchmarks()
    chosen = list(available)
    if args.only.strip():
        names = [ALIASES.get(n.strip(), n.strip()) for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in available]
        if unknown:
            print(
                f"error: unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(available)}",
                file=sys.stderr,
            )
            return 2
        chosen = [n for n in available if n in names]
    sizes = QUICK if args.quick else FULL

    # SIGTERM ends the run like Ctrl-C does, so the scratch database is dropped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    try:
        admin = admin_url()
    except database.DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    name = f"bench_{os.getpid()}"
    failed: list[str] = []
    try:
        database.drop_database(admin, name)
        url = _scratch_database(admin, name)
        with tempfile.TemporaryDirectory(prefix="cca-bench-") as workdir:
            bench = Bench(admin, url, database.connect(url, autocommit=True), sizes, Path(workdir))
            machine(bench)
            bench.note(
                f"scratch database {name}; {'quick' if args.quick else 'full'} sizes; "
                f"benchmarks: {', '.join(chosen)}"
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
                            bench.conn = _reconnect(admin, name)
                            bench.cache.clear()
                            continue
                        failed.append(key)
                        break
                bench.note(f"{key} took {time.perf_counter() - step:.1f}s")
            bench.conn.close()
    finally:
        _drop(admin, name)
    print(f"# done in {time.perf_counter() - started:.1f}s", flush=True)
    if failed:
        print(f"# failed: {', '.join(failed)}", flush=True)
        return 1
    return 0
