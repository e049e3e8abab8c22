"""The schema's files and the ledger of upgrades (cca_meta.schema_upgrades), on a real PostgreSQL."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from devtools.database import connect, psql_path
from include.config import SQL_DIR
from include.storage.sql import SCHEMA_FILE, SqlIncludeError, apply_schema, expand_includes, run_sql_file

UPGRADES_DIR = SQL_DIR / "upgrades"
PREVIOUS_SCHEMA_FILE = Path(__file__).parent / "fixtures" / "00_schema_days_by_id.sql"
LEDGER = "SELECT version, name, applied_at, checksum, ran FROM cca_meta.schema_upgrades ORDER BY version"


def upgrade_files() -> list[Path]:
    return sorted(UPGRADES_DIR.glob("*.sql"))


def psql_file(url: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)], capture_output=True, text=True
    )


def test_upgrade_files_are_numbered_once_each_and_all_included():
    entry = SCHEMA_FILE.read_text()
    assert upgrade_files()
    for number, path in enumerate(upgrade_files(), start=1):
        version, name = path.stem.split("_", 1)
        assert int(version) == number, f"{path.name}: upgrades are numbered 0001, 0002, ... without gaps"
        calls = re.findall(r"CALL cca_meta\.apply_upgrade\((\d+), '(\w+)', \$upgrade\$", path.read_text())
        assert calls == [(str(number), name)], f"{path.name}: one apply_upgrade call, its own number and name"
        assert entry.count(f"\\ir upgrades/{path.name}\n") == 1, (
            f"{path.name} is not included by 00_schema.sql"
        )


def test_no_sql_file_is_over_300_lines():
    for path in SQL_DIR.rglob("*.sql"):
        assert len(path.read_text().splitlines()) <= 300, path
    assert len(SCHEMA_FILE.read_text().splitlines()) <= 80  # a short entry file


def test_python_expands_the_includes_as_psql_runs_them(fresh_url, make_database):
    """Same upgrades recorded with the same checksums, whether psql or run_sql_file ran the file."""
    by_psql = make_database()
    done = psql_file(by_psql, SCHEMA_FILE)
    assert done.returncode == 0, done.stderr
    with connect(fresh_url) as conn:
        apply_schema(conn)
        by_python = conn.execute(
            "SELECT version, name, checksum, ran FROM cca_meta.schema_upgrades"
        ).fetchall()
    with connect(by_psql) as conn:
        assert conn.execute(
            "SELECT version, name, checksum, ran FROM cca_meta.schema_upgrades"
        ).fetchall() == (by_python)
    assert [r[:2] for r in by_python] == [(int(p.stem[:4]), p.stem[5:]) for p in upgrade_files()]


def test_a_new_database_records_every_upgrade_without_running_it(schema_url):
    with connect(schema_url) as conn:
        ledger = conn.execute(LEDGER).fetchall()
        assert len(ledger) == len(upgrade_files())
        assert not any(ran for *_, ran in ledger)
        apply_schema(conn)  # a re-run is a no-op: nothing recorded again
        assert conn.execute(LEDGER).fetchall() == ledger


def test_an_earlier_release_runs_each_upgrade_exactly_once(fresh_url):
    with connect(fresh_url) as conn:
        with conn.transaction():
            run_sql_file(conn, PREVIOUS_SCHEMA_FILE)  # a release before the ledger
        apply_schema(conn)
        ledger = conn.execute(LEDGER).fetchall()
        assert [(version, ran) for version, _, _, _, ran in ledger] == [
            (n, True) for n in range(1, len(upgrade_files()) + 1)
        ]
        apply_schema(conn)
        assert conn.execute(LEDGER).fetchall() == ledger  # nothing ran again


def copy_of_the_schema(tmp_path: Path) -> Path:
    """The schema files copied, to edit in a test; returns the copy's entry file."""
    shutil.copytree(SQL_DIR / "schema", tmp_path / "schema")
    shutil.copytree(UPGRADES_DIR, tmp_path / "upgrades")
    shutil.copy(SCHEMA_FILE, tmp_path / SCHEMA_FILE.name)
    return tmp_path / SCHEMA_FILE.name


def add_upgrade(entry: Path, name: str, statements: str) -> None:
    """A new numbered upgrade in the copy, included last before COMMIT."""
    version = len(list((entry.parent / "upgrades").glob("*.sql"))) + 1
    file_name = f"{version:04d}_{name}.sql"
    (entry.parent / "upgrades" / file_name).write_text(
        f"CALL cca_meta.apply_upgrade({version}, '{name}', $upgrade$\n{statements}\n$upgrade$);\n"
    )
    entry.write_text(entry.read_text().replace("\nCOMMIT;", f"\n\\ir upgrades/{file_name}\nCOMMIT;"))


def test_a_new_upgrade_runs_once_on_an_existing_database_and_never_on_a_new_one(
    schema_url, make_database, tmp_path
):
    entry = copy_of_the_schema(tmp_path)
    add_upgrade(entry, "count_the_runs", "INSERT INTO upgrade_runs VALUES (now());")
    with connect(schema_url) as conn:  # an existing database: the upgrade runs, once
        conn.execute("CREATE TABLE upgrade_runs (at timestamptz)")
        conn.commit()
        for _ in range(2):
            run_sql_file(conn, entry)
            conn.commit()
        assert conn.execute("SELECT count(*) FROM upgrade_runs").fetchone()[0] == 1
        assert conn.execute(
            "SELECT ran FROM cca_meta.schema_upgrades WHERE name = 'count_the_runs'"
        ).fetchone()[0]
    with connect(make_database()) as conn:  # a new one: the schema files already give its result
        conn.execute("CREATE TABLE upgrade_runs (at timestamptz)")
        conn.commit()
        run_sql_file(conn, entry)
        conn.commit()
        assert conn.execute("SELECT count(*) FROM upgrade_runs").fetchone()[0] == 0
        assert conn.execute(
            "SELECT ran FROM cca_meta.schema_upgrades WHERE name = 'count_the_runs'"
        ).fetchone() == (False,)


def test_an_edited_released_upgrade_is_refused_and_changes_nothing(schema_url, tmp_path):
    entry = copy_of_the_schema(tmp_path)
    released = next((tmp_path / "upgrades").glob("0003_*.sql"))
    released.write_text(
        released.read_text().replace("preferred_language text;", "preferred_language varchar;")
    )
    with connect(schema_url) as conn:
        ledger = conn.execute(LEDGER).fetchall()
        with pytest.raises(psycopg.errors.RaiseException, match="schema upgrade 0003 .* must never change"):
            run_sql_file(conn, entry)
        conn.rollback()
        assert conn.execute(LEDGER).fetchall() == ledger
    done = psql_file(schema_url, entry)  # plain psql refuses it too
    assert done.returncode != 0 and "must never change" in done.stderr


def test_only_include_lines_are_expanded_other_meta_commands_are_refused(tmp_path):
    (tmp_path / "part.sql").write_text("SELECT 1;\n")
    (tmp_path / "entry.sql").write_text("BEGIN;\n\\ir part.sql\n\\ir 'part.sql'\nCOMMIT;\n")
    assert expand_includes(tmp_path / "entry.sql") == "BEGIN;\nSELECT 1;\nSELECT 1;\nCOMMIT;\n"
    (tmp_path / "entry.sql").write_text("\\set x 1\nSELECT :x;\n")
    with pytest.raises(SqlIncludeError, match=r"entry\.sql:1: only \\ir"):
        expand_includes(tmp_path / "entry.sql")
    (tmp_path / "entry.sql").write_text("\\ir entry.sql\n")
    with pytest.raises(SqlIncludeError, match="includes itself"):
        expand_includes(tmp_path / "entry.sql")
