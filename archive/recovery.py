"""Check and mend gzip-per-record WARC files, byte-exactly, with zlib alone.

A killed writer leaves ``<name>.warc.gz.open`` ending anywhere: inside a gzip header, inside
deflate data, inside the 8-byte CRC/size trailer. warcio and FastWARC both read such a tail without
complaint (``warcio check`` passes a file cut one byte before its end), so integrity is judged here,
member by member: a member counts only if zlib reaches its end (CRC32 and ISIZE verified) and its
content is exactly one WARC record whose Content-Length matches the bytes present.

Everything is streamed in 64 KiB pieces with bounded decompression output, so multi-megabyte
records cost no more memory than small ones.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
_CHUNK = 1 << 16
_MAX_HEADER_BYTES = 1 << 20
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_HEADER_END = b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class Member:
    """One gzip member of a WARC file and what it holds.

    ``problem`` is None for an intact record; otherwise it says why the member is not one
    (truncated, corrupt deflate data, not a WARC record, length mismatch). ``truncated`` marks
    the one problem a kill produces: the file simply ends inside the member.
    """

    offset: int
    length: int
    record_type: str | None
    problem: str | None = None
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class MendReport:
    """What `mend_open_files` did to one ``.open`` file."""

    source: Path
    result: Path | None  # the renamed .warc.gz, or None if the file was deleted or skipped
    action: str  # "renamed", "deleted" or "skipped"
    records_kept: int
    bytes_kept: int
    records_cut: int  # members (complete or partial) dropped from the tail
    bytes_cut: int
    problem: str | None  # why the tail was cut, None if the file was intact


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Result of `verify_warc`: ``ok`` only if every byte belongs to an intact record."""

    path: Path
    ok: bool
    records: int
    bytes_checked: int
    record_types: dict[str, int]
    problem: str | None = None
    problem_offset: int | None = None


class _RecordCheck:
    """Incrementally checks that decompressed member content is exactly one WARC record."""

    def __init__(self) -> None:
        self.head = bytearray()
        self.header_len: int | None = None
        self.content_length: int | None = None
        self.record_type: str | None = None
        self.total = 0
        self.tail = b""
        self.problem: str | None = None

    def feed(self, data: bytes) -> None:
        if not data or self.problem:
            return
        self.total += len(data)
        self.tail = (self.tail + data)[-len(_HEADER_END) :]
        if self.header_len is None:
            self.head += data
            end = self.head.find(_HEADER_END)
            if end >= 0:
                self._parse_header(bytes(self.head[:end]))
                self.header_len = end + len(_HEADER_END)
                self.head = bytearray()
            elif len(self.head) > _MAX_HEADER_BYTES:
                self.problem = "no end of WARC header within 1 MiB"

    def _parse_header(self, raw: bytes) -> None:
        lines = raw.split(b"\r\n")
        if not lines[0].startswith(b"WARC/"):
            self.problem = "member does not start with a WARC version line"
            return
        fields: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if sep:
                fields.setdefault(name.strip().lower(), value.strip())
        try:
            self.content_length = int(fields[b"content-length"])
        except (KeyError, ValueError):
            self.problem = "WARC header without a valid Content-Length"
            return
        if b"warc-record-id" not in fields or b"warc-type" not in fields:
            self.problem = "WARC header without WARC-Type or WARC-Record-ID"
            return
        self.record_type = fields[b"warc-type"].decode("ascii", "replace")

    def finish(self) -> str | None:
        """Return None if the content was one whole record, else what is wrong."""
        if self.problem:
            return self.problem
        if self.header_len is None or self.content_length is None:
            return "member ends inside the WARC header"
        expected = self.header_len + self.content_length + len(_HEADER_END)
        if self.total != expected:
            return f"WARC Content-Length says {expected} bytes, member holds {self.total}"
        if self.tail != _HEADER_END:
            return "record does not end with CRLF CRLF"
        return None


def iter_members(fh: BinaryIO, size: int) -> Iterator[Member]:
    """Yield each gzip member from the current position of *fh* to *size*, checked.

    A complete gzip member that is not a valid record is yielded with its problem and scanning
    goes on (its end is known). A gzip-level failure (truncation, corrupt deflate data) ends the
    scan: past it there is no reliable member boundary, so the rest of the file is reported as one
    bad member.
    """
    offset = fh.tell()
    pending = b""
    while offset < size:
        inflater = zlib.decompressobj(_GZIP_WBITS)
        check = _RecordCheck()
        fed = 0  # compressed bytes handed to this member's inflater
        data = pending or fh.read(_CHUNK)
        pending = b""
        problem: str | None = None
        truncated = False
        while True:
            if not data:
                problem = "truncated gzip member (file ends before the gzip trailer)"
                truncated = True
                break
            fed += len(data)
            try:
                check.feed(inflater.decompress(data, _CHUNK))
                while inflater.unconsumed_tail and not inflater.eof:
                    check.feed(inflater.decompress(inflater.unconsumed_tail, _CHUNK))
            except zlib.error as exc:
                problem = f"corrupt gzip data: {exc}"
                break
            if inflater.eof:
                break
            data = fh.read(_CHUNK)
        if problem is not None:
            yield Member(offset, size - offset, check.record_type, problem, truncated)
            return
        pending = inflater.unused_data
        length = fed - len(pending)
        problem = check.finish()
        yield Member(offset, length, check.record_type, problem)
        offset += length


def verify_warc(path: Path) -> VerifyReport:
    """Stream *path* and check every gzip member is complete and holds exactly one WARC record."""
    path = Path(path)
    records = 0
    types: dict[str, int] = {}
    checked = 0
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            return VerifyReport(path, False, 0, 0, types, "empty file", 0)
        for member in iter_members(fh, size):
            if member.problem is not None:
                return VerifyReport(
                    path, False, records, checked, types, member.problem, member.offset
                )
            records += 1
            checked += member.length
            types[member.record_type or ""] = types.get(member.record_type or "", 0) + 1
    return VerifyReport(path, True, records, checked, types)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _save_tail(path: Path, start: int, members: int, problem: str | None) -> Path:
    keep = path.with_name(path.name[: -len(OPEN_SUFFIX)] + ".cut")
    with path.open("rb") as src, keep.open("wb") as dst:
        src.seek(start)
        while piece := src.read(_CHUNK):
            dst.write(piece)
        dst.flush()
        os.fsync(dst.fileno())
    log.error(
        "%s: %d members after offset %d are not intact (%s); saved them to %s",
        path,
        members,
        start,
        problem,
        keep.name,
    )
    return keep


def mend_open_file(path: Path) -> MendReport:
    """Cut *path* (a ``.warc.gz.open``) back to its intact records and close it.

    The kept prefix is fsynced before the rename so a crash during mending cannot leave a
    ``.warc.gz`` that is shorter on disk than what the report claims.
    """
    path = Path(path)
    target = path.with_name(path.name[: -len(OPEN_SUFFIX)])
    kept_records = 0
    kept_bytes = 0
    first_type: str | None = None
    bad: Member | None = None
    records_cut = 0
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        for member in iter_members(fh, size):
            if bad is None and member.problem is not None:
                bad = member
            if bad is not None:
                records_cut += 1
                continue
            if kept_records == 0:
                first_type = member.record_type
            kept_records += 1
            kept_bytes += member.length
    bytes_cut = size - kept_bytes
    problem = bad.problem if bad is not None else None
    if bad is not None and (records_cut > 1 or not bad.truncated):
        # Not just a torn last record: the file is damaged, not merely cut short by a kill.
        # Keep the dropped bytes for a human instead of destroying possibly valid records.
        _save_tail(path, kept_bytes, records_cut, problem)
    if kept_records == 0:
        log.warning("%s: no intact record (%s); deleting %d bytes", path, problem, size)
        path.unlink()
        _fsync_dir(path.parent)
        return MendReport(path, None, "deleted", 0, 0, records_cut, bytes_cut, problem)
    if target.exists():
        log.error("%s: cannot close, %s already exists; left untouched", path, target.name)
        return MendReport(path, None, "skipped", kept_records, kept_bytes, 0, 0, problem)
    if first_type != "warcinfo":
        log.warning("%s: first record is %s, not warcinfo; keeping it anyway", path, first_type)
    with path.open("r+b") as fh:
        if bytes_cut:
            log.warning(
                "%s: cutting %d bytes after %d intact records at offset %d (%s)",
                path,
                bytes_cut,
                kept_records,
                kept_bytes,
                problem,
            )
            fh.truncate(kept_bytes)
        fh.flush()
        os.fsync(fh.fileno())
    os.rename(path, target)
    _fsync_dir(path.parent)
    log.info("%s: closed as %s with %d records", path, target.name, kept_records)
    return MendReport(
        path, target, "renamed", kept_records, kept_bytes, records_cut, bytes_cut, problem
    )


def mend_open_files(directory: Path) -> list[MendReport]:
    """Mend every ``*.warc.gz.open`` in *directory* left behind by a killed writer.

    Only call this when no writer is running on the directory: an ``.open`` file being written
    right now would be cut and closed under its writer's feet.
    """
    return [mend_open_file(p) for p in sorted(Path(directory).glob("*.warc.gz" + OPEN_SUFFIX))]
