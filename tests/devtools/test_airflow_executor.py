"""`make airflow`'s executor: a LocalExecutor whose workers inherit the tasks' heavy imports."""

from __future__ import annotations

from pathlib import Path

from airflow.executors.local_executor import LocalExecutor

from devtools import airflow_executor, local_airflow


def test_preloading_executor_is_a_local_executor_and_its_modules_import() -> None:
    assert issubclass(airflow_executor.PreloadingLocalExecutor, LocalExecutor)
    assert airflow_executor.preload() == []  # every module of the list exists in this venv


def test_preload_reports_a_missing_module_instead_of_failing() -> None:
    assert airflow_executor.preload(("no_such_module_cca",)) == ["no_such_module_cca"]


def test_make_airflow_uses_it(tmp_path: Path) -> None:
    url = "postgresql://postgres@/customer_care?host=/tmp"
    env = local_airflow.airflow_env(8093, tmp_path, database_url=url, metadata_url=url)
    module, _, name = env["AIRFLOW__CORE__EXECUTOR"].rpartition(".")
    assert (module, name) == ("devtools.airflow_executor", "PreloadingLocalExecutor")
    assert env["AIRFLOW__CORE__PARALLELISM"] == str(local_airflow.PARALLELISM)


def test_a_task_process_imports_no_third_party_module_the_workers_did_not_preload() -> None:
    """What the DAG's tasks import beyond the project's own code is inherited from the worker
    (a fresh import costs each task process, up to 0.6 s for `holidays` and pyarrow)."""
    import subprocess
    import sys

    script = """
import sys
from devtools.airflow_executor import preload
assert preload() == []
before = set(sys.modules)
import include.pipeline, include.analytics, include.export.lake, include.generator.interactions
from include.generator.calendar import us_holidays
us_holidays(2026)
new = {m.split(".")[0] for m in set(sys.modules) - before}
print(sorted(new - set(sys.stdlib_module_names) - {"include", "dags", "devtools"}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
