"""`cca generate` and scripts/generate_data.sh: bad input is one line and writes nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from devtools.database import connect
from include.config import PROJECT_ROOT
from include.generator.calendar import day_volume
from tests.support import run_cca


def test_generate_data_script_rejects_an_unknown_size():
    done = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "generate_data.sh"), "huge"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "small, medium, large, xlarge" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--size", "huge"],
        ["--interactions", "0"],
        ["--interactions", "-4"],
        ["--interactions", "lots"],
        ["--interactions", "99999999999"],
        ["--start-date", "2026-02-30"],
        ["--end-date", "yesterday"],
        ["--start-date", "2026-03-05", "--end-date", "2026-03-01"],
        ["--start-date", "1999-01-01"],
        ["--seed", "1.5"],
    ],
)
def test_cli_rejects_bad_input_with_one_line_and_writes_nothing(args, schema_url, tmp_path):
    out = tmp_path / "never.sql"
    for extra in ([], ["--output", str(out)]):
        done = run_cca("generate", *args, *extra, timeout=120)
        assert done.returncode != 0
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    assert not out.exists()
    with connect(schema_url) as conn:
        assert conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


def test_cli_loads_a_range_into_the_database_in_use(schema_url):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools",
            "generate",
            "--start-date",
            "2026-03-02",
            "--end-date",
            "2026-03-03",
            "--interactions",
            "400",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with connect(schema_url) as conn:
        n = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
    assert n == day_volume(dt.date(2026, 3, 2), 400) + day_volume(dt.date(2026, 3, 3), 400)
