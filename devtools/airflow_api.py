"""A few calls of a running Airflow's REST API (v2): trigger a run, wait for it, read its task instances.

Used by the Celery end-to-end test, the Celery fault scenario and the Celery benchmark.
"""

from __future__ import annotations

import time

from include.config import DAG_ID


class AirflowApi:
    def __init__(self, base_url: str, username: str = "admin", password: str = "admin") -> None:
        import httpx

        resp = httpx.post(f"{base_url}/auth/token", json={"username": username, "password": password})
        if resp.status_code != 201:
            raise RuntimeError(f"login to {base_url} failed: HTTP {resp.status_code} {resp.text[:200]}")
        self.client = httpx.Client(
            base_url=f"{base_url}/api/v2",
            headers={"Authorization": f"Bearer {resp.json()['access_token']}"},
            timeout=30,
        )

    def close(self) -> None:
        self.client.close()

    def wait_for_dag(self, dag_id: str = DAG_ID, timeout: float = 120.0) -> dict:
        """The DAG once the dag-processor has stored it."""
        deadline = time.monotonic() + timeout
        while True:
            resp = self.client.get(f"/dags/{dag_id}")
            if resp.status_code == 200:
                return resp.json()
            if time.monotonic() > deadline:
                raise TimeoutError(f"DAG {dag_id} not parsed in {timeout:.0f}s: HTTP {resp.status_code}")
            time.sleep(1)

    def trigger(self, conf: dict, dag_id: str = DAG_ID) -> str:
        """Unpause the DAG (`make airflow` starts it paused), then trigger one run."""
        resp = self.client.patch(f"/dags/{dag_id}", json={"is_paused": False})
        if resp.status_code != 200:
            raise RuntimeError(f"unpause failed: HTTP {resp.status_code} {resp.text[:300]}")
        resp = self.client.post(f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf})
        if resp.status_code != 200:
            raise RuntimeError(f"trigger failed: HTTP {resp.status_code} {resp.text[:300]}")
        return resp.json()["dag_run_id"]

    def run(self, run_id: str, dag_id: str = DAG_ID) -> dict:
        resp = self.client.get(f"/dags/{dag_id}/dagRuns/{run_id}")
        resp.raise_for_status()
        return resp.json()

    def wait(self, run_id: str, timeout: float, dag_id: str = DAG_ID) -> dict:
        """The run once it succeeded or failed (TimeoutError after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.run(run_id, dag_id)
            if run["state"] in ("success", "failed"):
                return run
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} still {run['state']} after {timeout:.0f}s")
            time.sleep(1)

    def task_instances(self, run_id: str, task_id: str | None = None, dag_id: str = DAG_ID) -> list[dict]:
        params: dict = {"limit": 1000}
        if task_id:
            params["task_id"] = task_id
        resp = self.client.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params=params)
        resp.raise_for_status()
        tis = resp.json()["task_instances"]
        return [ti for ti in tis if task_id is None or ti["task_id"] == task_id]
