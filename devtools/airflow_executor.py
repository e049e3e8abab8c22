"""LocalExecutor for `make airflow`: its workers start with the tasks' heavy imports already done.

Airflow 3's LocalExecutor forks its worker processes from the scheduler when it starts, and each
worker forks one process per task (the task-sdk supervisor), which parses the DAG file and runs
the task. Whatever the scheduler has not imported, every task imports again: the DAG parser,
the SQL and Postgres providers, numpy, pandas and psycopg were about 2.5-3 s of CPU per task on
this 2-core machine, more than most of the tasks' own work (measured by
`make bench --only scheduler_backfill`, see docs/performance.md, "Reading these figures").

`PreloadingLocalExecutor.start()` imports them in the scheduler just before the workers are
forked, so every task process inherits them (copy-on-write). Only third-party and Airflow
modules are preloaded: the project's own code (`include/`, `dags/`) is still imported fresh by
each task, so an edit to it is picked up by the next task without restarting Airflow.

Selected with `AIRFLOW__CORE__EXECUTOR=devtools.airflow_executor.PreloadingLocalExecutor`
(`devtools.local_airflow.airflow_env`). Importing this module stays cheap: the api-server and
the dag-processor load the executor class too.
"""

from __future__ import annotations

import importlib
import logging
import time

from airflow.executors.local_executor import LocalExecutor

#: What a task process of customer_care_pipeline imports beyond what the scheduler already has.
PRELOAD_MODULES = (
    "airflow.dag_processing.dagbag",  # the task runner parses the DAG file with it
    "airflow.sdk.execution_time.task_runner",
    "airflow.providers.common.sql.operators.sql",  # load_baseline
    "airflow.providers.common.sql.hooks.sql",
    "airflow.providers.postgres.hooks.postgres",  # every task's connection
    "psycopg",
    "psycopg.sql",
    "numpy",
    "pandas",
    # The generator's and the lake's libraries: `holidays` imports every country's calendar
    # with its package (0.5 s), pyarrow's writers and faker more; 0.64 -> 0.07 s of imports
    # in each task process that generates, refreshes or exports a day.
    "holidays.countries",
    "faker",
    "pyarrow.csv",
    "pyarrow.compute",
    "pyarrow.parquet",
)

log = logging.getLogger(__name__)


def preload(modules: tuple[str, ...] = PRELOAD_MODULES) -> list[str]:
    """Import `modules`; returns those that failed (a missing one only costs the task the import)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # never stop the scheduler over an optimisation
            log.warning("could not preload %s: %s", name, exc)
            failed.append(name)
    return failed


class PreloadingLocalExecutor(LocalExecutor):
    """LocalExecutor that imports PRELOAD_MODULES before forking its workers."""

    def start(self) -> None:
        started = time.monotonic()
        failed = preload()
        log.info(
            "preloaded %d module(s) for the task processes in %.1fs%s",
            len(PRELOAD_MODULES) - len(failed),
            time.monotonic() - started,
            f" (failed: {', '.join(failed)})" if failed else "",
        )
        super().start()
