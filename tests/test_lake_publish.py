"""Publishing only what an ingest touched gives the lake a full comparison would give.

Real WARCs (a wire of six stories; later rounds edit one, remove one, add one, and make one a
near-copy of another) are ingested one round at a time with the real pipeline, each publishing
from the derivation's key log; after each, the lake is compared row for row with the private
file and with a lake published afresh from a copy of it (every row compared). A reindex
publishes by the full comparison and changes nothing; the next ingest is incremental again.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from archive.catalog.connection import open_catalog
from archive.catalog.lake import (
    PUBLISHED_TABLES,
    catalog_path,
    files_dir,
    load_extensions,
    open_lake_reader,
    publish,
)
from archive.warc.writer import HttpExchange, WarcWriter
from flows.pipeline import ingest_data_dir, reindex

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SITE = "http://127.0.0.53:8053"
TOPICS = {"chips": "Chip export policy", "agents": "Agent liability", "energy": "Data centres",
          "robots": "Robot safety", "audits": "Model audits",
          "copyright": "Training data"}  # fmt: skip


def paragraphs(slug: str) -> list[str]:
    topic = TOPICS.get(slug, "Open weights")
    return [
        f"{topic} was the subject of a long meeting of regulators and researchers this week.",
        f"People close to the talks said the discussion of {topic.lower()} ended without a deal.",
        f"Critics said {topic.lower()} needs clearer rules and asked for a public consultation.",
    ]


def page(title: str, body: list[str]) -> bytes:
    text = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{title} | Wire</title></head>"
        f"<body><article><h1>{title}</h1>{text}</article></body></html>"
    ).encode()


def round_pages(run: int) -> dict[str, tuple[int, bytes]]:
    """Run 0: six stories. 1: `chips` re-titled, `agents` edited. 2: `robots` gone (404), a new
    story `weights`, and `copies` a near-copy of `energy`. 3 (after the reindex): `audits`
    edited."""
    pages = {slug: (200, page(TOPICS[slug], paragraphs(slug))) for slug in TOPICS}
    if run >= 1:
        pages["chips"] = (200, page("Chip export policy, revised", paragraphs("chips")))
        edited = paragraphs("agents")
        edited[1] += " A second meeting is now set for December."
        pages["agents"] = (200, page(TOPICS["agents"], edited))
    if run >= 2:
        pages["robots"] = (404, b"Not found")
        pages["weights"] = (200, page("Open weights", paragraphs("weights")))
        pages["copies"] = (200, page("Data centres again", paragraphs("energy")))
    if run >= 3:
        pages["audits"] = (200, page(TOPICS["audits"], [*paragraphs("audits"), "An update."]))
    return pages


def write_round(warcs: Path, run: int) -> None:
    fields = {"isPartOf": "wire", "newsarc-run-id": f"run-{run}",
              "newsarc-page-patterns": '{"stories": ["/story/"], "listings": []}'}  # fmt: skip
    writer = WarcWriter(warcs, f"wire-{run}", warcinfo_fields=fields)
    try:
        for i, (slug, (status, body)) in enumerate(sorted(round_pages(run).items())):
            writer.write_exchange(
                HttpExchange(
                    url=f"{SITE}/story/{slug}", method="GET",
                    request_headers=[("Host", "127.0.0.53:8053")], status=status,
                    response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body, captured_at=T0 + timedelta(hours=run, seconds=i),
                )
            )  # fmt: skip
    finally:
        writer.close()


def attach_lake(con: duckdb.DuckDBPyConnection, data: Path, name: str) -> None:
    con.execute(
        f"ATTACH 'ducklake:sqlite:{catalog_path(data)}' AS {name} "
        f"(READ_ONLY, DATA_PATH '{files_dir(data)}/')"
    )


def differing_rows(data: Path, reference: Path | None = None) -> dict[str, int]:
    """Per published table, rows in one side and not the other (as multisets): the lake of
    *data* against its private file, or against the lake of *reference*."""
    con = duckdb.connect(":memory:")
    try:
        load_extensions(con)
        attach_lake(con, data, "published")
        if reference is None:
            con.execute(f"ATTACH '{data / 'archive.duckdb'}' AS truth (READ_ONLY)")
        else:
            attach_lake(con, reference, "truth")
        return {
            table: con.execute(
                f"SELECT (SELECT count(*) FROM (FROM published.{table} EXCEPT ALL "
                f"FROM truth.{table})) + (SELECT count(*) FROM (FROM truth.{table} EXCEPT ALL "
                f"FROM published.{table}))"
            ).fetchone()[0]
            for table in PUBLISHED_TABLES
        }
    finally:
        con.close()


def published_afresh(data: Path, elsewhere: Path) -> Path:
    """A copy of *data*'s private file published to a new lake: every row compared."""
    shutil.rmtree(elsewhere, ignore_errors=True)
    elsewhere.mkdir(parents=True)
    shutil.copy(data / "archive.duckdb", elsewhere / "archive.duckdb")
    con = open_catalog(elsewhere / "archive.duckdb")
    try:
        assert publish(con, elsewhere, "full").rebuilt
    finally:
        con.close()
    return elsewhere


def last_snapshot(data: Path) -> tuple[int, dict]:
    con = open_lake_reader(data)
    try:
        snapshot_id, extra = con.execute(
            "SELECT snapshot_id, commit_extra_info FROM snapshots() ORDER BY snapshot_id DESC"
            " LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return snapshot_id, json.loads(extra) if extra else {}


def key_log(data: Path) -> int:
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM lake_touched_stories)"
            " + (SELECT count(*) FROM lake_touched_files)"
        ).fetchone()[0]
    finally:
        con.close()


def assert_lake_is_the_full_publication(data: Path, tmp_path: Path) -> None:
    assert set(differing_rows(data).values()) == {0}, differing_rows(data)
    reference = published_afresh(data, tmp_path / "reference")
    assert set(differing_rows(data, reference).values()) == {0}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "data" / "warcs").mkdir(parents=True)
    return tmp_path / "data"


def test_each_ingest_publishes_only_its_stories_and_the_lake_equals_a_full_publication(
    data, tmp_path
):
    for run in range(3):  # new stories; a title and a body edited; removed, new and copied
        write_round(data / "warcs", run)
        ingest_data_dir(data)
        _, info = last_snapshot(data)
        assert info["rebuilt"] is (run == 0), info  # only the first publication compares all
        assert key_log(data) == 0, "the publication consumed the key log"
        assert_lake_is_the_full_publication(data, tmp_path)
    assert info["inserted"]["changes"] == 3 and "captures" in info["inserted"]

    before, _ = last_snapshot(data)
    reindex(data)  # a new private file: no key log, so every row is compared
    _, info = last_snapshot(data)
    assert info["inserted"] == info["deleted"] == {}, "a reindex of the same WARCs changes no row"
    assert_lake_is_the_full_publication(data, tmp_path)

    write_round(data / "warcs", 3)
    ingest_data_dir(data)
    snapshot, info = last_snapshot(data)
    assert snapshot > before and info["rebuilt"] is False
    assert info["inserted"]["changes"] == 1
    assert_lake_is_the_full_publication(data, tmp_path)


def test_a_publication_lost_after_the_lake_commit_is_redone_by_comparing_every_row(data, tmp_path):
    write_round(data / "warcs", 0)
    ingest_data_dir(data)
    con = open_catalog(data / "archive.duckdb")
    try:  # as if the process died between the lake's commit and the private bookkeeping
        con.execute("DELETE FROM lake_published")
    finally:
        con.close()
    write_round(data / "warcs", 1)
    ingest_data_dir(data)
    assert last_snapshot(data)[1]["rebuilt"] is True
    assert_lake_is_the_full_publication(data, tmp_path)
