"""Crash the embedded server (issue #15): SIGKILL the postmaster and every backend at once,
with no shutdown checkpoint (used by the `server_killed_after_load` scenario)."""

from __future__ import annotations

import signal

import psutil

from include.config import EMBEDDED_PGDATA


def kill_embedded_server() -> int:
    """SIGKILL the embedded postmaster and all its children at once; returns how many died."""
    pid = int((EMBEDDED_PGDATA / "postmaster.pid").read_text().split()[0])
    postmaster = psutil.Process(pid)
    victims = [postmaster, *postmaster.children(recursive=True)]
    for proc in victims:
        try:
            proc.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(victims, timeout=30)
    return len(victims)
