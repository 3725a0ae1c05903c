"""Fuzzing the WARC reader and the recovery code with damaged real WARCs.

The seeds are WARCs the project's own `WarcWriter` wrote from real pages (a warcinfo, then per
page a gzip-encoded response, its request and a rendered DOM, then a fetch-error record). Each
example splices their records (gzip members) into a new file, damages one record's plain bytes
(Content-Length lies, 32 KB and 3,000-line HTTP headers, chunked garbage, broken WARC headers, a
mutated page) and then the file's bytes (flips, cuts, inserts, deletions, zeroed runs).

What must hold, whatever the damage:
- reading raises nothing but `BadWarc`, and never lists a record that starts or ends outside
  the file;
- every record that lies wholly before the first damaged byte is still counted by
  `verify_warc`, and mending an ``.open`` file keeps at least those records, gives a file that
  verifies, and loses no byte (what it cuts is saved beside it or was a torn tail);
- the careful listing (for files the fast one refuses) tiles the file with records and named
  damage, and lists every record before the damage where it lies;
- records are read back by offset (also after the file rots) as a response or a `BadWarc`, and
  their pages extract to a record or a `DecodeError`;
- the whole ingest of a data directory holding a damaged file finishes, twice, with every
  intact record catalogued.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.errors import BadWarc
from archive.stories.extract import extract
from archive.warc.cdxj import cdxj_lines
from archive.warc.content_coding import DecodeError
from archive.warc.reader import (
    iter_warc_entries,
    list_entries_carefully,
    list_verified_entries,
    read_http_response,
    read_resource_block,
)
from archive.warc.records import OPEN_SUFFIX
from archive.warc.recovery import mend_open_file, verify_warc
from flows.pipeline import ingest_data_dir
from tests.catalog_queries import query
from tests.fuzz_inputs import (
    CAPTURED_AT,
    FILE_MUTATIONS,
    RECORD_MUTATIONS,
    fuzz_settings,
    members,
    mutate_file,
    mutate_record,
    plain,
    small_seed_pages,
    write_seed_warc,
)

NAME = "fuzz-20240501120000000000-00001.warc.gz"


@cache
def seed_warcs() -> tuple[tuple[bytes, ...], ...]:
    """The gzip members of two real WARCs, each from two different seed pages."""
    pages = small_seed_pages()
    halves = (pages[0:2], pages[-2:])
    with tempfile.TemporaryDirectory() as tmp:
        return tuple(
            tuple(members(write_seed_warc(Path(tmp) / str(n), half).read_bytes()))
            for n, half in enumerate(halves)
        )


class DamagedWarc:
    """A damaged file and the records lying wholly before its first damaged byte. Not a
    dataclass, so that a failing example prints a summary rather than the whole file."""

    def __init__(self, data: bytes, intact_members: list[bytes]) -> None:
        self.data, self.intact_members = data, intact_members

    def __repr__(self) -> str:
        return f"DamagedWarc({len(self.data)} bytes, {len(self.intact_members)} intact records)"


# Which records, in which order: (seed WARC, member index) pairs; None keeps seed WARC 0 whole.
SPLICES = st.one_of(
    st.none(),
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 20)), min_size=1, max_size=8),
)


def spliced(splice: list[tuple[int, int]] | None) -> list[bytes]:
    seeds = seed_warcs()
    if splice is None:
        return list(seeds[0])
    return [seeds[w][i % len(seeds[w])] for w, i in splice]


@st.composite
def damaged_warcs(draw, file_damage: bool = True) -> DamagedWarc:
    records = spliced(draw(SPLICES))
    damage_at = sum(len(m) for m in records)
    if draw(st.booleans()):
        k = draw(st.integers(0, len(records) - 1))
        mutation = draw(RECORD_MUTATIONS)
        damage_at = sum(len(m) for m in records[:k])
        records[k] = gzip.compress(mutate_record(plain(records[k]), mutation), mtime=0)
    data = b"".join(records)
    if file_damage:
        for mutation in draw(st.lists(FILE_MUTATIONS, max_size=3)):
            data, at = mutate_file(data, mutation)
            damage_at = min(damage_at, at)
    intact, end = [], 0
    for member in records:
        end += len(member)
        if end > damage_at:
            break
        intact.append(member)
    return DamagedWarc(data, intact)


def written(directory: str | Path, data: bytes, name: str = NAME) -> Path:
    path = Path(directory) / name
    path.write_bytes(data)
    return path


def assert_within_file(entries, size: int) -> None:
    previous_end = 0
    for entry in entries:
        row = entry.row
        assert row.warc_offset >= previous_end, "records overlap or go backwards"
        assert row.warc_length > 0
        assert row.warc_offset + row.warc_length <= size, "a record ends past the end of file"
        previous_end = row.warc_offset + row.warc_length


def listed_or_bad_warc(read, path: Path):
    try:
        return read(path)
    except BadWarc as exc:
        assert exc.path == path
        return None


@given(warc=damaged_warcs())
@fuzz_settings(80)
def test_damaged_warcs_are_read_or_refused_with_bad_warc(warc: DamagedWarc) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, warc.data)
        size = len(warc.data)
        fast = listed_or_bad_warc(lambda p: list(iter_warc_entries(p)), path)
        if fast is not None:
            assert_within_file(fast, size)
        report = verify_warc(path)
        assert report.records >= len(warc.intact_members)
        if not report.ok:
            assert report.problem_offset >= sum(len(m) for m in warc.intact_members)
            assert report.problem_offset <= size
        verified = listed_or_bad_warc(list_verified_entries, path)
        if verified is not None:
            assert report.ok, "a file that does not verify was listed as verified"
            assert_within_file(verified, size)
            assert len(verified) == report.records
            read_back(path, verified)


@given(warc=damaged_warcs())
@fuzz_settings(60)
def test_careful_listing_keeps_every_intact_record_and_names_the_damage(warc) -> None:
    """The careful reader (for files the fast one refuses): records and damaged spans tile the
    file, and every record before the first damaged byte is listed where it lies."""
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, warc.data)
        listing = list_entries_carefully(path)
        assert_within_file(listing.entries, len(warc.data))
        spans = [(e.row.warc_offset, e.row.warc_length) for e in listing.entries]
        spans += [(d.offset, d.length) for d in listing.damage if d.offset is not None]
        covered = 0
        for offset, length in sorted(spans):
            assert offset == covered and length > 0, "records and damage must tile the file"
            covered += length
        assert covered == len(warc.data)
        intact = [len(m) for m in warc.intact_members]
        listed = [(e.row.warc_offset, e.row.warc_length) for e in listing.entries[: len(intact)]]
        assert listed == [(sum(intact[:i]), n) for i, n in enumerate(intact)]
        read_back(path, listing.entries)


@given(warc=damaged_warcs())
@fuzz_settings(60)
def test_mending_keeps_every_record_before_the_damage_and_loses_no_byte(warc) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, warc.data, NAME + OPEN_SUFFIX)
        report = mend_open_file(path)
        assert report.records_kept >= len(warc.intact_members)
        cut = Path(tmp) / (NAME + ".cut")
        if report.action == "renamed":
            mended = report.result.read_bytes()
            assert warc.data.startswith(mended)
            assert verify_warc(report.result).ok
            assert verify_warc(report.result).records == report.records_kept
        else:
            assert report.action == "deleted" and report.records_kept == 0
            mended = b""
        if cut.exists():
            assert mended + cut.read_bytes() == warc.data
        else:  # only a torn last record may be dropped without a copy
            assert report.records_cut <= 1
            assert len(mended) + report.bytes_cut == len(warc.data)


@given(splice=SPLICES)
@fuzz_settings(25)
def test_spliced_intact_records_are_all_listed_at_their_offsets(splice) -> None:
    records = spliced(splice)
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, b"".join(records))
        entries = list_verified_entries(path)
        offsets = [sum(len(m) for m in records[:k]) for k in range(len(records))]
        assert [e.row.warc_offset for e in entries] == offsets
        assert [e.row.warc_length for e in entries] == [len(m) for m in records]
        cdxj_lines(entries, path.name)
        read_back(path, entries)
        careful = list_entries_carefully(path)
        assert careful.damage == []
        assert [e.row for e in careful.entries] == [e.row for e in entries]


@given(warc=damaged_warcs(file_damage=False))
@fuzz_settings(40)
def test_records_damaged_inside_intact_gzip_are_read_back_or_refused(warc) -> None:
    """The ingest reads each listed response by offset and extracts it: a record with lying
    headers or a mutated page must give a response and a story, or `BadWarc`/`DecodeError`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, warc.data)
        entries = listed_or_bad_warc(lambda p: list(iter_warc_entries(p)), path) or []
        read_back(path, entries)


@given(splice=SPLICES, damage=st.lists(FILE_MUTATIONS, min_size=1, max_size=3))
@fuzz_settings(40)
def test_records_read_by_offset_after_bit_rot_are_read_or_refused(splice, damage) -> None:
    """The catalog keeps each record's offset; if the file rots afterwards, reading a page back
    by that offset gives the record or a `BadWarc`, never another error."""
    records = spliced(splice)
    with tempfile.TemporaryDirectory() as tmp:
        path = written(tmp, b"".join(records))
        entries = list_verified_entries(path)
        data = path.read_bytes()
        for mutation in damage:
            data, _ = mutate_file(data, mutation)
        path.write_bytes(data)
        read_back(path, entries)


@given(warc=damaged_warcs())
@fuzz_settings(8, deadline_ms=20_000)
def test_ingest_catalogues_every_intact_record_beside_a_damaged_file(warc) -> None:
    """The whole ingest (catalog, extraction, story tables) on a data directory holding one
    damaged file and one intact file: it finishes, twice, and the intact file's records and the
    records before the damage are all catalogued."""
    intact_file = b"".join(seed_warcs()[1])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        warcs = data / "warcs"
        warcs.mkdir()
        written(str(warcs), warc.data)
        written(str(warcs), intact_file, NAME.replace("00001", "00002"))
        ingest_data_dir(data)
        ingest_data_dir(data)
        expected = record_ids([*warc.intact_members, *seed_warcs()[1]])
        catalogued = {row[0] for row in query(data, "SELECT record_id FROM captures")}
        assert expected <= catalogued


def record_ids(records: list[bytes]) -> set[str]:
    return {_RECORD_ID.search(plain(m)).group(1).decode() for m in records}


_RECORD_ID = re.compile(rb"WARC-Record-ID: (<[^>]+>)")


def read_back(path: Path, entries) -> None:
    """Read every response and rendered DOM listed, as ingest does, and extract the pages: a
    record that cannot be read is a `BadWarc` naming the file, a page that cannot be decoded
    a `DecodeError`; nothing else may escape."""
    for entry in entries:
        row = entry.row
        try:
            if row.record_type == "response":
                response = read_http_response(path, row.warc_offset)
                assert response.url == row.url
                body, headers = response.body, dict(response.headers)
            elif row.record_type == "resource":
                body, headers = read_resource_block(path, row.warc_offset), {}
            else:
                continue
        except BadWarc as exc:
            assert exc.path == path
            continue
        try:
            extract(row.url or "", body, row.captured_at or CAPTURED_AT, headers)
        except DecodeError:
            pass


# -- crashes fuzzing found, kept with the bytes that broke -----------------------------------


def test_a_rendered_dom_read_from_a_rotten_or_emptied_file_is_bad_warc(tmp_path: Path) -> None:
    """Found: warcio's fallback let ArchiveLoadFailed (a flipped byte) and StopIteration (the
    file emptied) escape `read_resource_block`; and when the damaged bytes' first line had five
    fields, warcio read them as an ARC record and an empty DOM came back without a word."""
    intact = b"".join(spliced(None))
    path = written(tmp_path, intact)
    dom = next(e for e in list_verified_entries(path) if e.row.record_type == "resource")
    offset = dom.row.warc_offset
    flipped = intact[:offset] + bytes([intact[offset] ^ 1]) + intact[offset + 1 :]
    arc_like = intact[:offset] + b"http://a.example/ 127.0.0.1 20240501120000 text/html 0\n"
    for rotten in (flipped, b"", arc_like):
        path.write_bytes(rotten)
        with pytest.raises(BadWarc) as refused:
            read_resource_block(path, offset)
        assert refused.value.offset == offset


def test_a_response_without_target_uri_is_damage_not_a_crash(tmp_path: Path) -> None:
    """Found: warcio raises AttributeError on an HTTP record with no WARC-Target-URI, which
    stopped the careful listing (and with it ingest) of any file holding one."""
    records = spliced(None)
    k = next(i for i, m in enumerate(records) if b"WARC-Type: response" in plain(m))
    records[k] = gzip.compress(
        mutate_record(plain(records[k]), ("drop-warc-header", "WARC-Target-URI")), mtime=0
    )
    path = written(tmp_path, b"".join(records))
    offset = sum(len(m) for m in records[:k])
    listing = list_entries_carefully(path)
    assert [(d.offset, d.length) for d in listing.damage] == [(offset, len(records[k]))]
    assert len(listing.entries) == len(records) - 1
    with pytest.raises(BadWarc):
        read_http_response(path, offset)


@pytest.mark.parametrize(
    "patterns", ["{", '["/"]', '{"stories": ["["]}', '{"stories": [5]}', '{"stories": null}']
)
def test_unreadable_story_patterns_in_a_warcinfo_do_not_stop_extraction(patterns, tmp_path):
    """Found: a warcinfo whose newsarc-page-patterns was not {"stories": [regex]} (a hand edit,
    another tool) stopped extraction and derivation for the whole data directory, every run.
    Such a file is now read as one without patterns: every HTML page is a candidate."""
    records = list(seed_warcs()[0])
    records[0] = gzip.compress(mutate_record(plain(records[0]), ("story-patterns", patterns)))
    (tmp_path / "warcs").mkdir()
    written(str(tmp_path / "warcs"), b"".join(records))
    ingest_data_dir(tmp_path)
    [(extracted,)] = query(tmp_path, "SELECT count(*) FROM extractions WHERE record IS NOT NULL")
    assert extracted == 2  # the rendered DOMs of both pages


@pytest.mark.parametrize("date", [b"not a date", b""])
def test_a_record_cdxj_indexer_cannot_read_does_not_stop_ingest(date: bytes, tmp_path) -> None:
    """Found: a verified file with a response whose WARC-Date is no date made cdxj-indexer raise
    TypeError, which stopped ingest; now the file is catalogued and only left unindexed."""
    records = list(seed_warcs()[0])
    k = next(i for i, m in enumerate(records) if b"WARC-Type: response" in plain(m))
    records[k] = gzip.compress(mutate_record(plain(records[k]), ("warc-header", "WARC-Date", date)))
    (tmp_path / "warcs").mkdir()
    written(tmp_path / "warcs", b"".join(records))
    ingest_data_dir(tmp_path)
    catalogued = {row[0] for row in query(tmp_path, "SELECT record_id FROM captures")}
    assert record_ids(records) <= catalogued
