"""Issue #15 (Low): the Makefile never pastes user input into shell text, and `make clean`
asks before deleting the embedded database and shows why the server could not stop."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from include.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
STAMP = ".venv/.installed"
DEAD_DB = "postgresql://eve:it's'secret@127.0.0.1:9/cc"


#: make's own "*** Error" line; `make[1]:` when the suite itself runs under `make test`.
MAKE_OWN_LINE = re.compile(r"^make(\[\d+\])?: ")


def make(*args: str, cwd: Path = PROJECT_ROOT, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "-o", STAMP, *args, f"CCA={sys.executable} -m devtools"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "CCA_DATABASE_URL": DEAD_DB, "PYTHONPATH": str(PROJECT_ROOT), **env},
    )


@pytest.mark.parametrize("variable", ["START", "END", "INTERACTIONS"])
def test_a_quote_in_make_variables_runs_no_shell_command(variable, tmp_path):
    marker = tmp_path / "pwned"
    values = {"START": "2026-01-01", "END": "2026-01-02", "INTERACTIONS": "100"}
    values[variable] = f"1'; touch {marker}; echo '"
    done = make("backfill", *(f"{k}={v}" for k, v in values.items()))
    assert not marker.exists()
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and not MAKE_OWN_LINE.match(line)]
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr


def test_psql_args_reach_psql_split_but_never_run_by_a_shell(tmp_path, fresh_url):
    """`make psql PSQL_ARGS=...` splits like a shell (quotes kept together) without being one."""
    marker = tmp_path / "pwned"
    out = tmp_path / "out.txt"
    done = make(
        "psql",
        f"PSQL_ARGS=-X -At -o {out} -c \"select (40 + 2) || ' `touch {marker}`; touch {marker}'\"",
        CCA_DATABASE_URL=fresh_url,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert out.read_text() == f"42 `touch {marker}`; touch {marker}\n"


def test_a_quote_in_the_database_password_does_not_break_make_run(tmp_path):
    done = make("run")
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and not MAKE_OWN_LINE.match(line)]
    assert len(lines) == 1 and lines[0].startswith(
        "error: cannot connect to PostgreSQL at eve@127.0.0.1:9/cc"
    )
    assert "secret" not in done.stderr


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """The Makefile next to a fake .pgdata and a fake venv python (never the real ones)."""
    shutil.copy(PROJECT_ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".pgdata").mkdir()
    (tmp_path / ".pgdata" / "PG_VERSION").write_text("18\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (tmp_path / ".venv" / ".installed").touch()
    return tmp_path


def _fake_python(root: Path, exit_code: int) -> None:
    script = root / ".venv" / "bin" / "python"
    script.write_text(f"#!/bin/sh\necho 'pg_ctl: could not stop server' >&2\nexit {exit_code}\n")
    script.chmod(0o755)


def test_clean_asks_before_deleting_the_embedded_database(project_copy):
    _fake_python(project_copy, 0)
    done = subprocess.run(
        ["make", "-s", "clean"], cwd=project_copy, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert done.returncode != 0
    assert (project_copy / ".pgdata" / "PG_VERSION").exists(), "deleted without asking"
    assert "nothing removed" in done.stderr
    answered = subprocess.run(
        ["make", "-s", "clean"], cwd=project_copy, capture_output=True, text=True, input="yes\n"
    )
    assert answered.returncode == 0, answered.stderr
    assert not (project_copy / ".pgdata").exists()


def test_clean_shows_why_the_server_did_not_stop_and_keeps_the_data(project_copy):
    _fake_python(project_copy, 1)
    done = subprocess.run(
        ["make", "-s", "clean", "YES=1"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0
    assert "could not stop server" in done.stderr and "nothing removed" in done.stderr
    assert (project_copy / ".pgdata" / "PG_VERSION").exists()


#: Every variable a user gives make (the stable interfaces, the new commands, `make clean`'s YES).
USER_VARIABLES = [
    "START", "END", "INTERACTIONS", "PSQL_ARGS", "EXECUTOR", "WORKERS", "ROWS",
    "JOBS", "SCENARIO", "SOURCE", "SOURCE_SCHEMA", "YES",
]  # fmt: skip


@pytest.mark.parametrize("variable", USER_VARIABLES)
def test_make_never_expands_a_user_value(variable, tmp_path):
    """`X='$(shell ...)'` runs nothing and the command sees the value exactly as typed."""
    marker = tmp_path / "pwned"
    value = f"$(shell touch {marker})a$$b $$(HOME) c'd `true`"
    probe = tmp_path / "probe.mk"
    probe.write_text(f"probe-env:\n\t@printenv {variable}\n")
    done = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", str(probe), "probe-env", f"{variable}={value}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert not marker.exists(), f"make ran the $(shell ...) in {variable}"
    assert done.returncode == 0, done.stderr
    assert done.stdout == value + "\n"
