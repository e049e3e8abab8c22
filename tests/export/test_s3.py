"""The lake on S3 (a local moto server, through the Amazon provider and an Airflow connection):
the same bytes as on a local folder, published by a manifest, replaced and removed alike."""

from __future__ import annotations

import datetime as dt
import hashlib

from devtools.database import connect
from include.analytics import refresh_day
from include.export.lake import export_day, lake_root, read_manifest
from include.export.tables import day_files
from include.generator.settings import BatchSettings
from include.storage.days import load_day

DAY = dt.date(2026, 3, 4)
SETTINGS = BatchSettings(interactions_per_day=300, new_customers_per_day=20)


def test_a_day_on_s3_has_the_same_bytes_as_on_a_local_folder_and_is_removed_alike(
    schema_url, s3_lake, tmp_path
):
    url = f"{s3_lake}/lake"
    local = tmp_path
    with connect(schema_url) as conn:
        load_day(conn, DAY, SETTINGS)
        refresh_day(conn, DAY)
        conn.commit()
        done = export_day(conn, DAY, url)
        export_day(conn, DAY, local.as_uri())
        export_day(conn, DAY, url)  # replaced with the same bytes
    assert done.rows > 0 and done.files == len(day_files(DAY))
    on_s3 = read_manifest(DAY, url)
    assert on_s3 == read_manifest(DAY, local.as_uri())
    root = lake_root(url)
    for entry in on_s3["files"]:
        stored = (root / entry["path"]).read_bytes()
        assert (
            hashlib.sha256(stored).hexdigest()
            == entry["sha256"]
            == hashlib.sha256((local / entry["path"]).read_bytes()).hexdigest()
        )
    with connect(schema_url) as conn:  # the day deleted in PostgreSQL, then exported again
        conn.execute("DELETE FROM interaction_batches WHERE batch_date = %s", (DAY,))
        conn.commit()
        export_day(conn, DAY, url)
    assert read_manifest(DAY, url) is None
    assert not (root / "customer_interactions" / f"day={DAY}" / "part-00000.parquet").exists()
