# Customer Care Analytics: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The project's one command line (devtools/cli.py, registered in pyproject.toml). It builds
# Airflow's environment itself (devtools/airflow_env.py), so nothing Airflow-specific is set here.
CCA := $(VENV)/bin/cca

# User input reaches the commands through the environment, never pasted into shell text, and
# make never expands it: every variable given on the command line (START, END, INTERACTIONS,
# PSQL_ARGS, EXECUTOR, WORKERS, ROWS, JOBS, SCENARIO, SOURCE, YES, ...) becomes
# `override X := $(value X)`, kept exactly as typed (a `$(shell ...)` runs nothing, a `$` stays
# a `$`), and stays in the recipes' environment as make puts command-line variables there.
$(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(eval override $(v) := $$(value $(v)))$(eval export $(v))))
START ?=
END ?=
INTERACTIONS ?=
# make backfill JOBS=N: days loaded side by side (empty: the machine's cores)
JOBS ?=
# make backfill SCENARIO='staffing=1.10': a counterfactual twin's levers (docs/twins.md)
SCENARIO ?=
# make twins SCENARIOS='staffing=1.10;aht=0.90': one twin per scenario (docs/twins.md)
SCENARIOS ?=
# as typed ($(value ...) keeps a '$') when they come from the environment too
override START := $(value START)
override END := $(value END)
override INTERACTIONS := $(value INTERACTIONS)
override JOBS := $(value JOBS)
override SCENARIO := $(value SCENARIO)
override SCENARIOS := $(value SCENARIOS)
export START END INTERACTIONS JOBS SCENARIO SCENARIOS
# psql arguments for `make psql`, split like a shell would but never run by one.
PSQL_ARGS ?=
export PSQL_ARGS
# make migrate: handed to the command through the environment (CCA_MIGRATE_SOURCE), never
# pasted into shell quotes nor put in an argv (`ps` shows every argv to every local account).
# `SOURCE=... make migrate` keeps it out of make's own argv too.
SOURCE ?=
SOURCE_SCHEMA ?= public
ROWS ?= 50000
export SOURCE SOURCE_SCHEMA ROWS

.PHONY: help venv run test test-fast db-url psql backfill bench reliability airflow lint format lock clean browser-deps \
	migrate migrate-demo compose-env export twins

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): requirements.txt requirements-dev.txt requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	@$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt -r requirements-dev.txt -c requirements.lock
	@$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

venv: $(STAMP)  ## install everything into .venv (pinned by requirements.lock)

run: $(STAMP)  ## run the DAG for the last 7 days on the database in use, print a summary
	@$(CCA) run

twins: $(STAMP)  ## make twins START=YYYY-MM-DD END=YYYY-MM-DD SCENARIOS='staffing=1.10;aht=0.90' [INTERACTIONS=N] [JOBS=N]
	@if [ -z "$$START" ] || [ -z "$$END" ] || [ -z "$$SCENARIOS" ]; then echo "error: usage: make twins START=YYYY-MM-DD END=YYYY-MM-DD SCENARIOS='lever=value,...;...' [INTERACTIONS=N] [JOBS=N]" >&2; exit 2; fi
	@$(CCA) twins "$$START" "$$END" --scenarios "$$SCENARIOS" --interactions "$$INTERACTIONS" --jobs "$$JOBS"

backfill: $(STAMP)  ## make backfill START=YYYY-MM-DD END=YYYY-MM-DD [INTERACTIONS=N] [JOBS=N days at once] [SCENARIO=lever=value,...]
	@if [ -z "$$START" ] || [ -z "$$END" ]; then echo "error: usage: make backfill START=YYYY-MM-DD END=YYYY-MM-DD [INTERACTIONS=N] [JOBS=N] [SCENARIO=...]" >&2; exit 2; fi
	@$(CCA) backfill "$$START" "$$END" --interactions "$$INTERACTIONS" --jobs "$$JOBS" --scenario "$$SCENARIO"

export: $(STAMP)  ## make export START=YYYY-MM-DD END=YYYY-MM-DD: loaded days as Parquet under CCA_EXPORT_URL (docs/lake.md)
	@if [ -z "$$START" ] || [ -z "$$END" ]; then echo "error: usage: make export START=YYYY-MM-DD END=YYYY-MM-DD" >&2; exit 2; fi
	@$(CCA) export "$$START" "$$END"

migrate: $(STAMP)  ## make migrate SOURCE=<dsn> [SOURCE_SCHEMA=<schema>]: migrate the earlier 20-table model
	@if [ -z "$$SOURCE" ]; then echo "error: usage: make migrate SOURCE=<dsn> [SOURCE_SCHEMA=<schema>]" >&2; exit 2; fi
	@CCA_MIGRATE_SOURCE="$$SOURCE" $(CCA) migrate --source-schema "$$SOURCE_SCHEMA"

migrate-demo: $(STAMP)  ## build a legacy DB from the fixture, migrate it into a scratch DB, print the report [ROWS=N]
	@$(CCA) migrate-demo --rows "$$ROWS"

db-url: $(STAMP)  ## print the DSN in use (starts the embedded server if needed)
	@$(CCA) db url

psql: $(STAMP)  ## psql on the database in use; PSQL_ARGS='-f FILE ...' passes psql arguments (the password stays out of sight)
	@$(CCA) db --psql-args "$$PSQL_ARGS" psql

browser-deps:  ## Debian's chromium for the browser tests (CI installs it)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will be skipped" >&2; \
	  else echo "note: chromium not installed; browser tests will be skipped" >&2; fi; }

# Two processes (pytest-xdist; tests/conftest.py keeps a module's tests, and the Airflow stacks, on
# one), then the tests that stop the shared PostgreSQL server on their own. Both always run.
test: $(STAMP)  ## the whole suite against a real PostgreSQL (a scratch database, dropped after)
	@if [ -n "$$CI" ]; then $(MAKE) -s browser-deps; fi
	@shared=0; alone=0; \
	echo '$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not exclusive"'; \
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not exclusive" || shared=$$?; \
	echo '$(PY) -m pytest -m exclusive'; \
	$(PY) -m pytest -m exclusive || alone=$$?; \
	exit $$(( shared ? shared : alone ))

test-fast: $(STAMP)  ## the suite without the slow end-to-end tests
	$(PY) -m pytest -m "not slow"

reliability: $(STAMP)  ## fault-injection scenarios with a report (faults survived N/N)
	@$(CCA) reliability

# make airflow EXECUTOR=celery WORKERS=N (docs/celery.md); through the environment, like the others
EXECUTOR ?=
WORKERS ?=
export EXECUTOR WORKERS
airflow: $(STAMP)  ## start Airflow 3 locally (UI on :8080, login admin/admin); EXECUTOR=celery WORKERS=N for Celery
	@$(CCA) airflow $${EXECUTOR:+--executor "$$EXECUTOR"} $${WORKERS:+--workers "$$WORKERS"}

bench: $(STAMP)  ## speed and memory figures (name=value lines)
	@$(CCA) bench

lint: $(STAMP)  ## ruff lint and format check; sqlfluff on include/sql (.sqlfluff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint include/sql --processes 0

format: $(STAMP)  ## ruff format and the lint fixes it can make
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock:  ## re-resolve requirements.lock from requirements*.txt, and the image's hashed requirements-image.lock
	$(VENV)/bin/uv pip compile --python-version 3.11 requirements.txt requirements-dev.txt -o requirements.lock
	$(VENV)/bin/uv pip compile --python-version 3.11 --generate-hashes requirements.txt -c requirements.lock -o requirements-image.lock

compose-env:  ## write fresh docker-compose secrets into a git-ignored .env (mode 0600)
	@$(PY) -m devtools compose-env

# Deletes the embedded database: asks first (YES=1 skips the question), and stops if the
# server cannot be stopped, showing why.
clean:  ## remove the venv, the embedded database (asks first), Airflow's local state and outputs
	@if [ -d .pgdata ] && [ "$$YES" != 1 ]; then \
	  printf 'make clean deletes the embedded database in .pgdata (all loaded days). Type yes to go on: '; \
	  read -r answer || answer=; \
	  if [ "$$answer" != yes ]; then echo; echo "nothing removed (YES=1 make clean skips this question)" >&2; exit 1; fi; \
	fi
	@if [ -d .pgdata ] && [ -x $(PY) ]; then \
	  $(PY) -m devtools db stop || { echo "error: could not stop the embedded server (above); nothing removed" >&2; exit 1; }; \
	fi
	rm -rf $(VENV) .pgdata .airflow data reports .pytest_cache .ruff_cache *.egg-info
