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
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from archive.warc.durable import fsync_path
from archive.warc.records import OPEN_SUFFIX

log = logging.getLogger(__name__)

_CHUNK = 1 << 16
_MAX_HEADER_BYTES = 1 << 20
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_HEADER_END = b"\r\n\r\n"
_GZIP_MAGIC = b"\x1f\x8b\x08"  # ID1 ID2 CM=deflate: how every gzip member starts


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

    @property
    def end(self) -> int:
        return self.offset + self.length


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
        self.tail = (self.tail + data[-len(_HEADER_END) :])[-len(_HEADER_END) :]
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


def _inflate_members(fh: BinaryIO, size: int) -> Iterator[bytes | Member]:
    """Each gzip member's decompressed content, piece by piece, then the checked `Member`.

    Pieces of a member are yielded before its verdict is known: whoever uses them must wait for
    the `Member` that follows before trusting them.
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
                piece = inflater.decompress(data, _CHUNK)
                check.feed(piece)
                if piece:
                    yield piece
                while inflater.unconsumed_tail and not inflater.eof:
                    piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                    check.feed(piece)
                    if piece:
                        yield piece
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


def iter_members(fh: BinaryIO, size: int) -> Iterator[Member]:
    """Yield each gzip member from the current position of *fh* to *size*, checked.

    A complete gzip member that is not a valid record is yielded with its problem and scanning
    goes on (its end is known). A gzip-level failure (truncation, corrupt deflate data) ends the
    scan: past it there is no reliable member boundary, so the rest of the file is reported as one
    bad member.
    """
    for item in _inflate_members(fh, size):
        if isinstance(item, Member):
            yield item


def _next_member_start(fh: BinaryIO, start: int, size: int) -> int:
    """Offset of the first gzip member header at or after *start*, or *size* if there is none."""
    fh.seek(start)
    carry = b""
    position = start  # file offset of carry's first byte
    while piece := fh.read(_CHUNK):
        window = carry + piece
        found = window.find(_GZIP_MAGIC)
        if found >= 0:
            return position + found
        keep = min(len(window), len(_GZIP_MAGIC) - 1)
        position += len(window) - keep
        carry = window[len(window) - keep :]
    return size


def iter_members_resyncing(fh: BinaryIO, size: int) -> Iterator[Member]:
    """Like `iter_members`, but past gzip-level damage the scan goes on at the next gzip header.

    For reading what survives in a damaged file, never for mending one. A member after the damage
    counts only on the same terms as any other (zlib reaches its end with CRC32 and ISIZE right,
    and it holds exactly one WARC record), so a false gzip header inside damaged bytes cannot
    pass for a record: it is reported as more damage. Each problem member's length reaches to
    where the scan resumed, so members always tile the file.
    """
    offset = fh.tell()
    while offset < size:
        fh.seek(offset)
        bad: Member | None = None
        for member in iter_members(fh, size):
            if member.problem is not None:
                bad = member
                break
            yield member
        if bad is None:
            return
        # A gzip-level failure claims the rest of the file; a complete member holding no valid
        # record ends where its gzip trailer does, and the next member starts there.
        gzip_failed = bad.offset + bad.length == size
        resume = _next_member_start(fh, bad.offset + 1, size) if gzip_failed else bad.end
        yield replace(bad, length=resume - bad.offset)
        offset = resume


class VerifiedStream:
    """The plain (decompressed) WARC inside a gzip-per-record file, checked as it is read.

    A WARC reader pulls records through `read` while every gzip member gets `verify_warc`'s
    checks, so the file is inflated once for both. The stream ends early at the first member
    that is not an intact record; `finish` then reads whatever the reader left and returns the
    report `verify_warc` gives. Nothing read may be trusted before `finish` says ``ok``. An
    OSError reading the file also ends the stream, and `finish` raises it (the reader may be
    native code that cannot carry it).
    """

    def __init__(self, path: Path, fh: BinaryIO) -> None:
        self.path = Path(path)
        self.size = os.fstat(fh.fileno()).st_size
        self._items = _inflate_members(fh, self.size)
        self._piece = b""
        self._piece_pos = 0
        self._plain_pos = 0  # plain bytes inflated so far
        self._member_starts = {0: fh.tell()}  # plain position -> file offset of its member
        self._records = 0
        self._checked = 0
        self._types: dict[str, int] = {}
        self._problem: tuple[str, int] | None = ("empty file", 0) if self.size == 0 else None
        self._ended = self._problem is not None
        self._read_error: OSError | None = None

    def member_offset(self, plain_position: int) -> int | None:
        """File offset of the gzip member whose content starts at *plain_position*, if any."""
        return self._member_starts.get(plain_position)

    def _advance(self) -> bool:
        """Take the next piece or member verdict; False once the stream has ended."""
        if self._ended:
            return False
        try:
            item = next(self._items, None)
        except OSError as exc:
            self._read_error, self._ended = exc, True
            return False
        if item is None:
            self._ended = True
        elif isinstance(item, Member):
            if item.problem is not None:
                self._problem = (item.problem, item.offset)
                self._ended = True
            else:
                self._records += 1
                self._checked += item.length
                kind = item.record_type or ""
                self._types[kind] = self._types.get(kind, 0) + 1
                self._member_starts[self._plain_pos] = item.offset + item.length
        else:
            self._piece, self._piece_pos = item, 0
            self._plain_pos += len(item)
        return not self._ended

    def tell(self) -> int:
        """Plain bytes handed out so far."""
        return self._plain_pos - (len(self._piece) - self._piece_pos)

    def read(self, size: int = -1) -> bytes:
        """Up to *size* plain bytes (all that is left if negative); b"" at the end."""
        parts = []
        wanted = size if size >= 0 else sys.maxsize
        while wanted > 0:
            if self._piece_pos == len(self._piece):
                if not self._advance():
                    break
                continue
            part = self._piece[self._piece_pos : self._piece_pos + wanted]
            self._piece_pos += len(part)
            wanted -= len(part)
            parts.append(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def finish(self) -> VerifyReport:
        """Check the rest of the file and report on all of it, as `verify_warc` does."""
        while self._advance():
            pass
        self._piece, self._piece_pos = b"", 0
        if self._read_error is not None:
            raise self._read_error
        if self._problem is not None:
            problem, offset = self._problem
            return VerifyReport(
                self.path, False, self._records, self._checked, self._types, problem, offset
            )
        return VerifyReport(self.path, True, self._records, self._checked, self._types)


def verify_warc(path: Path) -> VerifyReport:
    """Stream *path* and check every gzip member is complete and holds exactly one WARC record."""
    path = Path(path)
    with path.open("rb") as fh:
        return VerifiedStream(path, fh).finish()


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
        fsync_path(path.parent)
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
    fsync_path(path.parent)
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
