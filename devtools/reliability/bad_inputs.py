"""Bad inputs, tried as a careful user or an attacker would (issue #15), against a scratch
database holding a loaded day and its summaries.

Each must be rejected cleanly: one `error:`-style line (no traceback, no password), and
every table exactly as it was before (nothing written, nothing lost).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from devtools.database import DatabaseUnavailable, connect, psql_path

DAY = dt.date(2026, 3, 4)
SECRET = "s3cr3t/pass"
PARAMS = {
    "batch_date": None,
    "interactions_per_day": 2_000,
    "seed": 42,
    "new_customers_per_day": 5,
    "max_rows_per_shard": 1_000_000,
}


@dataclass
class Outcome:
    name: str
    rejected: bool
    clean: bool
    unchanged: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.rejected and self.clean and self.unchanged


def _dag_params(**conf) -> Callable[[str], None]:
    def attempt(url: str) -> None:
        from include.pipeline import plan_from_params

        plan_from_params({**PARAMS, **conf}, conf, None, dt.datetime.now(dt.UTC))

    return attempt


def _cli(*argv: str, database_url: str | None = None) -> Callable[[str], None]:
    def attempt(url: str) -> None:
        from devtools import cli

        err = io.StringIO()
        saved = os.environ.get("CCA_DATABASE_URL")
        os.environ["CCA_DATABASE_URL"] = database_url or url
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                try:
                    code = cli.main(list(argv))
                except SystemExit as exc:  # argparse usage errors
                    code = exc.code
        finally:
            if saved is None:
                os.environ.pop("CCA_DATABASE_URL", None)
            else:
                os.environ["CCA_DATABASE_URL"] = saved
        if code == 0:
            return
        raise ValueError(err.getvalue().strip())

    return attempt


def _storage(what: str, day: dt.date, **settings) -> Callable[[str], None]:
    def attempt(url: str) -> None:
        from include.generator.settings import BatchSettings
        from include.storage.days import ensure_customer_base, load_day

        fn = {"customer base": ensure_customer_base, "load day": load_day}[what]
        s = BatchSettings(**settings) if settings else BatchSettings()
        with connect(url) as conn:
            fn(conn, day, s)

    return attempt


def _size_file_over_loaded_day(tmp_dir: str) -> Callable[[str], None]:
    def attempt(url: str) -> None:
        from pathlib import Path

        from include.generator.settings import BatchSettings
        from include.storage.reference import load_reference
        from include.storage.sqlfile import split_total, write_sql_file

        days = [DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)]
        path = Path(tmp_dir) / "size_file.sql"
        with connect(url) as conn:
            write_sql_file(path, days, split_total(1_000, days), BatchSettings(), load_reference(conn))
        done = subprocess.run(
            [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if "ERROR" in line]
            raise ValueError(lines[0] if lines else done.stderr.strip())

    return attempt


def cases(tmp_dir: str) -> list[tuple[str, Callable[[str], None]]]:
    quote = "2026-01-01'; touch /tmp/cca-pwned; echo '"
    return [
        ("batch_date 9999-12-31", _dag_params(batch_date="9999-12-31")),
        ("batch_date 2100-01-01", _dag_params(batch_date="2100-01-01")),
        ("batch_date before the first day", _dag_params(batch_date="1999-12-31")),
        ("batch_date 2026-02-30", _dag_params(batch_date="2026-02-30")),
        ("new_customers_per_day 9999", _dag_params(new_customers_per_day=9_999)),
        ("interactions_per_day 0", _dag_params(interactions_per_day=0)),
        ("interactions_per_day 10,000,001", _dag_params(interactions_per_day=10_000_001)),
        ("interactions_per_day 'abc'", _dag_params(interactions_per_day="abc")),
        ("interactions_per_day 2000.5", _dag_params(interactions_per_day=2000.5)),
        ("max_rows_per_shard 150000.5", _dag_params(max_rows_per_shard=150000.5)),
        ("max_rows_per_shard '150000'", _dag_params(max_rows_per_shard="150000")),
        ("seed -1", _dag_params(seed=-1)),
        ("unknown conf key", _dag_params(interactions_per_dya=5)),
        ("cca backfill START with a quote", _cli("backfill", quote, "2026-01-02")),
        ("cca backfill reversed range", _cli("backfill", "2026-03-05", "2026-03-01")),
        ("cca backfill END 9999-12-31", _cli("backfill", "2026-03-01", "9999-12-31")),
        (
            "cca backfill INTERACTIONS 1e9",
            _cli("backfill", "2026-03-01", "2026-03-02", "--interactions", "1e9"),
        ),
        ("cca generate --end-date 2100-01-01", _cli("generate", "--end-date", "2100-01-01")),
        ("cca generate --new-customers-per-day 9999", _cli("generate", "--new-customers-per-day", "9999")),
        (
            "database URL with a quote and a password",
            _cli(
                "db", "check", database_url=f"host=127.0.0.1 port=9 user=eve password='{SECRET}' dbname='x'y"
            ),
        ),
        (
            "unreachable database, password with '/'",
            _cli("db", "check", database_url=f"postgresql+psycopg2://eve:{SECRET}@127.0.0.1:9/cc"),
        ),
        ("load of 2100-01-01 (storage)", _storage("load day", dt.date(2100, 1, 1))),
        ("customer base to 9999-12-31 (storage)", _storage("customer base", dt.date(9999, 12, 31))),
        ("size file over a day the pipeline loaded", _size_file_over_loaded_day(tmp_dir)),
    ]


def table_state(url: str) -> tuple:
    """Row counts and md5 of every table the project owns (public, analytics, day partitions)."""
    with connect(url) as conn:
        tables = [
            f"{schema}.{name}"
            for schema, name in conn.execute(
                "SELECT schemaname, tablename FROM pg_tables "
                "WHERE schemaname IN ('public', 'analytics', 'interaction_days') ORDER BY 1, 2"
            )
        ]
        return tuple(
            (
                t,
                *conn.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {t} x"
                ).fetchone(),
            )
            for t in tables
        )


def prepare(url: str) -> None:
    from include.analytics import refresh_day
    from include.generator.settings import BatchSettings
    from include.storage.days import load_day
    from include.storage.sql import apply_schema

    with connect(url) as conn:
        apply_schema(conn)
        load_day(conn, DAY, BatchSettings(interactions_per_day=500))
        refresh_day(conn, DAY)


def run_all(make_db: Callable[[], str], printer: Callable[[str], None] = print) -> list[Outcome]:
    import tempfile

    url = make_db()
    prepare(url)
    outcomes = []
    after = table_state(url)
    with tempfile.TemporaryDirectory() as tmp_dir:
        for name, attempt in cases(tmp_dir):
            before = after  # nothing runs between two attempts: the state the last one left
            message, rejected = "", False
            try:
                attempt(url)
            except (ValueError, DatabaseUnavailable) as exc:
                rejected, message = True, str(exc)
            except Exception as exc:  # anything else is not a clean rejection
                rejected, message = True, f"UNCLEAN {type(exc).__name__}: {exc}"
            clean = (
                rejected
                and not message.startswith("UNCLEAN")
                and "\n" not in message.strip()
                and "Traceback" not in message
                and SECRET not in message
                and "s3cr3t" not in message
            )
            after = table_state(url)
            outcome = Outcome(name, rejected, clean, after == before, " ".join(message.split())[:110])
            outcomes.append(outcome)
            status = "rejected" if outcome.ok else "FAILED"
            printer(
                f"{name:<44} {status:<9} {'unchanged' if outcome.unchanged else 'CHANGED':<10} {outcome.message}"
            )
    ok = sum(o.ok for o in outcomes)
    printer(
        f"bad inputs tried {len(outcomes)}, rejected cleanly {ok}/{len(outcomes)}, "
        f"nothing written and nothing lost in {sum(o.unchanged for o in outcomes)}/{len(outcomes)}"
    )
    return outcomes
