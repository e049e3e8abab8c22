"""`cca reliability` (`make reliability`): every fault scenario on scratch databases, then the tally."""

from __future__ import annotations

import logging
import time

from devtools.database import scratch_databases
from devtools.reliability.scenarios import SCENARIOS, Result


def run(only: set[str] | None = None) -> int:
    # psycopg logs the COPY it abandons when a scenario kills the connection: expected here.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    unknown = sorted((only or set()) - set(SCENARIOS) - {"bad_inputs", "broker", "dirty_migration"})
    if unknown:
        raise ValueError(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    results: list[Result] = []
    with scratch_databases("cca_reliability") as make_db:
        for key, scenario in SCENARIOS.items():
            if only and key not in only:
                continue
            started = time.perf_counter()
            try:
                result = scenario(make_db(), make_db)
            except Exception as exc:  # a scenario that crashes did not survive
                result = Result(key, False, 0, 0, f"crashed: {type(exc).__name__}: {exc}")
            results.append(result)
            print(
                f"{result.name:<38} {'survived' if result.survived else 'FAILED':<9} "
                f"rows lost {result.rows_lost:<6} rows duplicated {result.rows_duplicated:<6} "
                f"{time.perf_counter() - started:5.1f}s  {result.detail}",
                flush=True,
            )
        bad_ok = True
        if not only or "bad_inputs" in only:
            from devtools.reliability.bad_inputs import run_all

            print()
            bad_ok = all(o.ok for o in run_all(make_db))
        dirty_ok = True
        if not only or "dirty_migration" in only:
            from devtools.reliability.dirty_migration import run_all as migrate_dirty

            print()
            dirty_ok = all(o.ok for o in migrate_dirty(make_db))
    broker = []
    if not only or "broker" in only:
        from devtools.reliability.broker import run_all as broker_checks

        print()
        broker = broker_checks()
    survived = sum(r.survived for r in results)
    print(
        f"faults survived {survived}/{len(results)}, rows lost {sum(r.rows_lost for r in results)}, "
        f"rows duplicated {sum(r.rows_duplicated for r in results)}"
        + (f", broker checks passed {sum(c.ok for c in broker)}/{len(broker)}" if broker else "")
    )
    return 0 if survived == len(results) and bad_ok and dirty_ok and all(c.ok for c in broker) else 1
