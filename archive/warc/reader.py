"""Read newsarc WARC files back: one catalog row per record, or one archived response by offset.

Rows carry the byte offset and *compressed* length of each record's gzip member, so any record can
later be read alone with a single seek (``read_http_response``, CDXJ replay). Payloads are never
loaded while listing: the iterator skips over them, so memory stays flat whatever the body sizes.

Listing uses FastWARC because ingest reads every byte of the archive: on a 36 MB, 3,006-record file
it took 0.36 s against 1.41 s for warcio's ArchiveIterator, with identical offsets. Each listed
record also says how warcio would read its headers (`IndexFacts`), so CDXJ lines, which replay
tools expect exactly as cdxj-indexer (warcio) writes them, can be built without reading the file
again.

Reading one record back also uses FastWARC (its inflater is faster than warcio's: 0.09 s against
0.15 s for 243 stories of ~170 KB), but warcio still parses the HTTP header block, so headers and
payload come out exactly as before. Any record FastWARC and warcio might read differently (odd
bytes at the offset, non-ASCII or folded WARC headers) goes through warcio alone.

A file the fast listing refuses is listed again carefully (`list_entries_carefully`): gzip member
by member, each record read alone by warcio, so a record FastWARC cannot parse (a 32 KB header
block) is still listed, and damage (flipped bytes, a cut) costs only the records it touches.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from fastwarc.warc import ArchiveIterator
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.utils import Digester

from archive.errors import BadWarc
from archive.warc.records import FETCH_ERROR_CONTENT_TYPE, WARCINFO_PROFILE, WARCINFO_RUN_ID
from archive.warc.recovery import VerifiedStream, VerifyReport, iter_members_resyncing

log = logging.getLogger(__name__)

# Small records we do read whole (warcinfo fields, fetch-error JSON); anything larger is malformed.
_MAX_SMALL_BODY = 1 << 20
_DIGEST_CHUNK = 1 << 16
_HTTP_RECORD_TYPES = frozenset({"request", "response", "revisit"})
_FRACTION = re.compile(r"\.(\d+)")
# Record types cdxj-indexer indexes, and those for which warcio parses an HTTP header block.
_INDEXED_RECORD_TYPES = frozenset({"response", "revisit", "resource", "metadata"})
_WARCIO_HTTP_RECORDS = frozenset(ArcWarcRecordLoader.HTTP_RECORDS)
_WARCIO_LOADER = ArcWarcRecordLoader(verify_http=False)
_WARCIO_STATUS_LINE = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=False)


@dataclass(frozen=True, slots=True)
class CaptureRow:
    """One row of the DuckDB ``captures`` table (field order = column order in schema.sql)."""

    record_id: str
    record_type: str
    url: str | None
    captured_at: datetime | None
    status: int | None
    content_type: str | None
    payload_digest: str | None
    block_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    refers_to_uri: str | None
    refers_to_date: datetime | None
    revisit_profile: str | None
    concurrent_to: str | None
    etag: str | None
    last_modified: str | None
    ip_address: str | None
    run_id: str | None
    profile: str | None
    location: str | None


@dataclass(frozen=True, slots=True)
class IndexFacts:
    """Header values of one record as warcio, hence cdxj-indexer, reads them.

    ``exact`` is False when warcio could read them differently from FastWARC: non-ASCII, folded
    or untrimmed values, a WARC-Target-URI warcio would rewrite, or an HTTP header block that is
    not plain ``Name: value`` lines. ``http_status`` and ``http_content_type`` are None when warcio
    parses no HTTP block (non-HTTP record or URI, empty block). ``payload_digest`` is the header,
    or for a resource/metadata record without one (newsarc writes none: their block digest says
    it), the digest cdxj-indexer computes over the block.
    """

    exact: bool
    warc_date: str | None = None
    warc_content_type: str | None = None
    http_status: str | None = None
    http_content_type: str | None = None
    payload_digest: str | None = None


@dataclass(frozen=True, slots=True)
class WarcEntry:
    """A catalog row plus, for newsarc fetch-error metadata records, their JSON body.

    The body is carried here because it must be read before the iterator moves on; the catalog
    turns it into a ``fetch_errors`` row. ``index_facts`` is what a CDXJ line needs beyond the row.
    """

    row: CaptureRow
    fetch_error_body: bytes | None = None
    index_facts: IndexFacts = IndexFacts(exact=False)


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """An HTTP response as archived: headers as stored, body with its content encoding kept."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime | None


def parse_warc_date(value: str | None) -> datetime | None:
    """Parse a WARC-Date (W3C-ISO8601, 'Z', 0-9 fraction digits) into an aware UTC datetime."""
    if not value:
        return None
    text = value.strip()
    # datetime keeps microseconds only; WARC 1.1 allows longer fractions.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        log.warning("unparsable WARC date %r", value)
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_warc_fields(body: bytes) -> dict[str, str]:
    """Parse an application/warc-fields block (``name: value`` lines); first occurrence wins."""
    fields: dict[str, str] = {}
    for line in body.decode("utf-8", errors="replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() and name.strip() not in fields:
            fields[name.strip()] = value.strip()
    return fields


def _read_small(reader: Any, path: Path, offset: int, what: str) -> bytes:
    body = reader.read(_MAX_SMALL_BODY + 1)
    if len(body) > _MAX_SMALL_BODY:
        raise BadWarc(path, offset, f"{what} record body exceeds {_MAX_SMALL_BODY} bytes")
    return body


def _is_fetch_error(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";")[0].strip() == FETCH_ERROR_CONTENT_TYPE


def _status_code(value: object) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def iter_warc_entries(warc_path: Path) -> Iterator[WarcEntry]:
    """Yield a `WarcEntry` per record, in file order.

    A record's compressed length is the distance to the next record's start (the last one ends at
    end of file), so each row is yielded once the following record has been located. run_id/profile
    come from the most recent warcinfo record (newsarc writes one first in each file).

    FastWARC does not notice a truncated final gzip member; callers that need that guarantee use
    `list_verified_entries` (the catalog does). Raises `BadWarc` with the offset where reading
    stopped if decompression or parsing fails.
    """
    path = Path(warc_path)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        yield from _iter_entries(path, fh, size, lambda position: position)


def list_verified_entries(warc_path: Path) -> list[WarcEntry]:
    """Every `WarcEntry` of a file that `verify_warc` passes, inflating the file once for both.

    FastWARC reads the plain records from `VerifiedStream`, which checks each gzip member on the
    way. Raises `BadWarc` as checking and then listing would: the problem `verify_warc` reports
    first, or else whatever stopped the listing.
    """
    path = Path(warc_path)
    with path.open("rb") as fh:
        stream = VerifiedStream(path, fh)
        try:
            entries = list(_iter_entries(path, stream, stream.size, stream.member_offset))
        except Exception:
            _raise_if_damaged(stream.finish())
            raise
        _raise_if_damaged(stream.finish())
    return entries


@dataclass(frozen=True, slots=True)
class Damage:
    """A span of a WARC file that holds no readable record: where it starts, how long, and why.

    Offset and length are None when the file changed but no span of it is unreadable."""

    offset: int | None
    length: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class CarefulListing:
    """What `list_entries_carefully` could read of a file, and the damage it stepped over."""

    entries: list[WarcEntry]
    damage: list[Damage]


def list_entries_carefully(warc_path: Path) -> CarefulListing:
    """Every record of *warc_path* that can be trusted, read one gzip member at a time by warcio.

    Slower than `list_verified_entries`, for files it refuses. A member counts only if it is
    intact (`iter_members_resyncing`: CRC and length checked, exactly one WARC record) and
    warcio parses its record; past damage, reading resumes at the next gzip member. Adjacent
    damaged spans are reported as one. ``index_facts`` are never exact here, so a CDXJ index of
    the file comes from cdxj-indexer itself.
    """
    path = Path(warc_path)
    entries: list[WarcEntry] = []
    damage: list[Damage] = []
    run_id: str | None = None
    profile: str | None = None
    with path.open("rb") as members_fh, path.open("rb") as records_fh:
        size = os.fstat(members_fh.fileno()).st_size
        for member in iter_members_resyncing(members_fh, size):
            problem = member.problem
            if problem is None:
                try:
                    entry = _careful_entry(path, records_fh, member.offset, member.length)
                except (BadWarc, ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
                    why = exc.reason if isinstance(exc, BadWarc) else f"{type(exc).__name__}: {exc}"
                    problem = f"unreadable record ({why})"[:500]
                else:
                    if entry.row.record_type == "warcinfo":
                        run_id = entry.row.run_id or run_id
                        profile = entry.row.profile or profile
                    entry = replace(entry, row=replace(entry.row, run_id=run_id, profile=profile))
                    entries.append(entry)
                    continue
            if damage and damage[-1].offset + damage[-1].length == member.offset:
                last = damage.pop()
                damage.append(replace(last, length=last.length + member.length))
            else:
                damage.append(Damage(member.offset, member.length, problem))
    return CarefulListing(entries, damage)


def _warcio_record_at(path: Path, fh: Any, offset: int) -> Any:
    """The record warcio reads at *offset* of the open file *fh*, or `BadWarc` saying why not.

    warcio fails on some damaged records with its own errors (AttributeError for an HTTP record
    without WARC-Target-URI); they are the record's fault, so they name the file and offset.
    Damaged bytes whose first line has five fields pass for an ARC record: refused too."""
    fh.seek(offset)
    try:
        record = next(iter(WarcioIterator(fh)), None)
    except (ArchiveLoadFailed, AttributeError) as exc:
        raise BadWarc(path, offset, f"no WARC record here: {type(exc).__name__}: {exc}") from exc
    if record is None:
        raise BadWarc(path, offset, "no WARC record here (end of file)")
    if record.format != "warc":
        raise BadWarc(path, offset, f"no WARC record here (warcio reads {record.format})")
    return record


def _careful_entry(path: Path, fh: Any, offset: int, length: int) -> WarcEntry:
    """The entry of the intact gzip member at *offset*, read by warcio alone.

    A warcinfo entry carries its own run id and profile; the caller passes them on."""
    record = _warcio_record_at(path, fh, offset)
    headers = record.rec_headers
    rec_type = record.rec_type or ""
    record_id = headers.get_header("WARC-Record-ID")
    if not record_id:
        raise BadWarc(path, offset, "record without WARC-Record-ID")
    http = record.http_headers if rec_type in _HTTP_RECORD_TYPES else None
    content_type = (
        (http.get_header("Content-Type") if http is not None else None)
        if rec_type in _HTTP_RECORD_TYPES
        else headers.get_header("Content-Type")
    )
    status = None
    if http is not None and rec_type in ("response", "revisit"):
        status = _status_code(http.get_statuscode())
    run_id = profile = fetch_error_body = None
    if rec_type == "warcinfo":
        fields = parse_warc_fields(_read_small(record.content_stream(), path, offset, rec_type))
        run_id, profile = fields.get(WARCINFO_RUN_ID), fields.get(WARCINFO_PROFILE)
    elif rec_type == "metadata" and _is_fetch_error(headers.get_header("Content-Type")):
        fetch_error_body = _read_small(record.content_stream(), path, offset, rec_type)
    row = CaptureRow(
        record_id=record_id,
        record_type=rec_type,
        url=headers.get_header("WARC-Target-URI"),
        captured_at=parse_warc_date(headers.get_header("WARC-Date")),
        status=status,
        content_type=content_type,
        payload_digest=headers.get_header("WARC-Payload-Digest"),
        block_digest=headers.get_header("WARC-Block-Digest"),
        warc_file=path.name,
        warc_offset=offset,
        warc_length=length,
        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=parse_warc_date(headers.get_header("WARC-Refers-To-Date")),
        revisit_profile=headers.get_header("WARC-Profile"),
        concurrent_to=headers.get_header("WARC-Concurrent-To"),
        etag=http.get_header("ETag") if http is not None else None,
        last_modified=http.get_header("Last-Modified") if http is not None else None,
        ip_address=headers.get_header("WARC-IP-Address"),
        run_id=run_id,
        profile=profile,
        location=http.get_header("Location")
        if http is not None and 300 <= (status or 0) < 400
        else None,
    )
    return WarcEntry(row, fetch_error_body)


def _raise_if_damaged(report: VerifyReport) -> None:
    if not report.ok:
        raise BadWarc(report.path, report.problem_offset, report.problem or "damaged")


def _iter_entries(
    path: Path, source: Any, size: int, file_offset: Callable[[int], int | None]
) -> Iterator[WarcEntry]:
    """The entries of the WARC *source* (gzipped or plain); *file_offset* maps FastWARC's
    record positions to offsets in the file at *path*, *size* bytes long."""
    warc_file = path.name
    run_id: str | None = None
    profile: str | None = None
    pending: tuple[dict[str, Any], bytes | None, IndexFacts] | None = None
    offset = 0
    try:
        for record in ArchiveIterator(source, parse_http=True):
            located = file_offset(record.stream_pos)
            if located is None:
                raise BadWarc(path, offset, "a record after this one starts inside a gzip member")
            offset = located
            if pending is not None:
                yield _finish(pending, offset)
                pending = None
            rec_type = record.headers.get("WARC-Type") or ""
            fetch_error_body = None
            if rec_type == "warcinfo":
                fields = parse_warc_fields(_read_small(record.reader, path, offset, rec_type))
                run_id = fields.get(WARCINFO_RUN_ID, run_id)
                profile = fields.get(WARCINFO_PROFILE, profile)
            elif rec_type == "metadata" and _is_fetch_error(record.headers.get("Content-Type")):
                fetch_error_body = _read_small(record.reader, path, offset, rec_type)
            if not record.record_id:
                raise BadWarc(path, offset, "record without WARC-Record-ID")
            row = _row_fields(record, rec_type, warc_file, offset, run_id, profile)
            facts = _index_facts(record, rec_type)
            if facts.exact and not facts.payload_digest:
                facts = _with_block_as_payload_digest(facts, record, rec_type, fetch_error_body)
            pending = (row, fetch_error_body, facts)
    except (OSError, ValueError) as exc:
        raise BadWarc(path, offset, f"{type(exc).__name__}: {exc}") from exc
    if pending is not None:
        yield _finish(pending, size)


def _row_fields(
    record: Any, rec_type: str, warc_file: str, offset: int, run_id: str | None, profile: str | None
) -> dict[str, Any]:
    """Every CaptureRow field but warc_length, which needs the next record's offset."""
    headers = record.headers
    http = record.http_headers if record.is_http else None
    if rec_type in _HTTP_RECORD_TYPES:
        content_type = http.get("Content-Type") if http is not None else None
    else:
        content_type = headers.get("Content-Type")
    status = None
    if http is not None and rec_type in ("response", "revisit"):
        status = _status_code(http.status_code)
    return {
        "record_id": record.record_id,
        "record_type": rec_type,
        "url": _target_uri(headers.get("WARC-Target-URI")),
        "captured_at": parse_warc_date(headers.get("WARC-Date")),
        "status": status,
        "content_type": content_type,
        "payload_digest": headers.get("WARC-Payload-Digest"),
        "block_digest": headers.get("WARC-Block-Digest"),
        "warc_file": warc_file,
        "warc_offset": offset,
        "refers_to_uri": headers.get("WARC-Refers-To-Target-URI"),
        "refers_to_date": parse_warc_date(headers.get("WARC-Refers-To-Date")),
        "revisit_profile": headers.get("WARC-Profile"),
        "concurrent_to": headers.get("WARC-Concurrent-To"),
        "etag": http.get("ETag") if http is not None else None,
        "last_modified": http.get("Last-Modified") if http is not None else None,
        "ip_address": headers.get("WARC-IP-Address"),
        "run_id": run_id,
        "profile": profile,
        "location": http.get("Location")
        if http is not None and 300 <= (status or 0) < 400
        else None,
    }


def _target_uri(value: str | None) -> str | None:
    """WARC-Target-URI as warcio (so pywb and cdxj-indexer) reads it: wget (1.19 to 1.21 at
    least) writes it in angle brackets, which warcio strips."""
    if value is not None and value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return value


def _finish(pending: tuple[dict[str, Any], bytes | None, IndexFacts], end: int) -> WarcEntry:
    fields, fetch_error_body, facts = pending
    length = end - fields["warc_offset"]
    return WarcEntry(CaptureRow(warc_length=length, **fields), fetch_error_body, facts)


def _is_token(value: str | None) -> bool:
    """Printable ASCII without spaces: a header value FastWARC and warcio read alike."""
    return bool(value) and value.isascii() and value.isprintable() and " " not in value


def _is_plain_text(value: str | None) -> bool:
    """Absent, or printable ASCII with no surrounding spaces (spaces inside are fine)."""
    return value is None or (value.isascii() and value.isprintable() and value == value.strip())


def _http_block_is_plain(record: Any) -> bool:
    """True if the HTTP header block is exactly ``status CRLF (Name: value CRLF)* CRLF``.

    Then warcio splits it exactly as FastWARC did. A folded line, extra whitespace, a bare LF or
    a line without a colon all make the block longer than that form (FastWARC has already
    consumed it: what remains of Content-Length is the payload).
    """
    http = record.http_headers
    status_line = http.status_line
    if not status_line or not _is_plain_text(status_line):
        return False
    size = len(status_line) + 4
    for name, value in http.items():
        if not (_is_token(name) and _is_plain_text(value)):
            return False
        size += len(name) + len(value) + 4
    return _content_length(record) - record.content_length == size


def _content_length(record: Any) -> int | None:
    """The WARC Content-Length as written, or None if it is not a plain number."""
    value = record.headers.get("Content-Length")
    return int(value) if value and value.isdigit() else None


def _warcio_status_code(status_line: str) -> str:
    """The status code as warcio's ``get_statuscode`` reads it from this status line."""
    parsed = _WARCIO_STATUS_LINE.parse(BytesIO(status_line.encode("ascii") + b"\r\n\r\n"))
    return parsed.get_statuscode()


def _index_facts(record: Any, rec_type: str) -> IndexFacts:
    headers = record.headers
    warc_content_type = headers.get("Content-Type")
    if not (_is_token(rec_type) and _is_plain_text(warc_content_type)):
        return IndexFacts(exact=False)
    if rec_type not in _INDEXED_RECORD_TYPES:
        return IndexFacts(exact=True, warc_content_type=warc_content_type)
    url = headers.get("WARC-Target-URI")
    warc_date = headers.get("WARC-Date")
    digest = headers.get("WARC-Payload-Digest")
    if not (_is_token(url) and _is_token(warc_date) and (digest is None or _is_token(digest))):
        return IndexFacts(exact=False)
    if url.startswith("<") and url.endswith(">"):
        return IndexFacts(exact=False)  # warcio strips the brackets (a Wget 1.19 bug)
    facts = IndexFacts(True, warc_date, warc_content_type, payload_digest=digest)
    length = _content_length(record)
    if length is None:
        return IndexFacts(exact=False)
    warcio_parses_http = (
        rec_type in _WARCIO_HTTP_RECORDS
        and url.startswith(ArcWarcRecordLoader.HTTP_SCHEMES)
        and length != 0
    )
    if not warcio_parses_http:
        return facts
    if not (record.is_http and record.is_http_parsed and _http_block_is_plain(record)):
        return IndexFacts(exact=False)
    status = _warcio_status_code(record.http_headers.status_line)
    if not status.isdigit():
        return IndexFacts(exact=False)
    content_type = record.http_headers.get("Content-Type")
    return IndexFacts(True, warc_date, warc_content_type, status, content_type, digest)


def _with_block_as_payload_digest(
    facts: IndexFacts, record: Any, rec_type: str, body: bytes | None
) -> IndexFacts:
    """Add the digest warcio computes when a resource or metadata record has none.

    warcio's record builder (cdxj-indexer calls its ``ensure_digest``) hashes what follows the
    HTTP headers with SHA-1; such records have no HTTP headers, so that is the whole block.
    *body* is the block when it has already been read.
    """
    if rec_type not in ("resource", "metadata") or record.is_http:
        return facts
    digester = Digester("sha1")
    if body is not None:
        digester.update(body)
    else:
        while chunk := record.reader.read(_DIGEST_CHUNK):
            digester.update(chunk)
    return replace(facts, payload_digest=str(digester))


def iter_capture_rows(warc_path: Path) -> Iterator[CaptureRow]:
    """Yield one `CaptureRow` per record of *warc_path* (offsets are of the compressed members)."""
    for entry in iter_warc_entries(warc_path):
        yield entry.row


def _fastwarc_record_at(path: Path, offset: int) -> tuple[Any, bytes] | None:
    """The record starting exactly at *offset* and its whole block, if FastWARC reads one there.

    Only records whose type, target URI and date warcio would read identically are returned;
    anything else (nothing or something odd at the offset) is None, for warcio to handle.
    """
    with path.open("rb") as fh:
        fh.seek(offset)
        try:
            record = next(iter(ArchiveIterator(fh, parse_http=False)), None)
            if record is None or record.stream_pos != offset:
                return None
            headers = record.headers
            url = headers.get("WARC-Target-URI")
            if not all(_is_token(headers.get(name)) for name in ("WARC-Type", "WARC-Date")):
                return None
            if url is not None and (not _is_token(url) or url.startswith("<")):
                return None
            block = record.reader.read()
            if len(block) != _content_length(record):
                return None
            return record, block
        except (OSError, ValueError):
            return None


def _response_from_block(record: Any, block: bytes) -> ArchivedResponse | None:
    """Split a response block with warcio's own HTTP parser; None if warcio would refuse it."""
    url = record.headers.get("WARC-Target-URI")
    if record.headers.get("WARC-Type") != "response" or url is None:
        return None
    stream = BytesIO(block)
    http = _WARCIO_LOADER.load_http_headers("response", url, stream, len(block))
    if http is None:
        return None
    status = _status_code(http.get_statuscode())
    if status is None:
        return None
    return ArchivedResponse(
        url=url,
        status=status,
        headers=[(str(k), str(v)) for k, v in http.headers],
        body=block[stream.tell() :],
        date=parse_warc_date(record.headers.get("WARC-Date")),
    )


def read_resource_block(warc_path: Path, offset: int) -> bytes:
    """The block of the ``resource`` record at *offset* (a rendered DOM), exactly as stored."""
    path = Path(warc_path)
    found = _fastwarc_record_at(path, offset)
    if found is not None and found[0].headers.get("WARC-Type") == "resource":
        return found[1]
    with path.open("rb") as fh:
        record = _warcio_record_at(path, fh, offset)
        if record.rec_type != "resource":
            raise BadWarc(path, offset, f"expected a resource record, got {record.rec_type}")
        return record.content_stream().read()


def read_http_response(warc_path: Path, offset: int) -> ArchivedResponse:
    """Load the ``response`` record whose gzip member starts at *offset*.

    The body is the payload exactly as stored (content encoding kept, so gzip stays gzip), which
    is what a replayed 304/resumed crawl must hand back to the spider in place of a network fetch;
    a chunked body another crawler stored with its framing is de-chunked.
    """
    path = Path(warc_path)
    found = _fastwarc_record_at(path, offset)
    if found is None or (response := _response_from_block(*found)) is None:
        response = _read_http_response_with_warcio(path, offset)
    return _without_transfer_coding(response)


def _without_transfer_coding(response: ArchivedResponse) -> ArchivedResponse:
    """The response with a chunked body de-chunked, as warcio and pywb read it.

    newsarc stores bodies de-chunked (its header renamed `X-Archive-Orig-Transfer-Encoding`),
    but wget and Heritrix keep the chunked framing and its header, and the payload is the body
    without it (WARC 1.1, 6.3.2). Framing that does not parse is left as it is, as warcio does."""
    chunked = any(
        name.lower() == "transfer-encoding" and "chunked" in value.lower()
        for name, value in response.headers
    )
    if not chunked:
        return response
    return replace(response, body=ChunkedDataReader(BytesIO(response.body)).read())


def _read_http_response_with_warcio(path: Path, offset: int) -> ArchivedResponse:
    """`read_http_response` entirely through warcio: the reference, and the path for odd records."""
    with path.open("rb") as fh:
        record = _warcio_record_at(path, fh, offset)
        if record.rec_type != "response" or record.http_headers is None:
            raise BadWarc(path, offset, f"expected an HTTP response record, got {record.rec_type}")
        status = _status_code(record.http_headers.get_statuscode())
        if status is None:
            raise BadWarc(path, offset, "response record without a parsable HTTP status line")
        # raw_stream is the payload after the HTTP headers, before any decoding.
        body = record.raw_stream.read()
        return ArchivedResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=status,
            headers=[(str(k), str(v)) for k, v in record.http_headers.headers],
            body=body,
            date=parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        )
