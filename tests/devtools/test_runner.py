"""`make backfill` / `make run` front door: bad input is one line and writes nothing (issues 4 and 7)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.database import connect
from include.config import PROJECT_ROOT
from tests.support import plant_earlier_release_base, run_cca


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backfill", "2026-03-05", "2026-03-01"], "is after END"),
        (["backfill", "2026-3-1x", "2026-03-01"], "dates must be YYYY-MM-DD"),
        (["backfill", "2019-12-30", "2020-01-02"], "before the generator's first day"),
        (["backfill", "2026-03-01", "2026-03-02", "--interactions", "0"], "INTERACTIONS must be between"),
        (
            ["backfill", "2026-03-01", "2026-03-02", "--interactions", "ten"],
            "INTERACTIONS must be a whole number",
        ),
        (["backfill", "2026-03-01", "2026-03-02", "--interactions", "-7"], "INTERACTIONS must be between"),
    ],
)
def test_backfill_rejects_bad_input_with_one_line_before_writing(args, message, fresh_url):
    done = run_cca(*args, timeout=120)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], done.stderr
    with connect(fresh_url) as conn:
        assert conn.execute("SELECT to_regclass('customer_interactions')").fetchone()[0] is None


def test_make_backfill_without_a_range_explains_usage():
    done = subprocess.run(
        ["make", "-s", "backfill"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300
    )
    assert done.returncode != 0
    assert "usage: make backfill START=YYYY-MM-DD END=YYYY-MM-DD" in done.stderr


def test_backfill_with_a_dead_database_names_the_host_only():
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "CCA_DATABASE_URL": "postgresql://ops:pa55word@127.0.0.1:9/cc",
    }
    done = subprocess.run(
        [sys.executable, "-m", "devtools", "backfill", "2026-03-01", "2026-03-01"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "127.0.0.1:9" in done.stderr and "pa55word" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1


def test_backfill_refuses_a_database_of_an_earlier_release_with_one_line(schema_url):
    """Its customers (ids below 10,001) are not this generator's: one line, before Airflow starts."""
    with connect(schema_url) as conn:
        plant_earlier_release_base(conn)
    done = run_cca("backfill", "2026-03-01", "2026-03-01")
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "fresh database" in lines[0], done.stderr
    with connect(schema_url) as conn:
        assert conn.execute("SELECT count(*) FROM interaction_batches").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 1


def test_a_backfill_prints_its_progress_without_airflow_noise(fresh_url, airflow_metadata):
    """No warning that reads like a leaked secret: Airflow masks the connection's extras
    (`connect_timeout=10` is too short to mask and used to get a warning on every run)."""
    done = run_cca("backfill", "2026-03-02", "2026-03-02", "--interactions", "300", timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "[1/1] 2026-03-02: ok in" in done.stdout
    assert "too short" not in output and "Traceback" not in output, output
