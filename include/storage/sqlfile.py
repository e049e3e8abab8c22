"""psql-loadable SQL files of synthetic data (the seed's generate_data.sh workflow).

The file holds the customers, plan rows and generated agents its interactions need, then the interactions,
as COPY blocks in one transaction. Loading it twice leaves one copy: customers are
inserted only when missing and the file's days are replaced. Days the pipeline loaded, or
a migration wrote (migration.migrated_days), are never replaced unless the user asks (`PGOPTIONS='-c cca.replace_loaded_days=on'`); then
their batch records go, and the summaries are emptied (`cca summaries rebuild` refills
them), so no summary ever describes rows that are gone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from include.generator import rosters
from include.generator.customers import build_customer_base, day_index
from include.generator.interactions import day_context, generate_day
from include.generator.reference import Reference
from include.generator.settings import BatchSettings
from include.storage.copy_format import COLUMNS, to_copy_text, to_frame
from include.storage.rows import workforce as workforce_rows
from include.storage.rows.customers import CUSTOMER_COLUMNS, PLAN_COLUMNS, customer_rows, plan_rows

SIZES = {"small": 1_000, "medium": 5_000, "large": 20_000, "xlarge": 50_000}


def split_total(total: int, days: list[dt.date]) -> list[int]:
    """Split an exact total over days by the weekday volume shape (largest remainder)."""
    from include.generator.parameters import WEEKDAY_VOLUME

    weights = np.array([WEEKDAY_VOLUME[d.weekday()] for d in days])
    raw = total * weights / weights.sum()
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[i] += 1
    return counts.tolist()


#: The setting a user passes (PGOPTIONS='-c cca.replace_loaded_days=on') to replace loaded days.
REPLACE_SETTING = "cca.replace_loaded_days"
SUMMARY_TABLES = (
    "analytics.daily_channel_summary",
    "analytics.daily_interaction_type_summary",
    "analytics.daily_agent_performance",
    "analytics.daily_service_plan_summary",
    "analytics.daily_customer_activity",
    "analytics.customer_summary",
)


def replace_guard(first: dt.date, last: dt.date) -> str:
    """SQL run before the file deletes its days: stops (nothing changed) on days the pipeline
    loaded or a migration wrote (migration.migrated_days) unless asked; replaced migrated days
    leave that ledger; when such days are replaced, or summaries cover the days, the summaries go."""
    return f"""DO $guard$
DECLARE
    loaded text;
    migrated text;
BEGIN
    SELECT string_agg(batch_date::text, ', ' ORDER BY batch_date) INTO loaded
    FROM interaction_batches WHERE batch_date BETWEEN '{first}' AND '{last}';
    IF to_regclass('migration.migrated_days') IS NOT NULL THEN
        EXECUTE 'SELECT string_agg(day::text, '', '' ORDER BY day) FROM migration.migrated_days '
                'WHERE day BETWEEN ''{first}'' AND ''{last}'' ' INTO migrated;
    END IF;
    IF coalesce(current_setting('{REPLACE_SETTING}', true), '') <> 'on' THEN
        IF loaded IS NOT NULL THEN
            RAISE EXCEPTION 'this file would replace days the pipeline loaded (%); nothing was changed', loaded
                USING HINT = 'to replace them, load it with PGOPTIONS=''-c {REPLACE_SETTING}=on'' '
                             '(their summaries are emptied: run cca summaries rebuild afterwards)';
        END IF;
        IF migrated IS NOT NULL THEN
            RAISE EXCEPTION 'this file would replace migrated days (%); nothing was changed', migrated
                USING HINT = 'to replace them, load it with PGOPTIONS=''-c {REPLACE_SETTING}=on'' '
                             '(they are then no longer recorded as migrated)';
        END IF;
    END IF;
    DELETE FROM interaction_batches WHERE batch_date BETWEEN '{first}' AND '{last}';
    IF migrated IS NOT NULL THEN
        EXECUTE 'DELETE FROM migration.migrated_days WHERE day BETWEEN ''{first}'' AND ''{last}'' ';
        loaded := coalesce(loaded, migrated);
    END IF;
    IF loaded IS NOT NULL OR EXISTS (
        SELECT 1 FROM analytics.daily_channel_summary WHERE summary_date BETWEEN '{first}' AND '{last}'
    ) THEN
        TRUNCATE {", ".join(SUMMARY_TABLES)};
        RAISE NOTICE 'summaries emptied: they described the days this file replaces; '
                     'run cca summaries rebuild';
    END IF;
END
$guard$;
"""


def _copy_block(table: str, columns: tuple[str, ...], frame: pd.DataFrame) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM stdin;\n{to_copy_text(frame)}\\.\n"


def write_sql_file(
    path: Path, days: list[dt.date], counts: list[int], settings: BatchSettings, reference: Reference
) -> int:
    """Write the file; returns interactions written."""
    last = days[-1]
    base = build_customer_base(settings.seed, settings.signups, last, reference)
    frames = []
    # The roster is staffed for the file's average day.
    staffed_for = max(1, round(sum(counts) / max(len(days), 1)))
    for day, n in zip(days, counts, strict=False):
        if n == 0:
            continue
        ctx = day_context(day, n, settings.seed, base, reference, staffed_for)
        frames.extend(to_frame(block) for block in generate_day(ctx))
    interactions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    roster = rosters.build_roster(settings.seed, staffed_for, reference)
    used = np.isin(roster.agent_id, interactions["agent_id"].dropna().to_numpy()) & ~roster.baseline
    agents = pd.DataFrame(
        workforce_rows.agent_rows(roster, *np.nonzero(used), last), columns=workforce_rows.AGENT_COLUMNS
    )
    needed = np.isin(base.customer_id, interactions["customer_id"].to_numpy())
    as_of = day_index(last)
    customers = pd.DataFrame(customer_rows(base, needed, as_of), columns=CUSTOMER_COLUMNS)
    plans = pd.DataFrame(plan_rows(base, needed, as_of), columns=PLAN_COLUMNS)
    start, end = days[0], days[-1] + dt.timedelta(days=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w") as out:
        out.write(
            f"-- Synthetic customer-care data: {len(interactions):,} interactions from {days[0]} to {days[-1]},\n"
            f"-- seed {settings.seed}. Load after include/sql/00_schema.sql and 01_baseline_data.sql:\n"
            f"--   psql -v ON_ERROR_STOP=1 -f {path.name}\n"
            "BEGIN;\n"
            "CREATE TEMP TABLE staging_customers (LIKE customers) ON COMMIT DROP;\n"
            "CREATE TEMP TABLE staging_plans (LIKE customer_service_plans) ON COMMIT DROP;\n"
            "CREATE TEMP TABLE staging_agents (LIKE agents) ON COMMIT DROP;\n"
        )
        out.write(_copy_block("staging_agents", workforce_rows.AGENT_COLUMNS, agents))
        out.write(_copy_block("staging_customers", CUSTOMER_COLUMNS, customers))
        out.write(_copy_block("staging_plans", PLAN_COLUMNS, plans))
        out.write(
            f"INSERT INTO agents ({', '.join(workforce_rows.AGENT_COLUMNS)}) "
            f"SELECT {', '.join(workforce_rows.AGENT_COLUMNS)} FROM staging_agents ON CONFLICT DO NOTHING;\n"
            "INSERT INTO customers SELECT * FROM staging_customers ON CONFLICT DO NOTHING;\n"
            "INSERT INTO customer_service_plans SELECT * FROM staging_plans ON CONFLICT DO NOTHING;\n"
            + replace_guard(days[0], days[-1])
            + f"DELETE FROM customer_interactions WHERE start_timestamp >= '{start}T00:00:00+00' "
            f"AND start_timestamp < '{end}T00:00:00+00';\n"
        )
        out.write(_copy_block("customer_interactions", COLUMNS, interactions))
        out.write("COMMIT;\n")
    tmp.replace(path)
    return len(interactions)
