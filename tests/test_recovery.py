"""Mending WARCs left open by a killed writer, and member-by-member verification.

The expected result of every cut is computed independently of archive/warc/recovery.py: warcio gives
the record boundaries of the intact file, and a cut at byte N must leave exactly the records that
end at or before N, byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from archive.warc.records import OPEN_SUFFIX
from archive.warc.recovery import mend_open_files, verify_warc
from tests.test_warc_reading import warcio_members, write_sample_warc
from tests.warc_validation import assert_valid_warc

NAME = "demo-20240501120000000000-00000.warc.gz"


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[int]]:
    """The sample WARC's bytes and its record end offsets (0 first)."""
    path = tmp_path_factory.mktemp("intact") / NAME
    write_sample_warc(path)
    ends = [0] + [offset + length for _, offset, length in warcio_members(path)]
    data = path.read_bytes()
    assert ends[-1] == len(data)
    return data, ends


def interesting_cuts(ends: list[int]) -> dict[str, int]:
    """Named cut points: boundaries, inside gzip headers, mid-member, inside trailers."""
    cuts = {"empty": 0, "one byte before end": ends[-1] - 1}
    for i, (start, end) in enumerate(zip(ends, ends[1:], strict=False)):
        cuts[f"boundary after record {i}"] = end
        cuts[f"record {i}: inside gzip header"] = start + 5
        cuts[f"record {i}: inside WARC header deflate"] = start + 20
        cuts[f"record {i}: mid-member"] = (start + end) // 2
        cuts[f"record {i}: inside gzip trailer"] = end - 4
    return cuts


def mend_cut(directory: Path, data: bytes, cut: int):
    for leftover in directory.iterdir():
        leftover.unlink()
    (directory / (NAME + OPEN_SUFFIX)).write_bytes(data[:cut])
    [report] = mend_open_files(directory)
    return report


def test_mend_at_interesting_offsets(intact, tmp_path: Path) -> None:
    data, ends = intact
    validated: set[str] = set()
    for label, cut in interesting_cuts(ends).items():
        keep = max(e for e in ends if e <= cut)
        records = ends.index(keep)
        report = mend_cut(tmp_path, data, cut)
        assert report.bytes_cut == cut - keep, label
        assert report.records_cut == (1 if cut > keep else 0), label
        assert not (tmp_path / (NAME + OPEN_SUFFIX)).exists(), label
        if records == 0:
            assert report.action == "deleted", label
            assert list(tmp_path.iterdir()) == [], label
            continue
        assert report.action == "renamed", label
        assert report.result == tmp_path / NAME
        assert (report.records_kept, report.bytes_kept) == (records, keep), label
        mended = report.result.read_bytes()
        assert mended == data[:keep], label  # every surviving record intact, nothing valid lost
        digest = hashlib.sha256(mended).hexdigest()
        if digest not in validated:  # identical results need validating once
            assert_valid_warc(report.result)
            validated.add(digest)
    assert len(validated) == len(ends) - 1  # every non-empty prefix was produced and validated


def test_mend_at_every_offset(intact, tmp_path: Path) -> None:
    """Kill at any byte: the result is always the longest intact prefix (stride keeps it fast)."""
    data, ends = intact
    cuts = set(range(0, len(data) + 1, 3)) | {e + d for e in ends for d in (-1, 0, 1)}
    for cut in sorted(c for c in cuts if 0 <= c <= len(data)):
        keep = max(e for e in ends if e <= cut)
        report = mend_cut(tmp_path, data, cut)
        if keep == 0:
            assert report.action == "deleted" and not list(tmp_path.iterdir()), cut
        else:
            assert report.result.read_bytes() == data[:keep], cut
            assert verify_warc(report.result).ok, cut


def test_warcinfo_only_is_kept(intact, tmp_path: Path) -> None:
    data, ends = intact
    report = mend_cut(tmp_path, data, ends[1] + 3)
    assert report.action == "renamed" and report.records_kept == 1
    assert_valid_warc(report.result)


def test_intact_open_file_is_just_closed(intact, tmp_path: Path) -> None:
    data, ends = intact
    report = mend_cut(tmp_path, data, len(data))
    assert (report.action, report.bytes_cut, report.records_cut, report.problem) == (
        "renamed",
        0,
        0,
        None,
    )
    assert report.result.read_bytes() == data


def test_mid_file_damage_keeps_the_tail_aside(intact, tmp_path: Path) -> None:
    data, ends = intact
    damaged = bytearray(data)
    damaged[(ends[2] + ends[3]) // 2] ^= 0xFF  # corrupt the third record's deflate stream
    report = mend_cut(tmp_path, bytes(damaged), len(damaged))
    assert report.records_kept == 2 and report.bytes_kept == ends[2]
    cut_file = tmp_path / (NAME + ".cut")
    assert cut_file.read_bytes() == bytes(damaged[ends[2] :])
    assert report.result.read_bytes() == data[: ends[2]]


def test_only_open_files_are_touched(intact, tmp_path: Path) -> None:
    data, _ = intact
    closed = tmp_path / "other.warc.gz"
    closed.write_bytes(data[:-1])
    assert mend_open_files(tmp_path) == []
    assert closed.read_bytes() == data[:-1]


def test_verify_warc(intact, tmp_path: Path) -> None:
    data, ends = intact
    path = tmp_path / NAME
    path.write_bytes(data)
    report = verify_warc(path)
    assert report.ok and report.records == len(ends) - 1 and report.bytes_checked == len(data)
    assert report.record_types == {
        "warcinfo": 1,
        "response": 1,
        "request": 1,
        "revisit": 1,
        "resource": 1,
        "metadata": 1,
    }

    path.write_bytes(data + b"trailing junk")
    report = verify_warc(path)
    assert not report.ok and report.problem_offset == len(data)

    path.write_bytes(b"")
    assert not verify_warc(path).ok


def test_verify_warc_checks_content_length(intact, tmp_path: Path) -> None:
    data, ends = intact
    member = gzip.decompress(data[ends[1] : ends[2]])
    head, sep, rest = member.partition(b"\r\n\r\n")
    assert b"Content-Length: " in head
    shorter = gzip.compress(head + sep + rest[:-10] + b"\r\n\r\n")  # block shorter than declared
    path = tmp_path / NAME
    path.write_bytes(data[: ends[1]] + shorter + data[ends[2] :])
    report = verify_warc(path)
    assert not report.ok and report.problem_offset == ends[1]
    assert "Content-Length" in report.problem

    path.write_bytes(data[: ends[1]] + gzip.compress(b"not a warc record") + data[ends[2] :])
    assert "WARC" in verify_warc(path).problem
