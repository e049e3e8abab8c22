"""Limits on every database session the DAG's tasks open: a hung or unreachable database
fails a try in minutes, not after the task's 2-hour execution timeout.

Connecting is bounded by the connection's `connect_timeout` (the project's connection URIs
carry `connect_timeout=10`; add it to your own connection's extra). Once connected, these
settings apply (override them with the environment variables):
"""

from __future__ import annotations

import os

import psycopg

#: Longest single statement (a 10M-row day's COPY takes about a minute).
STATEMENT_TIMEOUT_ENV = "CCA_STATEMENT_TIMEOUT"
DEFAULT_STATEMENT_TIMEOUT = "30min"
#: A session idle inside a transaction (a stuck client) is ended after this long.
IDLE_TIMEOUT_ENV = "CCA_IDLE_IN_TRANSACTION_TIMEOUT"
DEFAULT_IDLE_TIMEOUT = "10min"
#: Seconds to wait for a connection, for URIs that do not say.
CONNECT_TIMEOUT = 10


def limit_session(conn: psycopg.Connection) -> psycopg.Connection:
    """Set the session's statement and idle-in-transaction timeouts; returns `conn`."""
    conn.execute(
        "SELECT set_config('statement_timeout', %s, false), "
        "set_config('idle_in_transaction_session_timeout', %s, false)",
        (
            os.environ.get(STATEMENT_TIMEOUT_ENV) or DEFAULT_STATEMENT_TIMEOUT,
            os.environ.get(IDLE_TIMEOUT_ENV) or DEFAULT_IDLE_TIMEOUT,
        ),
    )
    conn.commit()
    return conn
