"""A committed day survives a crash of the server itself (issue #15).

The server is SIGKILLed, postmaster and every backend at once, right after `load_day`
returns: no shutdown checkpoint, nothing flushed after the kill. After crash recovery the
day must be there, row for row, with its summaries. The scratch database is set to
`synchronous_commit = off` (a server tuned for speed), so only the loader's own guarantee
(its commit waits for the WAL flush) can keep the day.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable

import psutil
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from devtools.database import connect, embedded_url, normalize_dsn
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


def server_killed_after_load(url: str, make_db: Callable[[], str]):
    from devtools.reliability.scenarios import DAY, OLD, Result, _clean_run, _prepared, _score, summary_state
    from include.analytics import refresh_day
    from include.storage.days import load_day

    name = "server SIGKILLed after a load returned"
    if os.environ.get("CCA_DATABASE_URL"):
        return Result(name, True, 0, 0, "skipped: needs the embedded server")
    _prepared(url, None)
    with connect(url, autocommit=True) as conn:
        dbname = conninfo_to_dict(normalize_dsn(url))["dbname"]
        conn.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(dbname)))
    expected = _clean_run(make_db, OLD)
    killed = _then_kill(url, lambda conn: load_day(conn, DAY, OLD))  # the task just reported success
    started = time.monotonic()
    embedded_url()  # crash recovery
    result = _score(
        name, url, expected, f"killed {killed} processes twice; the day and its summaries are there"
    )
    _then_kill(url, lambda conn: refresh_day(conn, DAY))
    embedded_url()
    if summary_state(url)[0] is None:
        result.survived = False
        result.detail = "the day's summaries were lost"
    result.detail += f" (restart {time.monotonic() - started:.1f}s)"
    return result


def _then_kill(url: str, work: Callable) -> int:
    conn = connect(url)
    try:
        work(conn)
        return kill_embedded_server()
    finally:
        try:
            conn.close()
        except Exception:  # the server is gone
            pass
