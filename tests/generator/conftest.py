"""The generator's tests need no database: the reference catalog is pinned in catalog.json
(tests/storage/test_loading.py checks it equals what 01_baseline_data.sql loads)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from include.generator.reference import Reference, reference_from_rows

CATALOG = Path(__file__).resolve().parent / "catalog.json"


@pytest.fixture(scope="session")
def reference() -> Reference:
    rows = json.loads(CATALOG.read_text())
    return reference_from_rows(*(list(map(tuple, rows[k])) for k in ("channels", "types", "plans", "agents")))
