"""A local S3-compatible server (moto's server mode, from PyPI) reached through Airflow's Amazon
provider and an Airflow connection from the environment: nothing is patched."""

from __future__ import annotations

import json
import os

import pytest

S3_CONN_ID = "lake_s3"
BUCKET = "cca-lake"


@pytest.fixture(scope="session")
def s3_lake():
    """`s3://lake_s3@cca-lake/...` served by a ThreadedMotoServer on a free local port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    name = f"AIRFLOW_CONN_{S3_CONN_ID.upper()}"
    saved = os.environ.get(name)
    os.environ[name] = json.dumps(
        {
            "conn_type": "aws",
            "login": "testing",
            "password": "testing",
            "extra": {"endpoint_url": f"http://{host}:{port}", "region_name": "us-east-1"},
        }
    )
    try:
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook

        S3Hook(aws_conn_id=S3_CONN_ID).create_bucket(bucket_name=BUCKET)
        yield f"s3://{S3_CONN_ID}@{BUCKET}"
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved
        server.stop()
