"""Every fault scenario of `make reliability` must be survived with nothing lost or duplicated (issue 7)."""

from __future__ import annotations

import pytest

from devtools.reliability.scenarios import SCENARIOS


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_is_survived_without_losing_or_duplicating_rows(name, make_database):
    result = SCENARIOS[name](make_database(), make_database)
    assert result.survived, result.detail
    assert (result.rows_lost, result.rows_duplicated) == (0, 0)
