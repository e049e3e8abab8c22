"""The DAG's export_day (the real DAG, a real Postgres, the lake on a local S3 server): after the
checked day, an Asset event per exported day, off by the run's param or CCA_EXPORT=off."""

from __future__ import annotations

import datetime as dt

from include.export.lake import read_manifest
from tests.support import run_dag_instances, state_of

DAY = dt.date(2026, 3, 2)
CONF = {"interactions_per_day": 300, "new_customers_per_day": 20}


def lake_events(run_id: str) -> list[dict]:
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        events = session.scalars(
            select(AssetEvent).where(
                AssetEvent.source_run_id == run_id, AssetEvent.source_task_id == "export_day"
            )
        ).all()
        return [dict(e.extra) for e in events]


def test_export_day_writes_the_checked_day_to_s3_and_emits_an_asset_event(
    pipeline_dag, schema_url, s3_lake, monkeypatch
):
    url = f"{s3_lake}/dag-lake"
    monkeypatch.setenv("CCA_EXPORT_URL", url)
    state, tasks = run_dag_instances(pipeline_dag, DAY, CONF)
    assert state == "success", {k: state_of(t) for k, t in tasks.items()}
    manifest = read_manifest(DAY, url)
    interactions = next(f for f in manifest["files"] if f["table"] == "customer_interactions")
    assert lake_events(tasks["export_day"].run_id) == [
        {"day": str(DAY), "url": url, "rows": interactions["rows"]}
    ]


def test_export_day_is_skipped_by_the_param_or_the_setting(pipeline_dag, schema_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CCA_EXPORT_URL", tmp_path.as_uri())
    state, tasks = run_dag_instances(pipeline_dag, DAY, {**CONF, "export": False})
    assert state == "success" and state_of(tasks["export_day"]) == "skipped"
    monkeypatch.setenv("CCA_EXPORT", "off")
    state, tasks = run_dag_instances(pipeline_dag, DAY, CONF)
    assert state == "success" and state_of(tasks["export_day"]) == "skipped"
    assert lake_events(tasks["export_day"].run_id) == []
    assert not list(tmp_path.iterdir())
