"""One bad input never blocks the rest: damaged WARCs are quarantined, everything else ingested.

The WARCs are written by the project's own writer, then damaged as a disk or a hostile server
would: bytes flipped inside a record, a file cut short, a 32 KB header block FastWARC refuses,
and bit rot in a file that was already ingested.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.errors import BadWarc
from archive.warc.reader import list_verified_entries
from archive.warc.writer import HttpExchange, WarcWriter
from flows.archive_checks import catalog_problems, check_warc
from flows.cli import app
from flows.pipeline import ingest_data_dir, reindex
from tests.catalog_queries import query

SITE = "http://127.0.0.51:8051"
T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)
FIELDS = {"isPartOf": "wire", "newsarc-page-patterns": json.dumps({"stories": ["/story/"]})}
BIG_HEADERS = [(f"X-Padding-{i}", "p" * 300) for i in range(110)]  # ~34 KB of headers


def page(slug: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the {slug} story: regulators met chip makers to discuss export "
        "rules for AI accelerators, and both sides said talks would continue next week.</p>"
        for i in range(5)
    )
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{slug} | Wire</title></head>"
        f"<body><article><h1>The {slug} story</h1>{paragraphs}</article></body></html>"
    ).encode()


def crawl(data: Path, run: int, slugs: list[str], headers=()) -> tuple[Path, dict[str, tuple]]:
    """One crawl run's WARC file, and where each story's response landed (offset, length)."""
    fields = {**FIELDS, "newsarc-run-id": f"run-{run}"}
    writer = WarcWriter(data / "warcs", f"wire-{run}", warcinfo_fields=fields)
    landed = {}
    for i, slug in enumerate(slugs):
        response, _ = writer.write_exchange(
            HttpExchange(
                url=f"{SITE}/story/{slug}", method="GET", request_headers=[("Host", "x")],
                status=200, body=page(slug), captured_at=T0 + timedelta(hours=run, seconds=i),
                response_headers=[("Content-Type", "text/html; charset=utf-8"), *headers],
            )
        )  # fmt: skip
        landed[slug] = (response.offset, response.length)
    writer.close()
    [path] = writer.closed_files
    return path, landed


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def stories(data: Path) -> list[str]:
    rows = query(data, "SELECT canonical_url FROM articles ORDER BY 1")
    return [url.rsplit("/", 1)[1] for (url,) in rows]


def quarantine(data: Path) -> list[tuple]:
    return query(
        data, "SELECT warc_file, damage_offset, reason FROM quarantined_warcs ORDER BY 1, 2"
    )


@pytest.fixture
def three_runs(tmp_path: Path):
    """Three crawl runs' files; the middle one is the one the tests damage."""
    data = tmp_path / "data"
    first, _ = crawl(data, 0, ["alpha", "beta"])
    middle, landed = crawl(data, 1, ["gamma", "delta", "epsilon"])
    last, _ = crawl(data, 2, ["zeta"])
    return data, first, middle, landed, last


def test_a_response_with_32kb_of_headers_is_catalogued_and_its_story_extracted(tmp_path: Path):
    data = tmp_path / "data"
    path, _ = crawl(data, 0, ["huge-headers"], headers=BIG_HEADERS)
    with path.open("rb") as fh:  # a valid WARC: warcio reads it
        assert [r.rec_type for r in ArchiveIterator(fh)] == ["warcinfo", "response", "request"]
    with pytest.raises(BadWarc, match="header"):  # the fast reader refuses it...
        list_verified_entries(path)
    report = ingest_data_dir(data)  # ...so the careful one reads it
    assert (report.files, report.records_added, report.quarantined) == (1, 3, ())
    assert stories(data) == ["huge-headers"]
    assert (data / "warcs" / (path.name + ".cdxj")).read_text().count("\n") == 1
    assert catalog_problems(data / "archive.duckdb", data / "warcs", [check_warc(path)]) == []


def test_flipped_bytes_quarantine_one_file_and_every_other_story_is_derived(three_runs):
    data, first, middle, landed, last = three_runs
    offset, length = landed["delta"]
    flip_byte(middle, offset + length // 2)
    damaged_bytes = middle.read_bytes()

    report = ingest_data_dir(data)

    [spot] = report.quarantined
    assert (spot.warc_file, spot.offset) == (middle.name, offset)
    assert "corrupt gzip data" in spot.reason
    assert stories(data) == ["alpha", "beta", "epsilon", "gamma", "zeta"]  # not delta
    assert quarantine(data) == [(middle.name, offset, spot.reason)]
    assert middle.read_bytes() == damaged_bytes, "the archive itself is never touched"


def test_a_truncated_file_keeps_the_records_before_the_cut(three_runs):
    data, first, middle, landed, last = three_runs
    offset, _ = landed["epsilon"]
    middle.write_bytes(middle.read_bytes()[: offset + 40])

    report = ingest_data_dir(data)

    assert [(q.warc_file, q.offset) for q in report.quarantined] == [(middle.name, offset)]
    assert "truncated" in report.quarantined[0].reason
    assert stories(data) == ["alpha", "beta", "delta", "gamma", "zeta"]


def test_ingest_and_verify_name_the_damaged_file_its_offset_and_the_reason(three_runs):
    data, first, middle, landed, last = three_runs
    offset, length = landed["gamma"]
    flip_byte(middle, offset + length // 2)

    result = CliRunner().invoke(app, ["ingest", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert f"quarantined: {middle.name} at offset {offset}: corrupt gzip data" in result.output

    checks = [check_warc(path) for path in (first, middle, last)]
    assert [c.ok for c in checks] == [True, False, True]
    [problem] = checks[1].problems
    assert problem.startswith("corrupt gzip data") and f"at byte {offset}" in problem
    assert catalog_problems(data / "archive.duckdb", data / "warcs", checks) == [
        f"{middle.name}: quarantined, 6 of its records are catalogued"
    ]

    again = CliRunner().invoke(app, ["ingest", "--data", str(data)])  # still listed, nothing new
    assert "0 records added from 0 files" in again.output
    assert f"quarantined: {middle.name} at offset {offset}" in again.output


def test_reingest_changes_nothing_and_reindex_gives_the_same_tables(three_runs):
    data, first, middle, landed, last = three_runs
    offset, length = landed["delta"]
    flip_byte(middle, offset + length // 2)
    ingest_data_dir(data)
    tables = {
        "captures": "SELECT * FROM captures ORDER BY record_id",
        "warc_files": "SELECT warc_file, size, sha256, record_count FROM warc_files ORDER BY 1",
        "quarantined_warcs": "SELECT * EXCLUDE (found_at) FROM quarantined_warcs ORDER BY ALL",
        "articles": "SELECT * FROM articles ORDER BY article_id",
        "article_versions": "SELECT * FROM article_versions ORDER BY ALL",
    }
    before = {name: query(data, sql) for name, sql in tables.items()}

    again = ingest_data_dir(data)
    assert (again.files, again.records_added) == (0, 0)
    assert {name: query(data, sql) for name, sql in tables.items()} == before

    reindex(data)
    assert {name: query(data, sql) for name, sql in tables.items()} == before


def test_bit_rot_in_an_ingested_file_is_reported_and_never_stops_the_next_ingest(three_runs):
    data, first, middle, landed, last = three_runs
    ingest_data_dir(data)
    catalogued = query(data, "SELECT * FROM captures ORDER BY record_id")
    offset, length = landed["gamma"]
    flip_byte(middle, offset + length // 2)  # one byte of an ingested file rots
    newer, _ = crawl(data, 3, ["eta"])  # and the next crawl writes a new file

    report = ingest_data_dir(data)

    assert report.files == 1 and "eta" in stories(data)
    [spot] = report.quarantined
    assert (spot.warc_file, spot.offset) == (middle.name, offset)
    assert spot.reason.startswith("changed since it was ingested")
    assert "corrupt gzip data" in spot.reason
    newer_rows = query(data, "SELECT * FROM captures WHERE warc_file = ? ORDER BY 1", newer.name)
    assert query(data, "SELECT * FROM captures WHERE warc_file <> ? ORDER BY 1", newer.name) == (
        catalogued
    ), "what was read from the intact file stays catalogued"
    assert len(newer_rows) == 3

    check = check_warc(middle)
    assert f"at byte {offset}" in check.problems[0]
    problems = catalog_problems(data / "archive.duckdb", data / "warcs", [check])
    assert problems == [f"{middle.name}: quarantined, 7 of its records are catalogued"]

    assert ingest_data_dir(data).quarantined == report.quarantined  # reported on every run
    assert ingest_data_dir(data).files == 0


def test_bit_rot_in_an_ingested_warcinfo_never_stops_the_next_files_stories(three_runs):
    data, first, middle, landed, last = three_runs
    ingest_data_dir(data)
    flip_byte(first, 30)  # inside the deflate data of the warcinfo record, at offset 0
    crawl(data, 3, ["eta"])

    report = ingest_data_dir(data)

    assert [(q.warc_file, q.offset) for q in report.quarantined] == [(first.name, 0)]
    assert "eta" in stories(data)


def test_a_crawl_after_bit_rot_archives_and_catalogues_as_usual(archive):
    archive.crawl("aggregator")
    rotten = archive.warcs()[0]
    flip_byte(rotten, rotten.stat().st_size // 2)
    before = len(archive.warcs())

    run = archive.crawl("aggregator")  # asserts the crawl itself did not fail

    assert len(archive.warcs()) > before
    assert [q.warc_file for q in run.ingest.quarantined] == [rotten.name]
    new_files = {p.name for p in archive.warcs()[before:]}
    catalogued = {name for (name,) in archive.rows("SELECT warc_file FROM warc_files")}
    assert new_files <= catalogued
