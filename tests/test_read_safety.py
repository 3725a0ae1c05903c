"""Reads cannot write: `newsarc query` runs SQL a person typed, and that SQL sees the catalog and
nothing else. Each attack goes through the `newsarc` command line (a child process where the
process itself matters: its working directory, its home, its exit); the archive stays
byte-identical and the person gets one line saying why."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import duckdb
import pytest

from archive.catalog.connection import _READ_ONLY_CONFIG, open_catalog
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles
from tests.cli_process import invoke, newsarc

READ_ONLY = "newsarc query is read-only"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """One crawled archive shared by the module; no test may change a byte of it."""
    data = tmp_path_factory.mktemp("read-safety") / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profiles = sites.write_profiles(data / "profiles")
        run = archive_profiles([profiles["translated"]], data, timeout=300)
    assert not run.failures, run.failures
    # Readers of the lake's SQLite catalog (WAL mode) create its -wal and -shm files on first read.
    invoke("query", "SELECT 1", "--data", str(data))
    return data


def fingerprint(root: Path) -> dict[str, str]:
    """SHA-256 of every file under *root*, by relative path; the lake catalog's `-shm` file is
    SQLite's shared-memory index (every reader updates it, it holds no data) and is left out."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith(".sqlite-shm")
    }


@pytest.fixture
def untouched(data):
    """Fails the test if anything in the data directory changed, appeared or vanished."""
    before = fingerprint(data)
    assert any(name.endswith(".warc.gz") for name in before)
    yield
    assert fingerprint(data) == before


def refused(data: Path, sql: str, *, in_child: bool = False, **kwargs) -> str:
    args = ("query", sql, "--data", str(data))
    ran = newsarc(*args, **kwargs) if in_child else invoke(*args)
    line = ran.one_line_error()
    assert ran.code == 1 and line.startswith(f"error: {READ_ONLY}"), line
    assert ran.stdout == ""
    return line


def a_warc(data: Path) -> Path:
    return sorted((data / "warcs").glob("*.warc.gz"))[0]


def test_copy_over_a_warc_is_refused_and_the_warc_is_unchanged(data, untouched):
    line = refused(data, f"COPY (SELECT 'gone') TO '{a_warc(data)}' (FORMAT csv)", in_child=True)
    assert "Cannot access file" in line


def test_copy_over_a_warc_by_relative_path_is_refused(data, untouched):
    relative = Path("data") / "warcs" / a_warc(data).name
    refused(
        data, f"COPY (SELECT 'gone') TO '{relative}' (FORMAT csv)", in_child=True, cwd=data.parent
    )


def test_copy_over_the_catalog_is_refused_and_the_catalog_still_opens(data, untouched):
    refused(data, f"COPY (SELECT 1) TO '{data / 'archive.duckdb'}' (FORMAT parquet)")
    ran = invoke(
        "query", "SELECT count(*) AS n FROM articles", "--data", str(data), "--format", "json"
    )
    assert ran.code == 0 and json.loads(ran.stdout)[0]["n"] > 0, ran.stderr


def test_export_database_writes_nowhere(data, untouched, tmp_path):
    refused(data, f"EXPORT DATABASE '{tmp_path / 'dump'}'")
    assert not (tmp_path / "dump").exists()


def test_reading_a_file_outside_the_catalog_is_refused_and_prints_none_of_it(data, untouched):
    for sql in (
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        f"SELECT * FROM read_blob('{a_warc(data)}')",
        "SELECT * FROM glob('/etc/*')",
    ):
        line = refused(data, sql)
        assert "root:" not in line


def test_attach_of_another_database_is_refused(data, untouched, tmp_path):
    refused(data, f"ATTACH '{tmp_path / 'other.duckdb'}' AS other")
    assert not (tmp_path / "other.duckdb").exists()


def test_extensions_are_neither_installed_nor_loaded_and_nothing_is_fetched(
    data, untouched, tmp_path
):
    """A canary on loopback stands in for the extension repository and any URL: it must see no
    connection at all."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    with socket.create_server(("127.0.0.1", 0)) as canary:
        url = f"http://127.0.0.1:{canary.getsockname()[1]}"
        for sql in (
            "INSTALL httpfs",
            f"FORCE INSTALL httpfs FROM '{url}'",
            "LOAD httpfs",
            f"SELECT * FROM read_csv('{url}/a.csv')",
            f"SELECT * FROM read_text('{url}/a.txt')",
        ):
            refused(data, sql, in_child=True, env=env)
        canary.setblocking(False)
        with pytest.raises(BlockingIOError):
            canary.accept()
    assert list(home.rglob("*")) == []  # no ~/.duckdb/extensions was even created


def test_settings_cannot_switch_the_protection_off(data, untouched):
    for sql in (
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "SET autoinstall_known_extensions = true",
        "RESET enable_external_access",
    ):
        line = refused(data, sql)
        assert "configuration has been locked" in line


def test_logging_to_a_file_is_refused(data, untouched, tmp_path):
    log = tmp_path / "duckdb-log"
    refused(data, f"CALL enable_logging(storage = 'file', storage_path = '{log}'); SELECT 1")
    assert not log.exists()


def test_changing_the_catalog_is_refused(data, untouched):
    for sql in ("DELETE FROM articles", "DROP TABLE captures", "CREATE TABLE t (x INT)"):
        assert "read-only mode" in refused(data, sql)


def test_bad_sql_is_one_line_that_says_so(data, untouched):
    ran = invoke("query", "SELEC count(*) FROM articles", "--data", str(data))
    assert ran.code == 1
    assert ran.one_line_error().startswith(
        'error: query failed: Parser Error: syntax error at or near "SELEC"'
    )


def test_ordinary_reads_still_work(data, untouched):
    """query (table, csv, json), changes and history read the same sealed catalog."""
    ran = newsarc(
        "query",
        "SELECT article_id FROM articles ORDER BY 1",
        "--data",
        str(data),
        "--format",
        "json",
    )
    assert ran.code == 0, ran.stderr
    article_id = json.loads(ran.stdout)[0]["article_id"]
    assert invoke(
        "query", "SELECT 1 AS one", "--data", str(data), "--format", "csv"
    ).stdout.split() == ["one", "1"]
    assert (
        "count_star()"
        in invoke("query", "SELECT count(*) FROM captures", "--data", str(data)).stdout
    )
    changes = invoke("changes", "--data", str(data), "--format", "json")
    assert changes.code == 0 and {c["kind"] for c in json.loads(changes.stdout)} == {"new"}
    history = invoke("history", article_id, "--data", str(data), "--format", "json")
    assert history.code == 0 and json.loads(history.stdout)["versions"], history.stderr


def test_parquet_export_writes_its_files_and_only_them(data, untouched, tmp_path):
    out = tmp_path / "export"
    ran = newsarc("export", "--data", str(data), "--out", str(out))
    assert ran.code == 0, ran.stderr
    written = sorted(p.name for p in out.iterdir())
    assert {"articles.parquet", "article_versions.parquet", "captures.parquet"} <= set(written)
    assert not [name for name in written if not name.endswith(".parquet")]
    check = duckdb.connect()
    for table in ("articles", "captures", "changes"):
        exported = check.execute(f"SELECT count(*) FROM '{out / table}.parquet'").fetchone()[0]
        ran = invoke(
            "query", f"SELECT count(*) AS n FROM {table}", "--data", str(data), "--format", "json"
        )
        assert exported == json.loads(ran.stdout)[0]["n"] > 0
    described = check.execute(f"DESCRIBE SELECT * FROM '{out / 'articles.parquet'}'").fetchall()
    assert dict(row[:2] for row in described)["first_seen_at"] == "TIMESTAMP WITH TIME ZONE"


def test_read_only_connections_of_one_process_share_the_seal(data):
    """DuckDB shares one instance per file within a process: the second open must neither fail
    on the locked configuration nor come back unsealed or in the machine's time zone."""
    first = open_catalog(data / "archive.duckdb", read_only=True)
    second = open_catalog(data / "archive.duckdb", read_only=True)
    try:
        for con in (first, second):
            assert con.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "UTC"
            with pytest.raises(duckdb.PermissionException):
                con.execute("SELECT * FROM read_text('/etc/hostname')")
    finally:
        first.close()
        second.close()


def test_the_seal_still_lets_duckdb_spill_a_big_sort_to_its_temp_directory(tmp_path):
    """DuckDB's own spill files (beside the catalog, in archive.duckdb.tmp) are not 'external
    access': a sort bigger than memory completes under the read-only configuration. (The same
    sort without a temp directory runs out of memory, so it did spill.)"""
    db = tmp_path / "archive.duckdb"
    with duckdb.connect(str(db)) as con:
        rows = "SELECT md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS s FROM range(300000) r(i)"
        con.execute(f"CREATE TABLE t AS {rows}")
    config = _READ_ONLY_CONFIG | {"memory_limit": "32MB", "threads": 1}
    with duckdb.connect(str(db), read_only=True, config=config) as con:
        sort = "SELECT count(*), max(s) FROM (SELECT s FROM t ORDER BY s DESC)"
        assert con.execute(sort).fetchone()[0] == 300000
        assert (tmp_path / "archive.duckdb.tmp").is_dir()  # removed again at close
