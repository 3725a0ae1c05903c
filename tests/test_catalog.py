"""The DuckDB catalog: schema, idempotent batched ingest, locking, crawler-facing queries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from archive.catalog import ingest as catalog
from archive.catalog.connection import open_catalog
from archive.catalog.ingest import ingest_warcs
from archive.catalog.window import HeldCapture, held_captures, payload_index
from archive.errors import BadWarc, CatalogLocked, CatalogOutdated, NewsarcError
from archive.warc.digests import file_sha256
from archive.warc.reader import iter_capture_rows
from tests.test_warc_reading import WarcBuilder, write_sample_warc
from tests.warc_validation import assert_valid_warc

BASE = "http://127.0.0.1:8001"
DAY1 = datetime(2024, 5, 1, 9, 0, 0, 250000, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY1 + timedelta(days=2)


@pytest.fixture
def con(tmp_path: Path):
    connection = open_catalog(tmp_path / "data" / "archive.duckdb")
    yield connection
    connection.close()


def test_schema_has_comments_and_types(con) -> None:
    rows = con.execute(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
        "WHERE table_name IN ('captures', 'warc_files', 'fetch_errors')"
    ).fetchall()
    columns = {(t, c): (kind, comment) for t, c, kind, comment in rows}
    assert len([k for k in columns if k[0] == "captures"]) == 21
    assert all(comment for _, comment in columns.values()), "every column has a comment"
    for key in [
        ("captures", "captured_at"),
        ("captures", "refers_to_date"),
        ("warc_files", "ingested_at"),
        ("fetch_errors", "failed_at"),
    ]:
        assert columns[key][0] == "TIMESTAMP WITH TIME ZONE", key


def test_ingest_is_idempotent(con, tmp_path: Path) -> None:
    sample = write_sample_warc(tmp_path / "demo-1-00000.warc.gz")
    report = ingest_warcs(con, [sample.path])
    assert (report.files, report.records_added, report.errors_added) == (1, 6, 1)
    again = ingest_warcs(con, [sample.path])
    assert (again.files, again.records_added, again.errors_added) == (0, 0, 0)
    assert con.execute("SELECT count(*) FROM captures").fetchone()[0] == 6

    name, size, sha, count, ingested_at = con.execute("SELECT * FROM warc_files").fetchone()
    assert (name, size, count) == (sample.path.name, sample.path.stat().st_size, 6)
    assert sha == file_sha256(sample.path) and ingested_at.tzinfo is not None

    stored = con.execute("SELECT * FROM captures ORDER BY warc_offset").fetchall()
    expected = [tuple(vars_of(r)) for r in iter_capture_rows(sample.path)]
    assert stored == expected


def vars_of(row) -> list:
    return [getattr(row, name) for name in row.__dataclass_fields__]


def test_copy_under_another_name_is_skipped_by_hash(con, tmp_path: Path) -> None:
    sample = write_sample_warc(tmp_path / "demo-1-00000.warc.gz")
    copy = tmp_path / "copy.warc.gz"
    copy.write_bytes(sample.path.read_bytes())
    assert ingest_warcs(con, [sample.path, copy]).files == 1


def test_interrupted_ingest_resumes(con, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "many.warc.gz"
    with WarcBuilder(path) as w:
        w.warcinfo()
        for i in range(9):
            w.response(f"{BASE}/story/{i}", DAY1, f"story {i}".encode())
    monkeypatch.setattr(catalog, "BATCH_ROWS", 4)
    real = catalog.insert_rows
    calls = {"n": 0}

    def failing(con_, table, *args, **kwargs):
        if table == "captures":
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("simulated crash in the second batch")
        return real(con_, table, *args, **kwargs)

    monkeypatch.setattr(catalog, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        ingest_warcs(con, [path])
    assert con.execute("SELECT count(*) FROM captures").fetchone()[0] == 4  # batch 1 committed
    assert con.execute("SELECT count(*) FROM warc_files").fetchone()[0] == 0

    monkeypatch.setattr(catalog, "insert_rows", real)
    report = ingest_warcs(con, [path])
    assert (report.files, report.records_added) == (1, 6)
    assert con.execute("SELECT record_count FROM warc_files").fetchone()[0] == 10


def test_ingest_refuses_open_files_and_quarantines_damaged_ones(con, tmp_path: Path) -> None:
    sample = write_sample_warc(tmp_path / "demo-1-00000.warc.gz")
    data = sample.path.read_bytes()
    opened = tmp_path / "demo-2-00000.warc.gz.open"
    opened.write_bytes(data)
    with pytest.raises(BadWarc, match="still open"):
        ingest_warcs(con, [opened])
    damaged = tmp_path / "demo-3-00000.warc.gz"
    damaged.write_bytes(data[:-3])
    report = ingest_warcs(con, [damaged])
    [spot] = report.quarantined
    assert spot.warc_file == damaged.name and "truncated" in spot.reason
    last_offset = con.execute("SELECT max(warc_offset) FROM captures").fetchone()[0]
    assert spot.offset > last_offset  # every record before the cut is catalogued
    assert report.records_added == con.execute("SELECT count(*) FROM captures").fetchone()[0] == 5


def test_fetch_errors_from_metadata(con, tmp_path: Path) -> None:
    path = tmp_path / "errors.warc.gz"
    with WarcBuilder(path) as w:
        w.warcinfo(profile="demo-aggregator")
        good = w.fetch_error(
            f"{BASE}/story/slow",
            DAY1,
            {
                "url": f"{BASE}/story/slow",
                "error": "timeout",
                "reason": "timed out after 30 s",
                "status": None,
                "attempts": 3,
                "profile": "demo-aggregator",
            },
        )
        broken = w.fetch_error(f"{BASE}/story/odd", DAY2, b"{not json")
        w.resource(f"{BASE}/note", DAY2, b'{"a": 1}', "application/json")
    assert_valid_warc(path)
    report = ingest_warcs(con, [path])
    assert report.errors_added == 2
    rows = {r[0]: r for r in con.execute("SELECT * FROM fetch_errors").fetchall()}
    assert rows[good] == (
        good,
        f"{BASE}/story/slow",
        DAY1,
        "timeout",
        "timed out after 30 s",
        None,
        3,
        "demo-aggregator",
        path.name,
    )
    # An unreadable body still records that the URL failed, with what the headers say.
    assert rows[broken][1:4] == (f"{BASE}/story/odd", DAY2, None)
    assert rows[broken][7:] == ("demo-aggregator", path.name)


def test_held_captures_and_payload_index(con, tmp_path: Path) -> None:
    path = tmp_path / "history.warc.gz"
    html = [("Content-Type", "text/html")]
    with WarcBuilder(path) as w:
        w.warcinfo()
        a1 = w.response(f"{BASE}/a", DAY1, b"A", headers=html + [("ETag", '"a1"')])
        b1 = w.response(f"{BASE}/b", DAY1, b"B1", headers=html + [("ETag", '"b1"')])
        w.response(f"{BASE}/c", DAY1, b"missing", status="404 Not Found")
        d1 = w.response(f"{BASE}/d", DAY1, b"D", headers=html + [("Last-Modified", "x")])
    rows = {r.record_id: r for r in iter_capture_rows(path)}
    digest_a = rows[a1].payload_digest
    path2 = tmp_path / "history2.warc.gz"
    with WarcBuilder(path2) as w:
        w.warcinfo()
        w.revisit(f"{BASE}/a", DAY2, digest_a, f"{BASE}/a", DAY1, refers_to=a1)
        b3 = w.response(f"{BASE}/b", DAY3, b"B3", headers=html + [("ETag", '"b3"')])
        w.response(f"{BASE}/d", DAY2, b"oops", status="500 Internal Server Error")
        # same bytes as /a at another URL: an identical-payload revisit, no ETag of its own
        w.revisit(f"{BASE}/e", DAY2, digest_a, f"{BASE}/a", DAY1, not_modified=False, headers=html)
        # a revisit whose original is not in the catalog is no proof of anything
        w.revisit(f"{BASE}/f", DAY2, "sha1:" + "B" * 32, f"{BASE}/f", DAY1)
        w.response(f"{BASE}/g", DAY2, b"A", headers=html)  # same payload as /a, later
    ingest_warcs(con, [path, path2])
    rows.update({r.record_id: r for r in iter_capture_rows(path2)})

    held = held_captures(con)
    assert set(held) == {f"{BASE}/a", f"{BASE}/b", f"{BASE}/d", f"{BASE}/e", f"{BASE}/g"}
    a = held[f"{BASE}/a"]
    assert a == HeldCapture(
        url=f"{BASE}/a",
        captured_at=DAY2,
        etag='"a1"',
        last_modified=None,
        payload_digest=digest_a,
        warc_file=path.name,
        warc_offset=rows[a1].warc_offset,
        warc_length=rows[a1].warc_length,
        record_id=a1,
        response_url=f"{BASE}/a",
        response_date=DAY1,
    )
    b = held[f"{BASE}/b"]
    assert (b.record_id, b.etag, b.captured_at, b.warc_file) == (b3, '"b3"', DAY3, path2.name)
    d = held[f"{BASE}/d"]
    assert (d.record_id, d.last_modified, d.captured_at) == (d1, "x", DAY1)
    e = held[f"{BASE}/e"]
    assert (e.record_id, e.etag, e.response_url, e.captured_at) == (a1, None, f"{BASE}/a", DAY2)
    assert b1 not in {h.record_id for h in held.values()}

    index = payload_index(con)
    assert index[digest_a] == (f"{BASE}/a", DAY1)  # the first of /a and /g
    assert index[rows[b3].payload_digest] == (f"{BASE}/b", DAY3)
    assert "sha1:" + "B" * 32 not in index  # revisits are not payload holders
    assert len(index) == 6  # A, B1, missing, D, B3, oops


LOCK_HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from archive.catalog.connection import open_catalog
    con = open_catalog(Path(sys.argv[1]))
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
    """
)


def test_second_writer_process_gets_catalog_locked(tmp_path: Path) -> None:
    db = tmp_path / "archive.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(CatalogLocked) as err:
            open_catalog(db)
        assert time.monotonic() - started < 5, "must fail fast, not wait for the lock"
        message = str(err.value)
        assert str(db) in message and "another newsarc process" in message
        assert f"PID {holder.pid}" in message
        assert "IO Error" not in message
        with pytest.raises(CatalogLocked):
            open_catalog(db, read_only=True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    open_catalog(db).close()  # free again once the holder has exited


def test_a_catalog_from_an_older_schema_asks_for_a_reindex(tmp_path: Path) -> None:
    db = tmp_path / "archive.duckdb"
    old = duckdb.connect(str(db))  # a catalog from before schema versions: tables, no stamp
    old.execute("CREATE TABLE captures (record_id VARCHAR PRIMARY KEY)")
    old.close()
    with pytest.raises(CatalogOutdated, match="newsarc reindex"):
        open_catalog(db)
    open_catalog(tmp_path / "fresh.duckdb").close()
    open_catalog(tmp_path / "fresh.duckdb").close()  # a current catalog opens again


def test_duckdb_threads_can_be_capped_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSARC_DUCKDB_THREADS", "1")
    con = open_catalog(tmp_path / "archive.duckdb")
    try:
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    finally:
        con.close()
    monkeypatch.setenv("NEWSARC_DUCKDB_THREADS", "many")
    with pytest.raises(NewsarcError, match="NEWSARC_DUCKDB_THREADS"):
        open_catalog(tmp_path / "archive.duckdb")
