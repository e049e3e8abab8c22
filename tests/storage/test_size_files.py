"""Issue #15 (Medium, Low): a seed-style size file never replaces what the pipeline loaded
without being asked, summaries never describe rows that are gone, and text is escaped for
COPY's text format."""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import pandas as pd
import pytest

from devtools.database import connect, psql_path
from include.analytics import refresh_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import to_copy_text
from include.storage.days import load_day
from include.storage.reference import load_reference
from include.storage.sqlfile import REPLACE_SETTING, split_total, write_sql_file
from tests.support import table_checksums

DAYS = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(7)]
LOADED = dt.date(2026, 3, 4)


def psql_file(url: str, path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


@pytest.fixture
def loaded_day_and_file(schema_url, tmp_path):
    settings = BatchSettings(interactions_per_day=500)
    with connect(schema_url) as conn:
        load_day(conn, LOADED, settings)
        refresh_day(conn, LOADED)
        path = tmp_path / "synthetic_data_small.sql"
        write_sql_file(path, DAYS, split_total(1_000, DAYS), BatchSettings(seed=7), load_reference(conn))
    return schema_url, path


def test_size_file_refuses_to_replace_a_day_the_pipeline_loaded(loaded_day_and_file):
    url, path = loaded_day_and_file
    before = table_checksums(url)
    done = psql_file(url, path)
    assert done.returncode != 0
    assert "days the pipeline loaded (2026-03-04)" in done.stderr and REPLACE_SETTING in done.stderr
    assert table_checksums(url) == before, "nothing replaced, nothing lost"


def test_size_file_replaces_loaded_days_only_when_asked_and_leaves_no_stale_summary(loaded_day_and_file):
    url, path = loaded_day_and_file
    done = psql_file(url, path, PGOPTIONS=f"-c {REPLACE_SETTING}=on")
    assert done.returncode == 0, done.stderr
    assert "summaries emptied" in done.stderr
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0] == 1_000
        assert conn.execute("SELECT count(*) FROM interaction_batches").fetchone()[0] == 0
        for table in ("daily_channel_summary", "daily_customer_activity", "customer_summary"):
            assert conn.execute(f"SELECT count(*) FROM analytics.{table}").fetchone()[0] == 0, table


def test_copy_text_escapes_round_trip(schema_url):
    values = ["tab\there", "new\nline", "back\\slash", '"quoted"', "\\N", "cr\rlf", "plain", None]
    frame = pd.DataFrame({"id": range(len(values)), "note": values})
    with connect(schema_url) as conn:
        conn.execute("CREATE TEMP TABLE notes (id int, note text)")
        with conn.cursor().copy("COPY notes (id, note) FROM STDIN") as copy:
            copy.write(to_copy_text(frame))
        back = [r[0] for r in conn.execute("SELECT note FROM notes ORDER BY id")]
    assert back == values
