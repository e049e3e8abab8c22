"""Issue #15 (Medium): the pipeline drops nothing it did not create, and what it reports as
done is durable."""

from __future__ import annotations

import datetime as dt

from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from devtools.database import connect, normalize_dsn
from include import analytics
from include.generator.settings import BatchSettings
from include.storage import days

DAY = dt.date(2026, 3, 4)
SMALL = BatchSettings(interactions_per_day=300)


def test_summary_refresh_never_drops_a_users_table(schema_url):
    names = ("old_activity", "activity_delta", "staging_customers", "staging_customer_service_plans")
    with connect(schema_url) as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE TABLE public.{} (note text)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("INSERT INTO public.{} VALUES ('mine')").format(sql.Identifier(name)))
        conn.commit()
        days.load_day(conn, DAY, SMALL)
        analytics.refresh_day(conn, DAY)
        analytics.refresh_day(conn, DAY)
        analytics.rebuild_all(conn)
        for name in names:
            rows = conn.execute(sql.SQL("SELECT note FROM public.{}").format(sql.Identifier(name))).fetchall()
            assert rows == [("mine",)], name


def test_publish_and_refresh_wait_for_the_wal_flush(schema_url, monkeypatch):
    """A server (or database) tuned with synchronous_commit = off still gets durable days."""
    with connect(schema_url, autocommit=True) as conn:
        name = conninfo_to_dict(normalize_dsn(schema_url))["dbname"]
        conn.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name)))
    seen: dict[str, str] = {}
    with connect(schema_url) as conn:
        assert conn.execute("SHOW synchronous_commit").fetchone()[0] == "off"
        conn.commit()

        real_fill = days.copy_day

        def spying_copy_day(conn_, *args, **kwargs):
            seen["publish"] = conn_.execute("SHOW synchronous_commit").fetchone()[0]
            return real_fill(conn_, *args, **kwargs)

        monkeypatch.setattr(days, "copy_day", spying_copy_day)
        days.load_day(conn, DAY, SMALL)
        real_run = analytics.run_sql_file

        def spying_run(conn_, *args, **kwargs):
            seen["refresh"] = conn_.execute("SHOW synchronous_commit").fetchone()[0]
            return real_run(conn_, *args, **kwargs)

        monkeypatch.setattr(analytics, "run_sql_file", spying_run)
        analytics.refresh_day(conn, DAY)
        seen["after"] = conn.execute("SHOW synchronous_commit").fetchone()[0]
    assert seen == {"publish": "on", "refresh": "on", "after": "off"}
