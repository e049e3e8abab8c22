"""`make export START END` (cca export): usage and bad dates in one line, before anything is written;
the dates reach the command as typed (through the environment, never pasted into shell text)."""

from __future__ import annotations

import shutil

import pytest

from tests.devtools.test_makefile_security import MAKE_OWN_LINE, make

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def test_make_export_without_a_range_prints_its_usage():
    done = make("export", START="2026-03-01", END="")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if not MAKE_OWN_LINE.match(line)]
    assert lines == ["error: usage: make export START=YYYY-MM-DD END=YYYY-MM-DD"]


def test_make_export_passes_a_malformed_date_as_typed_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    done = make("export", f"START=2026-03-01$$(touch {marker})`touch {marker}`", "END=2026-03-02")
    assert done.returncode == 2 and not marker.exists()
    lines = [line for line in done.stderr.splitlines() if not MAKE_OWN_LINE.match(line)]
    assert len(lines) == 1 and lines[0].startswith(
        "error: argument start: malformed date '2026-03-01$$(touch"
    )
