"""Every fault scenario of `make reliability` must be survived with nothing lost or duplicated (issue 7)."""

from __future__ import annotations

import pytest

from devtools.reliability.scenarios import SCENARIOS

#: These stop or SIGKILL the server every scratch database is on: no other test may run beside them.
SERVER_FAULTS = {"postgres_restarts_mid_run", "server_killed_after_load"}
assert SERVER_FAULTS <= SCENARIOS.keys(), "a renamed server fault would run beside other tests"


@pytest.mark.slow
# the Celery fault runs on the stack of tests/devtools/test_celery.py (one start of Airflow, not two)
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.exclusive] if name in SERVER_FAULTS else [])
        for name in SCENARIOS
        if not name.startswith("celery_")
    ],
)
def test_fault_is_survived_without_losing_or_duplicating_rows(name, make_database):
    result = SCENARIOS[name](make_database(), make_database)
    assert result.survived, result.detail
    assert (result.rows_lost, result.rows_duplicated) == (0, 0)
