"""Ingest reads each new WARC once: the shortcuts must give exactly what the slow paths gave.

Three shortcuts are pinned here against the code they replace:
- CDXJ lines built from the catalog's listing (`archive.warc.cdxj.cdxj_lines`) against cdxj-indexer,
  the library pywb's indexes have always come from;
- the verified listing (`list_verified_entries`, one inflate for checks and rows) against
  `verify_warc` followed by `iter_warc_entries`, on intact and damaged files;
- reading one record back through FastWARC against warcio alone.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from cdxj_indexer.main import CDXJIndexer
from warcio.archiveiterator import ArchiveIterator

from archive.errors import BadWarc
from archive.warc.cdxj import INDEX_SUFFIX, MERGED_NAME, cdxj_lines, index_warc
from archive.warc.reader import (
    _read_http_response_with_warcio,
    iter_warc_entries,
    list_verified_entries,
    read_http_response,
    read_resource_block,
)
from archive.warc.recovery import verify_warc
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, ingest_data_dir
from tests.test_warc_reading import T0, WarcBuilder, warcio_members, write_sample_warc

EVERY_KIND = {"warcinfo", "request", "response", "revisit", "resource", "metadata"}


def cdxj_indexer_text(*paths: Path) -> str:
    """What cdxj-indexer writes for *paths* (sorted, as `index_warc` always asked it to)."""
    out = paths[0].parent / "reference.cdxj.txt"
    CDXJIndexer(output=str(out), inputs=[str(p) for p in paths], sort=True).process_all()
    text = out.read_text()
    out.unlink()
    return text


def outcome(read, *args):
    """A reader's result, or its failure as (type, message), so failures compare too."""
    try:
        return read(*args)
    except Exception as exc:  # noqa: BLE001 - comparing whatever each path raises
        return (type(exc).__name__, str(exc))


def warcio_resource_block(path: Path, offset: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(offset)
        return next(iter(ArchiveIterator(fh))).content_stream().read()


def checked_then_listed(path: Path):
    """What the catalog did before: `verify_warc`, then `iter_warc_entries`."""
    report = verify_warc(path)
    if not report.ok:
        raise BadWarc(path, report.problem_offset, report.problem or "damaged")
    return list(iter_warc_entries(path))


def assert_read_back_matches_warcio(path: Path) -> int:
    """Every record read back at its offset both ways; returns how many were HTTP responses."""
    responses = 0
    for entry in iter_warc_entries(path):
        offset = entry.row.warc_offset
        fast = outcome(read_http_response, path, offset)
        assert fast == outcome(_read_http_response_with_warcio, path, offset), entry.row
        if entry.row.record_type == "response":
            assert not isinstance(fast, tuple), fast
            responses += 1
        if entry.row.record_type == "resource":
            assert read_resource_block(path, offset) == warcio_resource_block(path, offset)
    return responses


# --- real crawls -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """Both demo sites crawled, then one crawled again (revisits), ingested by the pipeline."""
    data = tmp_path_factory.mktemp("single-read") / "data"
    with DemoSites(slow_seconds=0.5) as sites:
        profiles = sites.write_profiles(data / "profiles")
        for batch in (["aggregator", "translated"], ["translated"]):
            run = archive_profiles([profiles[name] for name in batch], data, timeout=300)
            assert not run.failures, run.failures
    return data / "warcs"


@pytest.mark.slow
@pytest.mark.browser
def test_crawled_indexes_are_byte_identical_to_cdxj_indexer(crawled: Path) -> None:
    warcs = sorted(crawled.glob("*.warc.gz"))
    kinds = {e.row.record_type for w in warcs for e in iter_warc_entries(w)}
    assert kinds == EVERY_KIND
    for warc in warcs:
        # The pipeline's index came from the listing, not from cdxj-indexer falling back.
        assert cdxj_lines(list_verified_entries(warc), warc.name) is not None, warc.name
        written = warc.with_name(warc.name + INDEX_SUFFIX).read_text()
        assert written == cdxj_indexer_text(warc), warc.name
    assert (crawled / MERGED_NAME).read_text() == cdxj_indexer_text(*warcs)


@pytest.mark.slow
@pytest.mark.browser
def test_crawled_records_list_and_read_back_as_before(crawled: Path) -> None:
    responses = 0
    for warc in sorted(crawled.glob("*.warc.gz")):
        assert list_verified_entries(warc) == checked_then_listed(warc)
        responses += assert_read_back_matches_warcio(warc)
    assert responses > 20


# --- the sample file and odd variants of it ----------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path):
    return write_sample_warc(tmp_path / "demo-20240501120000000000-00000.warc.gz")


def members(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[offset : offset + length] for _, offset, length in warcio_members(path)]


def with_member(path: Path, index: int, edit, target: Path) -> Path:
    """A copy of *path* whose *index*-th record is edited as plain bytes (Content-Length fixed)."""
    parts = members(path)
    head, _, rest = gzip.decompress(parts[index]).partition(b"\r\n\r\n")
    block = rest[:-4]
    head, block = edit(head, block)
    lines = [
        line if not line.startswith(b"Content-Length:") else b"Content-Length: %d" % len(block)
        for line in head.split(b"\r\n")
    ]
    parts[index] = gzip.compress(b"\r\n".join(lines) + b"\r\n\r\n" + block + b"\r\n\r\n")
    target.write_bytes(b"".join(parts))
    return target


def index_both_ways(path: Path) -> tuple[str, list[str] | None]:
    """The index `index_warc` writes from the verified listing, and the listing's own lines."""
    entries = list_verified_entries(path)
    fast = cdxj_lines(entries, path.name)
    return index_warc(path, entries).read_text(), fast


def test_sample_index_is_cdxj_indexers(sample) -> None:
    written, fast = index_both_ways(sample.path)
    assert fast is not None and written == "".join(fast)
    assert written == cdxj_indexer_text(sample.path)
    assert_read_back_matches_warcio(sample.path)


RESPONSE, METADATA, RESOURCE = 1, 5, 4  # member indexes in the sample file
STORY = b"http://127.0.0.1:8001/story/a"


def drop_header(name: bytes):
    def edit(head: bytes, block: bytes):
        kept = [line for line in head.split(b"\r\n") if not line.startswith(name + b":")]
        return b"\r\n".join(kept), block

    return edit


def replace_in(part: str, old: bytes, new: bytes):
    def edit(head: bytes, block: bytes):
        if part == "head":
            return head.replace(old, new, 1), block
        return head, block.replace(old, new, 1)

    return edit


# case -> (record to edit, the edit, whether the listing can index the file itself)
ODD_RECORDS = {
    "metadata without payload digest": (METADATA, drop_header(b"WARC-Payload-Digest"), True),
    "resource without payload digest": (RESOURCE, drop_header(b"WARC-Payload-Digest"), True),
    "response without payload digest": (RESPONSE, drop_header(b"WARC-Payload-Digest"), False),
    "folded HTTP content type": (
        RESPONSE,
        replace_in("block", b"Content-Type: text/html;", b"Content-Type:\r\n\ttext/html;"),
        False,
    ),
    "tab-folded HTTP header": (
        RESPONSE, replace_in("block", b'ETag: "v1"', b'ETag: "v1"\r\n\tx'), False,
    ),
    "non-ASCII HTTP header": (
        RESPONSE, replace_in("block", b'ETag: "v1"', 'ETag: "v1-é"'.encode()), False,
    ),
    "bare LF in HTTP headers": (RESPONSE, replace_in("block", b'"v1"\r\n', b'"v1"\n'), False),
    "bracketed target URI": (
        RESPONSE, replace_in("head", b"URI: " + STORY, b"URI: <" + STORY + b">"), False,
    ),
    "status without reason": (
        RESPONSE, replace_in("block", b"HTTP/1.1 200 OK", b"HTTP/1.1 200"), True,
    ),
    "odd status line": (
        RESPONSE, replace_in("block", b"HTTP/1.1 200 OK", b"HTTP/1.1  200  OK"), True,
    ),
    "capitalised WARC-Type value": (
        RESPONSE, replace_in("head", b"WARC-Type: response", b"WARC-Type: Response"), True,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(ODD_RECORDS))
def test_odd_records_index_and_read_back_as_before(sample, tmp_path: Path, case: str) -> None:
    index, edit, listing_indexes_it = ODD_RECORDS[case]
    path = with_member(sample.path, index, edit, tmp_path / "odd.warc.gz")
    assert verify_warc(path).ok
    written, fast = index_both_ways(path)
    assert written == cdxj_indexer_text(path)
    assert (fast is not None) == listing_indexes_it
    assert_read_back_matches_warcio(path)


def damaged_variants(sample_path: Path, tmp_path: Path) -> dict[str, Path]:
    data = sample_path.read_bytes()
    parts = members(sample_path)
    ends = [0]
    for part in parts:
        ends.append(ends[-1] + len(part))
    variants: dict[str, bytes] = {"empty": b"", "trailing junk": data + b"junk"}
    for cut in range(1, len(data), 37):
        variants[f"cut at {cut}"] = data[:cut]
    for i, (start, end) in enumerate(zip(ends, ends[1:], strict=False)):
        flipped = bytearray(data)
        flipped[(start + end) // 2] ^= 0xFF
        variants[f"corrupt deflate in record {i}"] = bytes(flipped)
        crc = bytearray(data)
        crc[end - 6] ^= 0x01
        variants[f"bad CRC in record {i}"] = bytes(crc)
    two = gzip.compress(gzip.decompress(parts[1]) + gzip.decompress(parts[2]))
    variants["two records in one member"] = b"".join([parts[0], two, *parts[3:]])
    short = gzip.decompress(parts[5])[:-7] + b"\r\n\r\n"
    variants["block shorter than Content-Length"] = b"".join([*parts[:5], gzip.compress(short)])
    variants["not a WARC record"] = b"".join([*parts[:3], gzip.compress(b"hello"), *parts[3:]])
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    bare = raw.compress(gzip.decompress(parts[2])) + raw.flush()
    variants["raw deflate member"] = b"".join([*parts[:2], bare, *parts[3:]])
    paths = {}
    for name, content in variants.items():
        path = tmp_path / f"{len(paths):03d}.warc.gz"
        path.write_bytes(content)
        paths[name] = path
    return paths


def test_verified_listing_refuses_exactly_what_verify_then_list_refused(sample, tmp_path) -> None:
    refused = 0
    for name, path in damaged_variants(sample.path, tmp_path).items():
        before = outcome(checked_then_listed, path)
        assert outcome(list_verified_entries, path) == before, name
        refused += isinstance(before, tuple)
    assert refused >= 40


def test_a_file_with_a_record_of_every_kind_lists_the_same_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "many-00000.warc.gz"
    with WarcBuilder(path) as w:
        w.warcinfo()
        for i in range(40):  # enough members to cross many 64 KiB read boundaries
            w.response(f"http://127.0.0.1:8001/p/{i}", T0, bytes([65 + i % 26]) * (i * 7919))
    assert list_verified_entries(path) == checked_then_listed(path)
    assert verify_warc(path).ok


def test_pipeline_indexes_every_file_but_a_damaged_one(sample, tmp_path: Path) -> None:
    data = tmp_path / "data"
    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    good = write_sample_warc(warcs / "demo-1-00000.warc.gz").path
    bad = warcs / "demo-2-00001.warc.gz"
    bad.write_bytes(good.read_bytes()[:-3])
    later = write_sample_warc(warcs / "demo-3-00002.warc.gz").path
    report = ingest_data_dir(data)
    assert [q.warc_file for q in report.quarantined] == [bad.name]
    for warc in (good, later):
        assert warc.with_name(warc.name + INDEX_SUFFIX).read_text() == cdxj_indexer_text(warc)
    assert not bad.with_name(bad.name + INDEX_SUFFIX).exists()  # quarantined: never replayed
    assert (warcs / MERGED_NAME).read_text() == cdxj_indexer_text(good, later)


def test_plain_records_are_read_back_without_warcio(sample, monkeypatch) -> None:
    from archive.warc import reader as warc_reader

    rows = {e.row.record_type: e.row for e in iter_warc_entries(sample.path)}
    expected = _read_http_response_with_warcio(sample.path, rows["response"].warc_offset)

    def refuse(*args):
        raise AssertionError("fell back to warcio")

    monkeypatch.setattr(warc_reader, "_read_http_response_with_warcio", refuse)
    assert read_http_response(sample.path, rows["response"].warc_offset) == expected
