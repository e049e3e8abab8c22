# Airflow image for the customer care analytics stack (see docs/docker-compose.md).
#
# The base tag must stay equal to the apache-airflow pin in requirements.txt
# (tests/test_compose.py enforces this). The -python3.11 variant matches the Python
# that requirements.lock was resolved for (`uv pip compile --python-version 3.11`);
# the bare `apache/airflow:<version>` tag ships a newer default Python.
FROM apache/airflow:3.3.2-python3.11

# Dependencies first so that code-only changes reuse the (slow) pip layer.
# As the official image docs recommend, install as the airflow user, and keep
# apache-airflow pinned (it is, in requirements.txt) so pip never swaps Airflow itself.
# requirements-image.lock is requirements.txt resolved with requirements.lock's versions and
# every file's sha256 (`make lock`): pip installs nothing whose hash is not in it, and
# nothing that is not listed (--no-deps: the lock holds every dependency).
USER airflow
COPY --chown=airflow:0 requirements-image.lock /opt/airflow/
RUN pip install --no-cache-dir --require-hashes --no-deps -r /opt/airflow/requirements-image.lock

# Project code baked in so the image also works without the compose bind mounts
# (docker-compose.yaml mounts ./dags, ./include and ./plugins over these for live editing).
# plugins/ is not copied: it holds no files, so a fresh clone may not have it at all.
COPY --chown=airflow:0 dags/ /opt/airflow/dags/
COPY --chown=airflow:0 include/ /opt/airflow/include/

# No credentials in the image: docker-compose's airflow-init writes the simple auth
# manager's password file onto a volume from AIRFLOW_ADMIN_PASSWORD (.env, `make compose-env`).
RUN mkdir -p /opt/airflow/reports

# `include` is a top-level package of the repo: /opt/airflow plays the repo root's role.
ENV PYTHONPATH=/opt/airflow
