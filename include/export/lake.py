"""A published day into the Parquet lake under CCA_EXPORT_URL, through Airflow's ObjectStoragePath.

Write, verify, publish: the day's manifest is removed first (the day is unpublished while
it is rewritten), each file is written whole (a local file under a hidden name, then renamed;
an object store's upload appears only when complete), read back and compared with
PostgreSQL (rows, per-column counts and sums, sha256 of the bytes), and the manifest is
written last. A day that is not published in PostgreSQL (never loaded, or deleted) has
its files and manifest removed, so exporting again leaves the lake equal to the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

import numpy as np
import psycopg
from airflow.sdk import ObjectStoragePath

from include.config import export_url
from include.export import parquet
from include.export.tables import (
    EXPORT_SQL_DIR,
    LakeFile,
    day_files,
    manifest_path,
    manifest_prefix,
    query_params,
    year_start,
)

log = logging.getLogger(__name__)

#: 2: customers, plans and agents as a year's snapshot and month's and day's changes (docs/lake.md).
MANIFEST_FORMAT = 2
#: Shared with the loader's lock of the day (include/storage/days.py): a re-load waits for the
#: export and the export for the load. A second export of the day waits for the first.
_LOCK_DAY_SHARED = "SELECT pg_advisory_xact_lock_shared(hashtext('customer_care_pipeline:day'), %s)"
_LOCK_EXPORT = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:export'), %s)"
#: A file several days share (a year's snapshot, a month's changes), in one lake: days exported
#: side by side (JOBS=2) write it once, the second waiting for the first's manifest. Every day
#: asks in the order of day_files, one order for all days, so two days never wait for each other.
_LOCK_SHARED_FILE = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:lake'), hashtext(%s))"


class ExportMismatch(RuntimeError):
    """A file read back differs from what PostgreSQL holds: the day stays unpublished."""


@dataclass(frozen=True)
class DayExport:
    day: dt.date
    rows: int  # the day's interactions
    files: int
    url: str


def lake_root(url: str | None = None) -> ObjectStoragePath:
    """The lake's root: CCA_EXPORT_URL (`s3://conn_id@bucket/prefix` picks an Airflow connection)."""
    return ObjectStoragePath(url or export_url())


def is_published(conn: psycopg.Connection, day: dt.date) -> bool:
    """A day is published once its load's audit passed and it was swapped in (its batch record)."""
    return conn.execute(
        "SELECT EXISTS (SELECT FROM interaction_batches WHERE batch_date = %s)", (day,)
    ).fetchone()[0]


def export_day(conn: psycopg.Connection, day: dt.date, url: str | None = None) -> DayExport:
    """Replace `day` in the lake with what PostgreSQL holds (or remove it if unpublished)."""
    root = lake_root(url)
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise RuntimeError("export_day needs a connection outside a transaction (it opens its own)")
    with conn.transaction():
        _export_session(conn, day)
        manifest = root / manifest_path(day)
        if manifest.exists():
            manifest.unlink()  # unpublished while it is rewritten
        if not is_published(conn, day):
            _remove_day(conn, root, day)
            return DayExport(day, 0, 0, str(root))
        suspended: dict[str, list[int]] = {}
        shared = _SharedEntries(root, day)
        entries = [_file_entry(conn, root, day, spec, suspended, shared) for spec in day_files(day)]
        document = {"format": MANIFEST_FORMAT, "day": day.isoformat(), "files": entries}
        _write_whole(manifest, (json.dumps(document, indent=1, sort_keys=True) + "\n").encode())
    rows = next(e["rows"] for e in entries if e["table"] == "customer_interactions")
    log.info("exported %s: %s interactions, %d files under %s", day, f"{rows:,}", len(entries), root)
    return DayExport(day, rows, len(entries), str(root))


def export_table(conn: psycopg.Connection, day: dt.date, table: str, url: str) -> dict:
    """One of the day's files written and verified (no manifest): what `make bench` times."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise RuntimeError("export_table needs a connection outside a transaction (it opens its own)")
    spec = next(s for s in day_files(day) if s.table == table)
    with conn.transaction():
        _export_session(conn, day)
        root = lake_root(url)
        return _file_entry(conn, root, day, spec, {}, _SharedEntries(root, day))


def read_manifest(day: dt.date, url: str | None = None) -> dict | None:
    path = lake_root(url) / manifest_path(day)
    return json.loads(path.read_text()) if path.exists() else None


def _export_session(conn: psycopg.Connection, day: dt.date) -> None:
    """The day's locks, then one snapshot of the database for every file (repeatable read),
    text in UTC and ISO."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    conn.execute("SET LOCAL TimeZone = 'UTC'")
    conn.execute("SET LOCAL DateStyle = 'ISO, YMD'")
    conn.execute("SET LOCAL extra_float_digits = 1")
    conn.execute(_LOCK_EXPORT, (day.toordinal(),))
    conn.execute(_LOCK_DAY_SHARED, (day.toordinal(),))


def _suspended_before_churn(conn: psycopg.Connection, day: dt.date) -> list[int]:
    """Customers churned after the year's snapshot date who were suspended until then.

    PostgreSQL keeps a churned customer's status after churning only; before it, the status
    is the generator's (a pure function of seed and id), so a day re-exported after later
    days are loaded gives the same rows.
    """
    from include.generator.customers import is_suspended

    state = conn.execute("SELECT base_seed FROM customer_base_state").fetchone()
    if state is None:
        return []
    as_of = year_start(day) - dt.timedelta(days=1)
    ids = np.array(
        conn.execute(
            "SELECT customer_id FROM customers WHERE churn_date > %s AND registration_date <= %s "
            "ORDER BY customer_id",
            (as_of, day),
        ).fetchall(),
        dtype=np.int64,
    ).reshape(-1)
    return ids[is_suspended(state[0], ids)].tolist()


def _query(conn: psycopg.Connection, spec: LakeFile, day: dt.date, suspended: dict[str, list[int]]) -> str:
    """The file's SELECT with its parameters as literals (COPY takes no bound parameters).
    The customers' files also need the suspended churners, found once per export (`suspended`)."""
    text = (EXPORT_SQL_DIR / spec.sql_file).read_text()
    params = query_params(spec, day)
    if "%(suspended_ids)s" in text:
        if "ids" not in suspended:
            suspended["ids"] = _suspended_before_churn(conn, day)
        params["suspended_ids"] = suspended["ids"]
    with psycopg.ClientCursor(conn) as cur:
        return cur.mogrify(text.strip().rstrip(";"), params)


def _file_entry(
    conn: psycopg.Connection,
    root: ObjectStoragePath,
    day: dt.date,
    spec: LakeFile,
    suspended: dict,
    shared: _SharedEntries,
) -> dict:
    path = root / spec.path
    if spec.shared:
        conn.execute(_LOCK_SHARED_FILE, (shared_file_key(root, spec),))
        known = shared.get(spec.path, look_again=True)
        if known is not None and path.exists():
            return known
    query = _query(conn, spec, day, suspended)
    rows, sha256, size = _write_file(conn, path, query, {"cca.table": spec.table})
    _verify(conn, path, query, rows, sha256)
    return {"table": spec.table, "path": spec.path, "rows": rows, "sha256": sha256, "bytes": size}


def shared_file_key(root: ObjectStoragePath, spec: LakeFile) -> str:
    """What names a shared file's lock: the lake and the file's path in it."""
    return f"{root}/{spec.path}"


class _SharedEntries:
    """The files other exported days of `day`'s year list (a year's snapshot, a month's changes
    or reference tables), as their manifests give them: read newest first, each once, only until
    the file asked for is found (usually in the first)."""

    def __init__(self, root: ObjectStoragePath, day: dt.date):
        self._folder = (root / manifest_path(day)).parent
        self._prefix = manifest_prefix(day)
        self._seen: set[str] = set()
        self._unread: list[ObjectStoragePath] = []
        self._entries: dict[str, dict] = {}
        self._list()

    def _list(self) -> None:
        """Add the manifests written since the last look (newest first)."""
        names = self._folder.iterdir() if self._folder.exists() else []
        new = [p for p in names if p.name.startswith(self._prefix) and p.name.endswith(".json")]
        new = [p for p in new if p.name not in self._seen]
        self._seen.update(p.name for p in new)
        self._unread = sorted([*self._unread, *new], key=lambda p: p.name, reverse=True)

    def get(self, path: str, look_again: bool = False) -> dict | None:
        """The entry of `path`; with look_again, also in manifests written since (another day's,
        while this one waited for the file's lock)."""
        if path not in self._entries and look_again:
            self._list()
        while path not in self._entries and self._unread:
            for entry in json.loads(self._unread.pop(0).read_text())["files"]:
                self._entries.setdefault(entry["path"], entry)
        return self._entries.get(path)

    def listed(self) -> set[str]:
        """Every path the other days list."""
        self.get("")  # reads them all
        return set(self._entries)


def _write_file(conn: psycopg.Connection, path: ObjectStoragePath, query: str, metadata: dict) -> tuple:
    """Write the file whole: a local file under a hidden name, renamed; an object store's upload
    becomes visible only when it completes."""
    local = path.protocol in ("file", "local", "")
    target = path.parent / f".{path.name}.tmp" if local else path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        result = parquet.write_query(conn, query, out, metadata)
    if local:
        target.rename(path)
    return result


def _write_whole(path: ObjectStoragePath, data: bytes) -> None:
    local = path.protocol in ("file", "local", "")
    target = path.parent / f".{path.name}.tmp" if local else path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        out.write(data)
    if local:
        target.rename(path)


def _verify(conn: psycopg.Connection, path: ObjectStoragePath, query: str, rows: int, sha256: str) -> None:
    """Read the file back: its bytes hash to what was written, its rows and per-column totals
    equal PostgreSQL's."""
    with path.open("rb") as stored:
        digest = hashlib.sha256()
        for block in iter(lambda: stored.read(8 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        raise ExportMismatch(f"{path}: the stored bytes differ from those written")
    with path.open("rb") as stored:
        in_file = parquet.file_checks(stored)
    schema = parquet.arrow_schema(conn, query)
    sql, names = parquet.checks_sql(schema, query)
    in_db = {name: int(value) for name, value in zip(names, conn.execute(sql).fetchone(), strict=True)}
    if in_file != in_db or in_file["rows"] != rows:
        wrong = sorted(k for k in in_db if in_file.get(k) != in_db[k])
        raise ExportMismatch(f"{path}: differs from PostgreSQL in {', '.join(wrong[:5]) or 'rows'}")


def _remove_day(conn: psycopg.Connection, root: ObjectStoragePath, day: dt.date) -> None:
    """The day's files, and the shared ones no other exported day lists."""
    specs = day_files(day)
    for spec in specs:
        if spec.shared:
            conn.execute(_LOCK_SHARED_FILE, (shared_file_key(root, spec),))
    still_listed = _SharedEntries(root, day).listed()
    for spec in specs:
        if spec.shared and spec.path in still_listed:
            continue
        folder = (root / spec.path).parent
        if folder.exists():
            folder.rmdir(recursive=True)
