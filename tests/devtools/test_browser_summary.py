"""Issue #15 (Low): skipped browser tests are named in the summary, and fail where required (CI)."""

from __future__ import annotations

import os
import subprocess
import sys

from include.config import PROJECT_ROOT

PROBE = """
import pytest

@pytest.mark.skipif(True, reason="/usr/bin/chromium not installed (apt-get install chromium)")
def test_ui():
    pass

def test_other():
    pass
"""


def _run(tmp_path, **env):
    (tmp_path / "test_probe.py").write_text(PROBE)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.browser_summary",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_probe.py"),
            "--rootdir",
            str(tmp_path),
            "-c",
            "/dev/null",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **env},
    )


def test_a_skipped_browser_test_is_named_with_its_reason(tmp_path):
    done = _run(tmp_path, CCA_REQUIRE_BROWSER="0")
    assert done.returncode == 0, done.stdout
    assert "1 browser test(s) did NOT run: /usr/bin/chromium not installed" in done.stdout
    assert "test_probe.py::test_ui" in done.stdout


def test_ci_fails_when_a_browser_test_skips(tmp_path):
    done = _run(tmp_path, CCA_REQUIRE_BROWSER="1")
    assert done.returncode == 1, done.stdout
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "CCA_REQUIRE_BROWSER=1" in ci and "CI=1" in ci
