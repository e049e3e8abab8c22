"""Child-process side of devtools.benchmarks.processes: `python -m devtools.benchmarks.child rss|backfill|export_rss ...`.

Prints one `BENCH_RESULT {json}` line on stdout at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rss(url: str, day: str, n_rows: str) -> dict:
    from devtools.database import connect
    from include.generator.settings import BatchSettings
    from include.storage.days import load_day

    baseline = _rss_mb()
    with connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        rows = load_day(conn, dt.date.fromisoformat(day), BatchSettings(), n_rows=int(n_rows))
        seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds": seconds,
        "peak_rss_mb": _rss_mb(),
        "baseline_rss_mb": baseline,
        "vm_hwm_mb": _vm_hwm_mb(),
    }


def export_rss(url: str, day: str, lake: str) -> dict:
    """The day's interactions written to the lake as Parquet and verified (include/export)."""
    from devtools.database import connect
    from include.export.lake import export_table

    baseline = _rss_mb()
    with connect(url) as conn:
        conn.commit()
        started = time.perf_counter()
        entry = export_table(conn, dt.date.fromisoformat(day), "customer_interactions", lake)
        seconds = time.perf_counter() - started
    return {"rows": entry["rows"], "seconds": seconds, "peak_rss_mb": _rss_mb(), "baseline_rss_mb": baseline}


def _vm_hwm_mb() -> float:
    """The same high-water mark from /proc (a cross-check; -1 where there is no /proc)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1.0


def backfill(url: str, first: str, n_days: str, per_day: str, jobs: str = "1") -> dict:
    from devtools.runner import (
        Progress,
        load_dag,
        prepare_airflow,
        quiet_airflow,
        run_days,
        run_days_in_workers,
    )

    started = time.perf_counter()
    prepare_airflow(url)  # sets AIRFLOW_CONN_* / CCA paths in os.environ, migrates metadata once
    quiet_airflow()
    prepare = time.perf_counter() - started
    start = dt.date.fromisoformat(first)
    days = [start + dt.timedelta(days=i) for i in range(int(n_days))]
    progress = Progress(len(days))
    conf = {"interactions_per_day": int(per_day)}
    started = time.perf_counter()
    if int(jobs) > 1:
        parse = 0.0  # each runner parses the DAG itself, within its first day
        results = run_days_in_workers(days, conf, int(jobs), progress=progress)
    else:
        dag = load_dag()
        parse = time.perf_counter() - started
        results = run_days(days, conf, dag=dag, progress=progress)
    return {
        "prepare_seconds": prepare,
        "parse_seconds": parse,
        "finished": sorted(progress.finished),
        # JOBS=1: this process ran the days; JOBS=N: the largest of the runners
        "peak_rss_mb": progress.runner_peak_rss_mb if int(jobs) > 1 else _rss_mb(),
        "days": [
            {"day": d.isoformat(), "state": state, "seconds": s, "tasks": tasks}
            for d, state, s, tasks in results
        ],
    }


def run_child(argv: list[str]) -> int:
    commands = {"rss": rss, "backfill": backfill, "export_rss": export_rss}
    if not argv or argv[0] not in commands:
        print(f"usage: python -m devtools.benchmarks.child {'|'.join(commands)} ARGS...", file=sys.stderr)
        return 2
    result = commands[argv[0]](*argv[1:])
    print("BENCH_RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(run_child(sys.argv[1:]))
