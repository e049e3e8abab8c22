"""pytest plugin (loaded by tests/conftest.py): browser tests never skip silently.

Skipped browser tests (no Debian `chromium`) are listed at the end of the run with the
reason and the fix. With CCA_REQUIRE_BROWSER=1 (set by CI, which installs chromium) such a
skip fails the run, so the UI is always tested there.
"""

from __future__ import annotations

import os

REQUIRE_ENV = "CCA_REQUIRE_BROWSER"
_skipped: list[tuple[str, str]] = []


def _is_browser_skip(reason: str) -> bool:
    return "chromium" in reason.lower() or "playwright" in reason.lower()


def pytest_runtest_logreport(report) -> None:
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2])
        if _is_browser_skip(reason):
            _skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _skipped:
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser tests skipped", sep="=", yellow=True)
    write(f"{len(_skipped)} browser test(s) did NOT run: {_skipped[0][1]}")
    for nodeid, _ in _skipped:
        write(f"  {nodeid}")
    write("install Debian's chromium (make browser-deps as root) to run them; CI installs it.")
    if os.environ.get(REQUIRE_ENV) == "1":
        write(f"{REQUIRE_ENV}=1: a skipped browser test fails this run.")


def pytest_sessionfinish(session, exitstatus) -> None:
    if _skipped and os.environ.get(REQUIRE_ENV) == "1" and exitstatus == 0:
        session.exitstatus = 1
