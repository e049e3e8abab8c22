"""Structural checks of docker-compose.yaml, Dockerfile and .dockerignore.

No Docker engine is needed: the files are parsed and cross-checked against the repo
(requirements pins, include.config ids, paths that get mounted or copied). When the
`docker compose` plugin is installed, `docker compose config` validates the file too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import yaml

from include.config import CONN_ID, DATABASE_URL_ENV, PROJECT_ROOT

ROOT = PROJECT_ROOT
COMPOSE_FILE = ROOT / "docker-compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

REQUIRED_SERVICES = {
    "postgres",
    "redis",
    "analytics-db",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
    "airflow-init",
}
#: Airflow services that run for the lifetime of the stack (airflow-init is one-shot).
LONG_RUNNING_AIRFLOW = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
}
HEALTHCHECKED = {
    "postgres",
    "redis",
    "analytics-db",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
}
CONN_ENV = "AIRFLOW_CONN_" + CONN_ID.upper()
JWT_ENV = "AIRFLOW__API_AUTH__JWT_SECRET"

_DEFAULT_RE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}")
_REQUIRED_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?[^}]*\}")


def with_defaults(value: object) -> str:
    """Interpolate `${VAR:-default}` the way compose does when VAR is unset.

    A required `${VAR:?message}` (the secrets, from .env) becomes `test-VAR`.
    """
    value = _REQUIRED_RE.sub(lambda m: f"test-{m.group(1)}", str(value))
    return _DEFAULT_RE.sub(lambda m: m.group(1), value)


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def common(compose: dict) -> dict:
    return compose["x-airflow-common"]


@pytest.fixture(scope="module")
def common_env(common: dict) -> dict:
    return common["environment"]


@pytest.fixture(scope="module")
def airflow_services(services: dict) -> dict:
    """Every service that runs the project's Airflow image."""
    found = {name: svc for name, svc in services.items() if name.startswith("airflow-") or name == "flower"}
    assert LONG_RUNNING_AIRFLOW | {"airflow-init"} <= set(found)
    return found


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text()


def requirement_pin(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(rf"\s*{re.escape(name)}\s*==\s*([^\s;#]+).*", line)
        if match:
            return match.group(1)
    raise AssertionError(f"{name} is not pinned with == in requirements.txt")


def lock_python_version() -> str:
    match = re.search(r"--python-version[ =](\d+\.\d+)", (ROOT / "requirements.lock").read_text())
    assert match, "requirements.lock header no longer records --python-version"
    return match.group(1)


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            result.append((keyword.upper(), args.strip()))
    return result


# --- compose file ------------------------------------------------------------------------


def test_compose_is_valid_yaml_with_services(compose: dict) -> None:
    assert isinstance(compose.get("services"), dict) and compose["services"]


def test_required_services_present(services: dict) -> None:
    assert REQUIRED_SERVICES <= set(services), REQUIRED_SERVICES - set(services)


def test_airflow_services_build_the_project_image(common: dict, airflow_services: dict) -> None:
    assert common["build"] == "."
    assert common["image"]
    for name, svc in airflow_services.items():
        assert svc.get("build") == ".", name
        assert svc.get("image") == common["image"], name
        # the whole common environment reaches every service (overrides only add keys)
        for key, value in common["environment"].items():
            assert svc["environment"].get(key) == value, (name, key)
        assert svc["volumes"] == common["volumes"], name


def test_executor_is_celery(common: dict, common_env: dict) -> None:
    # the executor comes with the Celery settings from celery.env (shared with the local Celery mode)
    assert common["env_file"] == ["celery.env"]
    assert "AIRFLOW__CORE__EXECUTOR=CeleryExecutor" in (ROOT / "celery.env").read_text().splitlines()
    assert (
        with_defaults(common_env["AIRFLOW__CELERY__BROKER_URL"])
        == "redis://:test-CCA_REDIS_PASSWORD@redis:6379/0"
    )
    assert common_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        "postgresql+psycopg2://airflow:airflow@postgres/airflow"
    )
    assert common_env["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+postgresql://airflow:airflow@postgres/airflow"
    assert with_defaults(common_env["AIRFLOW__CORE__LOAD_EXAMPLES"]) == "false"


def test_metadata_db_credentials_match_postgres_service(services: dict, common_env: dict) -> None:
    env = services["postgres"]["environment"]
    url = urlsplit(common_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    assert (url.username, url.password, url.hostname, url.path.lstrip("/")) == (
        env["POSTGRES_USER"],
        env["POSTGRES_PASSWORD"],
        "postgres",
        env["POSTGRES_DB"],
    )


def test_connection_env_matches_conn_id(common_env: dict) -> None:
    assert CONN_ENV == "AIRFLOW_CONN_CUSTOMER_CARE_DB"
    assert CONN_ENV in common_env
    assert [k for k in common_env if k.startswith("AIRFLOW_CONN_")] == [CONN_ENV]


def test_analytics_dsn_points_at_analytics_db(services: dict, common_env: dict) -> None:
    dsn = with_defaults(common_env[CONN_ENV])
    assert with_defaults(common_env[DATABASE_URL_ENV]) == dsn, (
        "the connection and CCA_DATABASE_URL must be one"
    )
    env = {k: with_defaults(v) for k, v in services["analytics-db"]["environment"].items()}
    url = urlsplit(dsn)
    assert url.scheme == "postgresql"
    assert (url.username, url.password, url.hostname, url.port, url.path.lstrip("/")) == (
        env["CCA_DB_USER"],
        env["CCA_DB_PASSWORD"],
        "analytics-db",
        5432,
        env["POSTGRES_DB"],
    )
    assert env["POSTGRES_DB"] == "customer_care"


def test_analytics_db_published_for_psql(services: dict) -> None:
    ports = [with_defaults(p) for p in services["analytics-db"]["ports"]]
    assert ports == ["127.0.0.1:5433:5432"]


def test_mounted_host_paths_exist(services: dict, compose: dict) -> None:
    named_volumes = set(compose.get("volumes") or {})
    for name, svc in services.items():
        for volume in svc.get("volumes", []):
            source = with_defaults(volume).split(":")[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts missing path {source}"
            else:
                assert source in named_volumes, f"{name} uses undeclared volume {source}"


def test_reports_go_to_a_shared_volume(common: dict, common_env: dict, compose: dict) -> None:
    reports_dir = common_env["CCA_REPORTS_DIR"]
    mounts = {with_defaults(v).split(":")[1]: with_defaults(v).split(":")[0] for v in common["volumes"]}
    assert mounts.get(reports_dir) in set(compose["volumes"]), "reports must land on a named volume"


def test_include_package_is_importable_in_containers(common: dict, common_env: dict) -> None:
    assert "./include:/opt/airflow/include" in common["volumes"]
    assert common_env["PYTHONPATH"] == "/opt/airflow"
    assert (ROOT / "include" / "__init__.py").is_file()


def test_worker_is_scalable(services: dict) -> None:
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    assert "container_name" not in worker
    assert "ports" not in worker
    for name, svc in services.items():
        assert "container_name" not in svc, name


def test_jwt_secret_is_shared(common_env: dict, airflow_services: dict) -> None:
    assert common_env.get(JWT_ENV)
    assert common_env.get("AIRFLOW__API__SECRET_KEY")
    # defined exactly once (in the common env anchor), so no service can drift from it
    assert COMPOSE_FILE.read_text().count(JWT_ENV) == 1
    for name, svc in airflow_services.items():
        assert svc["environment"][JWT_ENV] == common_env[JWT_ENV], name


def test_execution_api_points_at_apiserver(common_env: dict, services: dict) -> None:
    url = urlsplit(common_env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert (url.scheme, url.hostname, url.port, url.path) == (
        "http",
        "airflow-apiserver",
        8080,
        "/execution/",
    )
    apiserver = services["airflow-apiserver"]
    assert apiserver["command"] == "api-server"
    assert [with_defaults(p) for p in apiserver["ports"]] == ["127.0.0.1:8080:8080"]


def test_simple_auth_manager_admin(common_env: dict, services: dict) -> None:
    assert common_env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("simple_auth_manager.SimpleAuthManager")
    assert common_env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == "admin:admin"
    passwords_file = common_env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert passwords_file in "".join(services["airflow-init"]["command"]), "airflow-init writes it"


def test_healthchecks(services: dict) -> None:
    for name in HEALTHCHECKED:
        test = services[name].get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, name
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert "pg_isready" in services["analytics-db"]["healthcheck"]["test"]
    assert "/api/v2/version" in " ".join(services["airflow-apiserver"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["airflow-worker"]["healthcheck"]["test"])


def test_startup_order(services: dict) -> None:
    for name in LONG_RUNNING_AIRFLOW:
        deps = services[name]["depends_on"]
        assert deps["airflow-init"] == {"condition": "service_completed_successfully"}, name
        for db in ("postgres", "redis", "analytics-db"):
            assert deps[db] == {"condition": "service_healthy"}, (name, db)
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"] == {"condition": "service_healthy"}


def test_init_migrates_db(services: dict) -> None:
    init = services["airflow-init"]
    assert with_defaults(init["environment"]["_AIRFLOW_DB_MIGRATE"]) == "true"
    assert "restart" not in init


def test_cli_service_for_backfills(services: dict) -> None:
    assert services["airflow-cli"]["profiles"] == ["debug"]


# --- Dockerfile / .dockerignore ----------------------------------------------------------


def test_dockerfile_base_image_matches_pinned_airflow(dockerfile: str) -> None:
    froms = [args for keyword, args in dockerfile_instructions(dockerfile) if keyword == "FROM"]
    assert len(froms) == 1, froms
    match = re.fullmatch(r"apache/airflow:(?P<version>[^-\s]+)(?:-python(?P<python>\d+\.\d+))?", froms[0])
    assert match, froms[0]
    assert match.group("version") == requirement_pin("apache-airflow")
    # the lock was resolved for one Python; the image must run that one
    assert match.group("python") == lock_python_version()


def test_dockerfile_installs_requirements_with_lock(dockerfile: str) -> None:
    instructions = dockerfile_instructions(dockerfile)
    runs = [args for keyword, args in instructions if keyword == "RUN" and "pip install" in args]
    assert len(runs) == 1, runs
    # issue #27: hash-pinned, every dependency listed (nothing resolved at build time)
    assert re.search(r"-r\s+\S*requirements-image\.lock\b", runs[0]), runs[0]
    assert "--require-hashes" in runs[0] and "--no-deps" in runs[0]
    assert "--no-cache-dir" in runs[0]
    users = [
        args for keyword, args in instructions[: instructions.index(("RUN", runs[0]))] if keyword == "USER"
    ]
    assert users and users[-1] == "airflow", "pip must run as the airflow user"


def _pins(path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of --hash entries) of a pip requirements file."""
    pins: dict[str, tuple[str, int]] = {}
    name = None
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\[\]-]+)==(\S+)", line)
        if match:
            name = re.sub(r"\[.*\]", "", match.group(1)).lower().replace("_", "-")
            pins[name] = (match.group(2), 0)
        elif name and "--hash=sha256:" in line:
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def test_the_image_lock_is_hashed_and_agrees_with_the_dev_lock() -> None:
    image, dev = _pins(ROOT / "requirements-image.lock"), _pins(ROOT / "requirements.lock")
    assert image, "requirements-image.lock holds no pins"
    assert all(hashes >= 1 for _, hashes in image.values()), "a pin without a hash"
    for name, (version, _) in image.items():
        assert dev.get(name, (version,))[0] == version, (name, version, dev.get(name))
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)", line)
        if match and not line.lstrip().startswith("#"):
            assert match.group(1).lower().replace("_", "-") in image, match.group(1)


def test_dockerfile_copy_sources_exist(dockerfile: str) -> None:
    copies = [args for keyword, args in dockerfile_instructions(dockerfile) if keyword in {"COPY", "ADD"}]
    assert copies
    sources = set()
    for args in copies:
        parts = [p for p in args.split() if not p.startswith("--")]
        sources.update(parts[:-1])
    assert {"requirements-image.lock"} <= sources
    for source in sources:
        assert (ROOT / source).exists(), source


def test_dockerfile_sets_pythonpath(dockerfile: str) -> None:
    envs = [args for keyword, args in dockerfile_instructions(dockerfile) if keyword == "ENV"]
    assert "PYTHONPATH=/opt/airflow" in envs


def test_dockerignore_keeps_local_state_out() -> None:
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".pgdata"} <= patterns
    # everything the Dockerfile copies must stay in the build context
    assert not {"requirements-image.lock", "dags", "include", "plugins"} & patterns


# --- docker compose itself (only where the plugin is installed) ---------------------------


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone else None


def test_docker_compose_config() -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("docker compose plugin not installed")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--profile", "debug", "--profile", "flower", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_dags_start_paused(common_env: dict) -> None:
    """Issue #27: like `make airflow`, a fresh compose stack runs nothing until asked."""
    assert with_defaults(common_env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"]) == "true"
