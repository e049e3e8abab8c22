"""Issue #27 (Medium): no password in any process's argv while `make migrate`, `make psql` and
`make backfill` run. A test watches /proc/*/cmdline of every process for the whole run.

The databases are the suite's scratch databases; the embedded server trusts local
connections, so a made-up password (the canary) in the URL connects all the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from devtools import database
from devtools.legacy_fixture.generate import build_legacy
from include.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
CANARY = "argv-canary-Qx7pW"
STAMP = ".venv/.installed"


def with_canary(url: str) -> str:
    """`url` with CANARY as its password, in key=value form (as a user may type it)."""
    params = conninfo_to_dict(url)
    params["password"] = CANARY
    return make_conninfo(**params)


def argvs_during(args: list[str], env: dict[str, str], timeout: float = 600) -> tuple[int, str, set[str]]:
    """Run `args`; meanwhile read every process's argv. Returns (exit code, stderr, argvs with CANARY)."""
    leaks: set[str] = set()
    with subprocess.Popen(
        args, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    argv = Path(entry.path, "cmdline").read_bytes()
                except OSError:
                    continue
                if CANARY.encode() in argv:
                    leaks.add(argv.replace(b"\0", b" ").decode(errors="replace"))
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        stderr = proc.stderr.read()
        return proc.wait(), stderr, leaks


def make_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **extra}


def make_args(*args: str) -> list[str]:
    return ["make", "-s", "-o", STAMP, *args, f"CCA={sys.executable} -m devtools"]


def test_make_migrate_keeps_the_source_password_out_of_every_argv(make_database):
    legacy = make_database()
    with database.connect(legacy) as conn:
        build_legacy(conn, 300, seed=3)
    target = make_database()
    # the user's way to keep it out of make's own argv too: SOURCE in the environment
    env = make_env(SOURCE=with_canary(legacy), CCA_DATABASE_URL=target)
    code, stderr, leaks = argvs_during(make_args("migrate"), env)
    assert code == 0, stderr
    assert CANARY not in stderr
    assert not leaks, leaks


def test_make_psql_keeps_the_password_out_of_every_argv(fresh_url):
    env = make_env(CCA_DATABASE_URL=with_canary(fresh_url), PSQL_ARGS="-X -At -c 'select pg_sleep(1.5)'")
    code, stderr, leaks = argvs_during(make_args("psql"), env)
    assert code == 0, stderr
    assert not leaks, leaks


@pytest.mark.slow
def test_make_backfill_keeps_the_password_out_of_every_argv(fresh_url):
    env = make_env(
        CCA_DATABASE_URL=with_canary(fresh_url), START="2026-03-02", END="2026-03-02", INTERACTIONS="200"
    )
    code, stderr, leaks = argvs_during(make_args("backfill"), env)
    assert code == 0, stderr
    assert not leaks, leaks


def test_cca_migrate_refuses_a_password_in_its_argv(capsys):
    from devtools.cli import main

    assert main(["migrate", "--source", f"postgresql://u:{CANARY}@127.0.0.1:9/legacy"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("error: --source holds a password") and CANARY not in err
