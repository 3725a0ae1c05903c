"""Writes WARC/1.1 files: one gzip member per record, `.open` while written, rolled over by size.

WARC/1.1 rather than 1.0 because it allows microsecond WARC-Dates (two captures of a fast-changing
page in the same second stay distinguishable) and names the revisit profiles we use; warcio, pywb
and FastWARC all read it.

Every record is serialised into memory first and handed to the file in one `write` + `flush`, so a
process killed mid-write leaves at most one incomplete gzip member at the end of the `.open` file,
which `archive.warc.recovery` cuts off.
"""

from __future__ import annotations

import fcntl
import io
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.warc.digests import payload_digest
from archive.warc.records import OPEN_SUFFIX

log = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
DEFAULT_MAX_FILE_BYTES = 1_000_000_000

_SAFE_PREFIX = re.compile(r"[^a-z0-9-]+")

Headers = list[tuple[str, str]]


class _RecordBuilder(WARCWriter):
    """warcio's writer, minus payload digests on records that have no HTTP payload.

    For resource and metadata records the payload is the whole block, so WARC-Block-Digest already
    covers it; FastWARC's checker rejects a payload digest on such records.
    """

    NO_PAYLOAD_DIGEST_TYPES = ("warcinfo", "revisit", "resource", "metadata")


@dataclass(frozen=True)
class HttpExchange:
    """One HTTP request and its response, as the crawler saw them.

    `body` is the entity body with any transfer coding removed. `content_decoded` says the
    content coding (gzip, br…) was undone too, as browsers hand bodies over; the writer then
    makes the stored headers agree with the stored body so replay works.
    """

    url: str
    method: str
    request_headers: Headers
    status: int
    response_headers: Headers
    body: bytes
    captured_at: datetime
    request_body: bytes = b""
    reason: str = ""
    http_version: str = "HTTP/1.1"
    ip_address: str | None = None
    content_decoded: bool = False


@dataclass(frozen=True)
class WrittenRecord:
    """Where a record landed: enough to find it again without an index."""

    record_id: str
    record_type: str
    warc_path: Path
    offset: int
    length: int
    payload_digest: str | None
    captured_at: datetime


@dataclass(frozen=True)
class Original:
    """The earlier capture a revisit record points back to."""

    uri: str
    date: datetime
    record_id: str | None = None


def safe_prefix(name: str) -> str:
    """A file-name prefix that can never escape the directory or surprise a shell."""
    cleaned = _SAFE_PREFIX.sub("-", name.lower()).strip("-")
    return cleaned[:60] or "newsarc"


def warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def stored_response_headers(exchange: HttpExchange) -> Headers:
    """Response headers that describe the body as stored, keeping the originals visible."""
    stored: Headers = []
    for name, value in exchange.response_headers:
        lower = name.lower()
        if lower == "transfer-encoding" or (
            exchange.content_decoded and lower in ("content-encoding", "content-length")
        ):
            stored.append((f"X-Archive-Orig-{name}", value))
        else:
            stored.append((name, value))
    if exchange.content_decoded:
        stored.append(("Content-Length", str(len(exchange.body))))
    return stored


def _request_line(exchange: HttpExchange) -> str:
    parts = urlsplit(exchange.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return f"{exchange.method} {target} {exchange.http_version}"


def _request_headers(exchange: HttpExchange) -> Headers:
    headers = list(exchange.request_headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", urlsplit(exchange.url).netloc))
    return headers


def _status_line(exchange: HttpExchange) -> str:
    reason = exchange.reason
    if not reason:
        try:
            reason = HTTPStatus(exchange.status).phrase
        except ValueError:
            reason = "Unknown"
    return f"{exchange.status} {reason}"


@dataclass
class _OpenFile:
    path: Path
    handle: io.BufferedWriter
    size: int = 0
    records: int = 0


@dataclass
class WarcWriter:
    """Appends records to `{prefix}-{UTC timestamp}-{serial}.warc.gz` files in `directory`.

    Thread-safe (browser captures arrive from the asyncio loop, others from Twisted callbacks in
    the same thread, but the writer must not rely on that). Holds an exclusive `flock` on the open
    file so recovery never touches a file a live process is still writing.
    """

    directory: Path
    prefix: str
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    warcinfo_fields: dict[str, str] = field(default_factory=dict)
    on_file_opened: Callable[[Path], None] | None = None
    on_file_closed: Callable[[Path], None] | None = None

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = safe_prefix(self.prefix)
        self._serial = 0
        self._current: _OpenFile | None = None
        self._lock = threading.Lock()
        self._builder = _RecordBuilder(io.BytesIO(), gzip=True, warc_version=WARC_VERSION)
        self.closed_files: list[Path] = []

    # -- public record types -------------------------------------------------------------

    def write_exchange(
        self, exchange: HttpExchange, digest: str | None = None
    ) -> tuple[WrittenRecord, WrittenRecord]:
        """Archive a full response and its request; returns (response, request) locations.

        `digest` is the body's payload digest when the caller already computed it."""
        digest = digest or payload_digest(exchange.body)
        response = self._builder.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=self._capture_headers(exchange, {"WARC-Payload-Digest": digest}),
            http_headers=StatusAndHeaders(
                _status_line(exchange),
                stored_response_headers(exchange),
                protocol=exchange.http_version,
            ),
        )
        return self._write_with_request(response, exchange, digest)

    def write_revisit(
        self, exchange: HttpExchange, original: Original, *, profile: str, digest: str
    ) -> tuple[WrittenRecord, WrittenRecord]:
        """Archive a fetch whose payload is already held: headers only, pointing at `original`."""
        extra = {}
        if original.record_id:
            extra["WARC-Refers-To"] = original.record_id
        record = self._builder.create_revisit_record(
            exchange.url,
            digest,
            original.uri,
            warc_date(original.date),
            http_headers=StatusAndHeaders(
                _status_line(exchange),
                stored_response_headers(exchange),
                protocol=exchange.http_version,
            ),
            warc_headers_dict=self._capture_headers(exchange, extra),
        )
        record.rec_headers.replace_header("WARC-Profile", profile)
        return self._write_with_request(record, exchange, digest)

    def write_resource(
        self,
        uri: str,
        body: bytes,
        content_type: str,
        *,
        captured_at: datetime,
        concurrent_to: str | None = None,
        refers_to_uri: str | None = None,
    ) -> WrittenRecord:
        """Archive something the crawler made rather than fetched (a rendered DOM, a screenshot)."""
        headers = {"WARC-Date": warc_date(captured_at), "Content-Type": content_type}
        if concurrent_to:
            headers["WARC-Concurrent-To"] = concurrent_to
        if refers_to_uri:
            headers["WARC-Refers-To-Target-URI"] = refers_to_uri
        record = self._builder.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict=headers,
        )
        return self._write_records([record])[0]

    def write_metadata(
        self, uri: str, body: bytes, content_type: str, *, captured_at: datetime
    ) -> WrittenRecord:
        """Archive facts about a URI (e.g. why fetching it failed) next to the captures."""
        record = self._builder.create_warc_record(
            uri,
            "metadata",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": warc_date(captured_at), "Content-Type": content_type},
        )
        return self._write_records([record])[0]

    def close(self) -> None:
        with self._lock:
            self._close_current()

    @property
    def open_path(self) -> Path | None:
        return self._current.path if self._current else None

    # -- internals -----------------------------------------------------------------------

    def _capture_headers(self, exchange: HttpExchange, extra: dict[str, str]) -> dict[str, str]:
        headers = {"WARC-Date": warc_date(exchange.captured_at), **extra}
        if exchange.ip_address:
            headers["WARC-IP-Address"] = exchange.ip_address
        return headers

    def _write_with_request(
        self, response_record, exchange: HttpExchange, digest: str
    ) -> tuple[WrittenRecord, WrittenRecord]:
        response_id = response_record.rec_headers.get_header("WARC-Record-ID")
        request_record = self._builder.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            warc_headers_dict={
                "WARC-Date": warc_date(exchange.captured_at),
                "WARC-Concurrent-To": response_id,
            },
            http_headers=StatusAndHeaders(
                _request_line(exchange), _request_headers(exchange), is_http_request=True
            ),
        )
        written = self._write_records([response_record, request_record], digest)
        return written[0], written[1]

    def _write_records(self, records: Iterable, digest: str | None = None) -> list[WrittenRecord]:
        """Serialise records, then append them to the current file in one write."""
        blobs = []
        for record in records:
            blobs.append((record, self._serialise(record)))
        with self._lock:
            current = self._file_for(sum(len(b) for _, b in blobs))
            offset = current.size
            written = []
            for record, blob in blobs:
                rec_type = record.rec_headers.get_header("WARC-Type")
                written.append(
                    WrittenRecord(
                        record_id=record.rec_headers.get_header("WARC-Record-ID"),
                        record_type=rec_type,
                        warc_path=current.path,
                        offset=offset,
                        length=len(blob),
                        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest")
                        or (digest if rec_type != "request" else None),
                        captured_at=_parse_date(record.rec_headers.get_header("WARC-Date")),
                    )
                )
                offset += len(blob)
            current.handle.write(b"".join(blob for _, blob in blobs))
            current.handle.flush()
            current.size = offset
            current.records += len(blobs)
        return written

    def _serialise(self, record) -> bytes:
        """One record as one complete gzip member."""
        self._builder.out = buffer = io.BytesIO()
        self._builder.write_record(record)
        return buffer.getvalue()

    def _file_for(self, incoming: int) -> _OpenFile:
        current = self._current
        if current and current.records > 1 and current.size + incoming > self.max_file_bytes:
            self._close_current()
            current = None
        return current or self._open_new()

    def _open_new(self) -> _OpenFile:
        while True:
            self._serial += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            path = self.directory / (name + OPEN_SUFFIX)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            break
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle = os.fdopen(fd, "wb")
        self._current = _OpenFile(path=path, handle=handle)
        info = self._serialise(self._builder.create_warcinfo_record(name, self.warcinfo_fields))
        handle.write(info)
        handle.flush()
        self._current.size = len(info)
        self._current.records = 1
        log.info("opened WARC %s", path)
        if self.on_file_opened:
            self.on_file_opened(path.with_name(name))
        return self._current

    def _close_current(self) -> None:
        current = self._current
        if current is None:
            return
        self._current = None
        current.handle.flush()
        os.fsync(current.handle.fileno())
        final = current.path.with_name(current.path.name[: -len(OPEN_SUFFIX)])
        os.rename(current.path, final)
        current.handle.close()  # releases the flock only after the rename
        self.closed_files.append(final)
        log.info("closed WARC %s (%d records, %d bytes)", final, current.records, current.size)
        if self.on_file_closed:
            self.on_file_closed(final)


def _parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
