"""Dirty legacy data (issue #27): the project's fixture with each dirty value of real exports
planted (devtools/legacy_fixture/dirty.py), and an SQL_ASCII source, each migrated by the
real command `cca migrate` in its own process.

Each must end with exit 0 and no traceback, with every source row counted (read = migrated
+ rejected, read = the rows the source holds) in the target's migration.report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from devtools.database import DATABASE_URL_ENV, connect
from devtools.legacy_fixture.dirty import DIRTY_VALUES, make_sql_ascii, plant_dirty_values, plant_latin1_name
from devtools.legacy_fixture.generate import build_legacy
from include.config import PROJECT_ROOT
from include.migration.source import SOURCE_COLUMNS

ROWS = 3_000
SQL_ASCII = "SQL_ASCII source with a Latin-1 name"
#: What `make reliability` tries: every dirty value of the fixture, then the SQL_ASCII source.
INPUTS = [*DIRTY_VALUES, SQL_ASCII]


@dataclass
class DirtyOutcome:
    name: str
    exit_code: int
    traceback: bool
    read: int
    counted: int
    rejected: int
    repaired: int
    message: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.traceback and self.read == self.counted


def migrate_command(source_url: str, target_url: str) -> subprocess.CompletedProcess:
    """`cca migrate` from the source into the target, in a process of its own."""
    from devtools.commands.migrate import SOURCE_ENV

    # the source DSN travels in the environment, never in argv (docs/security.md)
    env = {**os.environ, DATABASE_URL_ENV: target_url, SOURCE_ENV: source_url}
    return subprocess.run(
        [sys.executable, "-m", "devtools", "migrate"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=600,
    )


def counted_rows(source_url: str, target_url: str) -> tuple[int, int, int, int]:
    """(rows the source holds, rows the report counts as migrated or rejected, rejected, repaired)."""
    with connect(source_url) as conn:
        read = sum(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in SOURCE_COLUMNS)
    with connect(target_url) as conn:
        if conn.execute("SELECT to_regclass('migration.report')").fetchone()[0] is None:
            return read, 0, 0, 0
        counted, rejected, repaired = conn.execute(
            "SELECT coalesce(sum(rows) FILTER (WHERE outcome IN ('migrated', 'rejected')), 0), "
            "coalesce(sum(rows) FILTER (WHERE outcome = 'rejected'), 0), "
            "coalesce(sum(rows) FILTER (WHERE reason LIKE 'repaired%%'), 0) "
            "FROM migration.report WHERE source_table = ANY(%s)",
            (list(SOURCE_COLUMNS),),
        ).fetchone()
    return read, int(counted), int(rejected), int(repaired)


def try_one(name: str, make_db: Callable[[], str]) -> DirtyOutcome:
    source, target = make_db(), make_db()
    if name == SQL_ASCII:
        make_sql_ascii(source)
    with connect(source) as conn:
        build_legacy(conn, ROWS, seed=7)
        if name == SQL_ASCII:
            plant_latin1_name(conn)
        else:
            plant_dirty_values(conn, [name])
    done = migrate_command(source, target)
    read, counted, rejected, repaired = counted_rows(source, target)
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return DirtyOutcome(
        name, done.returncode, "Traceback" in done.stderr, read, counted, rejected, repaired, last[:100]
    )


def run_all(
    make_db: Callable[[], str], printer: Callable[[str], None] = print, names: list[str] | None = None
) -> list[DirtyOutcome]:
    outcomes = []
    for name in names or INPUTS:
        outcome = try_one(name, make_db)
        outcomes.append(outcome)
        printer(
            f"{name:<48} {'migrated' if outcome.ok else 'FAILED':<9} exit {outcome.exit_code}  "
            f"rows counted {outcome.counted:,}/{outcome.read:,}  rejected {outcome.rejected:,}  "
            f"repaired {outcome.repaired:,}  {outcome.message if not outcome.ok else ''}"
        )
    ok = sum(o.ok for o in outcomes)
    printer(
        f"dirty migrations tried {len(outcomes)}, completed with every row counted {ok}/{len(outcomes)}, "
        f"tracebacks {sum(o.traceback for o in outcomes)}"
    )
    return outcomes
