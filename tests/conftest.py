"""Test fixtures: a real PostgreSQL (the embedded server, or CCA_DATABASE_URL's) and real Airflow.

Every database a test writes to is a scratch database created here and dropped at the end
of the session; the user's data is never touched.

`make test` runs the suite on two pytest-xdist workers, then the tests marked `exclusive` on
their own (they stop or kill the shared server). Workers never share a scratch database (names
carry the pid), an Airflow home (TEST_HOME below: SQLite metadata, logs, reports, lake) or a
port; a module's tests, and all the Airflow stacks (AIRFLOW_STACKS), stay on one worker. A new
test that stops or reconfigures the server gets `@pytest.mark.exclusive`; a new module that
starts an Airflow stack goes into AIRFLOW_STACKS.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# include.config reads CCA_REPORTS_DIR when first imported: set it before anything imports it,
# or reports land in the project's reports/ instead of the tests' own directory.
TESTS_HOME = Path(__file__).resolve().parents[1] / ".airflow-test"
#: `make test` runs the suite on several processes (pytest-xdist): each has a home of its own,
#: so its Airflow metadata (SQLite takes one writer at a time), task logs, reports and lake are
#: its own. A run without xdist keeps .airflow-test itself.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_HOME = TESTS_HOME / WORKER if WORKER else TESTS_HOME
os.environ["CCA_REPORTS_DIR"] = str(TEST_HOME / "reports")
# The DAG's export_day writes the Parquet lake here, not into the project's data/lake.
os.environ["CCA_EXPORT_URL"] = (TEST_HOME / "lake").as_uri()

import pytest  # noqa: E402

from devtools import database  # noqa: E402
from devtools.airflow_env import airflow_env  # noqa: E402
from include.config import PROJECT_ROOT  # noqa: E402

#: Browser tests that skip are listed in the summary (and fail CI): tests/browser_summary.py.
pytest_plugins = ["tests.browser_summary"]

# Airflow reads its settings at import: set them (the project's one Airflow environment,
# with the tests' own AIRFLOW_HOME) before anything imports it.
assert TESTS_HOME == PROJECT_ROOT / ".airflow-test"
os.environ.update(airflow_env(None, TEST_HOME))
# The tests' runs stay out of the user's history: `make run`/`make backfill` would otherwise record
# them in `make airflow`'s metadata database (devtools.airflow_env.runner_metadata_conn). An xdist
# worker inherits the controller's default: it takes its own home's instead.
_METADATA_CONN, _SHARED_METADATA = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{TESTS_HOME}/airflow.db"
if os.environ.get(_METADATA_CONN, _SHARED_METADATA) == _SHARED_METADATA:
    os.environ[_METADATA_CONN] = f"sqlite:///{TEST_HOME}/airflow.db"
TEST_HOME.mkdir(parents=True, exist_ok=True)

#: Modules that start a whole Airflow (api-server, scheduler, executors, a Celery broker) or run
#: Airflow runners side by side: under `make test` one worker runs them one after another, so
#: two stacks never compete for the cores while their timeouts (heartbeats, waits) run.
AIRFLOW_STACKS = {
    "test_airflow_stack.py",
    "test_airflow_ui.py",
    "test_backfill_jobs.py",
    "test_celery.py",
    "test_local_airflow_security.py",
}


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: no error where it is not loaded
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`make test`'s workers (pytest-xdist) take a module at a time, so its module fixtures (a
    loaded database, a running Airflow) are built once, as in a serial run; the Airflow stacks
    are one unit, run one after another. (xdist's own `loadgroup` marks no longer reach its
    scheduler under pytest 9: this is loadfile with that one group.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndStacks(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "airflow-stacks" if Path(path).name in AIRFLOW_STACKS else path

    return ModulesAndStacks(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist the stacks come first (the longest unit; `--no-loadscope-reorder` keeps this
    order). Tests that stop the shared PostgreSQL server (marker `exclusive`) run in a pytest of
    their own after the others (the Makefile), never beside another test."""
    if WORKER:
        items.sort(key=lambda item: item.path.name not in AIRFLOW_STACKS)  # stable: otherwise as collected


@pytest.fixture(scope="session")
def make_database() -> Iterator[Callable[[], str]]:
    """Factory of empty scratch databases (devtools.database.scratch_databases), dropped at the end."""
    with database.scratch_databases("cca_test") as make:
        yield make


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point the project (CLI, loader, DAG connection) at a database for this test."""

    def point(url: str) -> None:
        monkeypatch.setenv(database.DATABASE_URL_ENV, url)
        monkeypatch.setenv("AIRFLOW_CONN_CUSTOMER_CARE_DB", database.airflow_conn_uri(url))

    return point


@pytest.fixture
def fresh_url(make_database, use_database) -> str:
    """An empty database that the project points at for this test."""
    url = make_database()
    use_database(url)
    return url


@pytest.fixture
def schema_url(fresh_url: str) -> str:
    """A database with the schema and reference data."""
    from include.storage.sql import apply_schema

    with database.connect(fresh_url) as conn:
        apply_schema(conn)
    return fresh_url


@pytest.fixture(scope="session")
def airflow_metadata() -> None:
    """Migrate the tests' own Airflow metadata DB once (kept between sessions)."""
    stamp = Path(os.environ["AIRFLOW_HOME"]) / ".metadata-migrated"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"], check=True, stdout=subprocess.DEVNULL
        )
        stamp.touch()


@pytest.fixture(scope="session")
def pipeline_dag(airflow_metadata):
    """The DAG parsed from the dags folder, once per session."""
    from devtools.runner import load_dag

    return load_dag()
