"""`make reliability`: run every fault scenario on scratch databases and print the report."""

from __future__ import annotations

import logging
import os
import sys
import time

from devtools.database import drop_database, embedded_url, ensure_database, with_database
from devtools.reliability.scenarios import SCENARIOS, Result


def main(argv: list[str]) -> int:
    # psycopg logs the COPY it abandons when a scenario kills the connection: expected here.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    only = set(argv[0].split(",")) if argv else set(SCENARIOS)
    user_url = os.environ.get("CCA_DATABASE_URL")
    admin = with_database(user_url, "postgres") if user_url else embedded_url("postgres")
    created: list[str] = []

    def make_db() -> str:
        name = f"cca_reliability_{os.getpid()}_{len(created)}"
        drop_database(admin, name)
        ensure_database(admin, name)
        created.append(name)
        return with_database(admin, name)

    results: list[Result] = []
    try:
        for key, scenario in SCENARIOS.items():
            if key not in only:
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
    finally:
        admin = with_database(user_url, "postgres") if user_url else embedded_url("postgres")
        for name in created:
            drop_database(admin, name)
    survived = sum(r.survived for r in results)
    print(
        f"faults survived {survived}/{len(results)}, rows lost {sum(r.rows_lost for r in results)}, "
        f"rows duplicated {sum(r.rows_duplicated for r in results)}"
    )
    return 0 if survived == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
