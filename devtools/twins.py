"""`make twins START END SCENARIOS='staffing=1.10;aht=0.90'`: a baseline and one twin per scenario.

The baseline is the database in use (`make backfill`'s); each twin gets its own database on the
same server, named after it (`<database>_twin_<scenario>`), and its own Parquet lake beside the
baseline's (`<CCA_EXPORT_URL>_<database>`). Each is a `cca backfill` with its
SCENARIO (the same machinery, run as a user runs it, with the URL in the environment, never in
an argv); then `cca compare` of each twin against the baseline is printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from psycopg.conninfo import conninfo_to_dict

from devtools.database import normalize_dsn
from include.config import DATABASE_URL_ENV, EXPORT_URL_ENV, PROJECT_ROOT, export_url

#: PostgreSQL's identifier limit.
NAME_LIMIT = 63


def parse_scenarios(text: str) -> list[str]:
    """'a;b' -> canonical scenarios; ValueError (one line) for a bad, empty or repeated one."""
    from include.generator.settings import BatchSettings

    scenarios = [BatchSettings(scenario=part).scenario for part in text.split(";") if part.strip()]
    if not scenarios or "" in scenarios:
        raise ValueError("SCENARIOS must list twins' levers separated by ';', e.g. 'staffing=1.10;aht=0.90'")
    if len(set(scenarios)) != len(scenarios):
        raise ValueError(f"SCENARIOS repeats a scenario: {text!r}")
    return scenarios


def twin_database_name(database: str, scenario: str) -> str:
    """`<database>_twin_<scenario as letters, digits and _>`, within PostgreSQL's 63 characters."""
    slug = re.sub(r"[^a-z0-9]+", "_", scenario.lower()).strip("_")
    return f"{database}_twin_{slug}"[:NAME_LIMIT]


def twin_lake_url(lake_url: str, database: str) -> str:
    """A twin's Parquet lake: beside the baseline's, named after its database (never mixed in)."""
    return f"{lake_url.rstrip('/')}_{database}"


def _backfill(
    url: str, start: str, end: str, scenario: str, interactions: str | None, jobs: str | None
) -> int:
    env = {**os.environ, DATABASE_URL_ENV: url}
    if scenario:  # the twin's days go to a lake of their own (docs/lake.md, CCA_EXPORT_URL)
        env[EXPORT_URL_ENV] = twin_lake_url(export_url(), conninfo_to_dict(normalize_dsn(url))["dbname"])
    argv = [sys.executable, "-m", "devtools", "backfill", start, end, "--scenario", scenario]
    argv += ["--interactions", interactions or "", "--jobs", jobs or ""]
    return subprocess.run(argv, cwd=PROJECT_ROOT, env=env, check=False).returncode


def build_twins(start: str, end: str, scenarios_text: str, interactions: str | None, jobs: str | None) -> int:
    """Backfill the baseline (the database in use) and each twin (its own database), then compare."""
    from devtools.compare import compare
    from devtools.database import database_url, describe, ensure_database, with_database
    from devtools.runner import parse_range

    scenarios = parse_scenarios(scenarios_text)
    days = parse_range(start, end)
    url = database_url()
    database = conninfo_to_dict(normalize_dsn(url)).get("dbname") or "postgres"
    worlds = [("", url)]
    for scenario in scenarios:
        name = twin_database_name(database, scenario)
        ensure_database(with_database(url, "postgres"), name)
        worlds.append((scenario, with_database(url, name)))
    for scenario, world_url in worlds:
        print(f"== {scenario or 'baseline'}: {describe(world_url)}", flush=True)
        if _backfill(world_url, start, end, scenario, interactions, jobs) != 0:
            print(f"error: the {scenario or 'baseline'} backfill failed", file=sys.stderr)
            return 1
    for scenario, world_url in worlds[1:]:
        print(f"\n== compare: baseline against {scenario}", flush=True)
        print("\n".join(compare(url, world_url, days[0], days[-1])))
    return 0
