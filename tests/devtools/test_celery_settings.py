"""One place for the Celery settings: celery.env, read by docker-compose.yaml and the local Celery mode.

No service is started here (tests/devtools/test_celery.py runs the real stack).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from devtools import celery_stack
from include.config import PROJECT_ROOT

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yaml").read_text())


@pytest.fixture(scope="module")
def settings() -> dict[str, str]:
    return celery_stack.read_settings()


@pytest.fixture(scope="module")
def local_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("celery-home")
    url = "postgresql://postgres:@/customer_care?host=/tmp/nowhere"
    meta = "postgresql://postgres:@/airflow?host=/tmp/nowhere"
    broker = celery_stack.broker_url(Path("/tmp/cca-broker-x/redis.sock"))
    return celery_stack.celery_env(8097, home, broker, database_url=url, metadata_url=meta)


def test_settings_file_is_plain_and_names_the_celery_executor(settings: dict[str, str]) -> None:
    assert settings["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert int(settings["AIRFLOW__CELERY__WORKER_CONCURRENCY"]) >= 1
    assert settings["AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER"] == "1"
    assert settings["AIRFLOW__CELERY__TASK_ACKS_LATE"] == "True"
    # a redelivery must not re-run a shard that is still running (execution_timeout is 2 h)
    assert int(settings["AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT"]) > 2 * 3600


def test_read_settings_rejects_interpolation(tmp_path: Path) -> None:
    bad = tmp_path / "celery.env"
    bad.write_text("AIRFLOW__CELERY__BROKER_URL=${BROKER}\n")
    with pytest.raises(ValueError, match="plain KEY=VALUE"):
        celery_stack.read_settings(bad)


def test_compose_reads_the_same_file_and_overrides_none_of_it(settings: dict[str, str]) -> None:
    assert COMPOSE["x-airflow-common"]["env_file"] == ["celery.env"]
    for name, service in COMPOSE["services"].items():
        if name.startswith("airflow-") or name == "flower":
            assert service.get("env_file") == ["celery.env"], name
            overridden = set(settings) & set(service.get("environment") or {})
            assert not overridden, f"{name} overrides {overridden} from celery.env"


def test_local_mode_uses_the_same_settings(settings: dict[str, str], local_env: dict[str, str]) -> None:
    for key, value in settings.items():
        assert local_env[key] == value, key


def test_broker_and_result_backend_are_of_the_same_kind_in_both(local_env: dict[str, str]) -> None:
    common = COMPOSE["x-airflow-common"]["environment"]
    compose_broker, local_broker = (
        urlsplit(re.sub(r"\$\{CCA_REDIS_PASSWORD:\?[^}]*\}", "pw", common["AIRFLOW__CELERY__BROKER_URL"])),
        urlsplit(local_env["AIRFLOW__CELERY__BROKER_URL"]),
    )
    # Redis, database 0, in both: over the network with a password in compose, on a Unix
    # socket only its owner can reach locally (tests/devtools/test_broker.py)
    assert (compose_broker.scheme, compose_broker.path) == ("redis", "/0")
    assert compose_broker.password == "pw"
    assert (local_broker.scheme, local_broker.path) == ("redis+socket", "/tmp/cca-broker-x/redis.sock")
    assert local_broker.query == "virtual_host=0" and local_broker.port is None
    # the result backend is Airflow's metadata database in both
    assert common["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
    assert (
        local_env["AIRFLOW__CELERY__RESULT_BACKEND"]
        == "db+" + local_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    # and the workers reach the api-server's execution API
    assert local_env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://localhost:8097/execution/"


def test_the_broker_server_comes_from_a_wheel() -> None:
    binary = celery_stack.redis_server()
    assert binary.is_file() and binary.stat().st_mode & 0o111


def test_worker_hostname_is_the_worker_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(celery_stack.WORKER_NAME_ENV, "worker7@box")
    assert celery_stack.worker_hostname() == "worker7@box"
    monkeypatch.delenv(celery_stack.WORKER_NAME_ENV)
    assert celery_stack.worker_hostname()


def test_cli_switch(capsys: pytest.CaptureFixture[str]) -> None:
    from devtools.cli import main

    assert main(["airflow", "--executor", "celery", "--workers", "0"]) != 0
    assert "--workers must be at least 1" in capsys.readouterr().err
