"""Reading WARCs back: catalog rows, single responses by offset, CDXJ indexes, the validators.

`WarcBuilder` writes input WARCs with warcio's WARCWriter directly (not archive/warc/writer.py),
so these tests pin the reader to the WARC conventions rather than to our writer; the recovery
and catalog tests reuse it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.errors import BadWarc
from archive.warc.cdxj import index_path, index_warc, merge_index
from archive.warc.reader import (
    iter_capture_rows,
    parse_warc_date,
    read_http_response,
)
from archive.warc.records import (
    FETCH_ERROR_CONTENT_TYPE,
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
)
from tests.warc_validation import assert_valid_warc, fastwarc_check, warcio_check


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcBuilder:
    """Write a gzip-per-record WARC/1.1 file record by record; methods return the record ids."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh = self.path.open("wb")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="WARC/1.1")

    def __enter__(self) -> WarcBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def _write(self, record) -> str:
        self._writer.write_record(record)
        return record.rec_headers.get_header("WARC-Record-ID")

    def warcinfo(self, run_id: str = "run-1", profile: str = "demo") -> str:
        fields = {
            "software": "newsarc-tests",
            "format": "WARC File Format 1.1",
            "isPartOf": profile,
            "robots": "obey",
            "newsarc-run-id": run_id,
        }
        return self._write(self._writer.create_warcinfo_record(self.path.name, fields))

    def request(self, url: str, when: datetime, concurrent_to: str) -> str:
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
        http = StatusAndHeaders(
            f"GET {path} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True
        )
        record = self._writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            http_headers=http,
            warc_headers_dict={"WARC-Date": warc_date(when), "WARC-Concurrent-To": concurrent_to},
        )
        return self._write(record)

    def response(
        self,
        url: str,
        when: datetime,
        body: bytes,
        status: str = "200 OK",
        headers: list[tuple[str, str]] | None = None,
        payload_digest: str | None = None,
    ) -> str:
        http_headers = list(headers or [("Content-Type", "text/html; charset=utf-8")])
        http_headers.append(("Content-Length", str(len(body))))
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            http_headers=StatusAndHeaders(status, http_headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": warc_date(when), "WARC-IP-Address": "127.0.0.1"},
        )
        if payload_digest is None:
            return self._write(record)
        # warcio recomputes digests on write, so a wrong one is patched into the serialized record.
        plain = BytesIO()
        WARCWriter(plain, gzip=False, warc_version="WARC/1.1").write_record(record)
        good = record.rec_headers.get_header("WARC-Payload-Digest").encode()
        assert len(good) == len(payload_digest)
        self._fh.write(gzip.compress(plain.getvalue().replace(good, payload_digest.encode())))
        return record.rec_headers.get_header("WARC-Record-ID")

    def revisit(
        self,
        url: str,
        when: datetime,
        digest: str,
        refers_to_uri: str,
        refers_to_date: datetime,
        refers_to: str | None = None,
        not_modified: bool = True,
        headers: list[tuple[str, str]] | None = None,
    ) -> str:
        status = "304 Not Modified" if not_modified else "200 OK"
        extra = {"WARC-Date": warc_date(when)}
        if refers_to:
            extra["WARC-Refers-To"] = refers_to
        record = self._writer.create_revisit_record(
            url,
            digest,
            refers_to_uri,
            warc_date(refers_to_date),
            http_headers=StatusAndHeaders(status, list(headers or []), protocol="HTTP/1.1"),
            warc_headers_dict=extra,
        )
        profile = PROFILE_SERVER_NOT_MODIFIED if not_modified else PROFILE_IDENTICAL_PAYLOAD
        record.rec_headers.replace_header("WARC-Profile", profile)
        return self._write(record)

    def resource(self, url: str, when: datetime, body: bytes, content_type: str, **hdrs) -> str:
        extra = {"WARC-Date": warc_date(when), **hdrs}
        record = self._writer.create_warc_record(
            url,
            "resource",
            payload=BytesIO(body),
            warc_content_type=content_type,
            warc_headers_dict=extra,
        )
        return self._write(record)

    def fetch_error(self, url: str, when: datetime, body: bytes | dict) -> str:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        record = self._writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(raw),
            warc_content_type=FETCH_ERROR_CONTENT_TYPE,
            warc_headers_dict={"WARC-Date": warc_date(when)},
        )
        return self._write(record)


PAGE_HTML = ("<html><body>" + "AI 新闻 news " * 200 + "</body></html>").encode()
T0 = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
T1 = datetime(2024, 5, 2, 8, 30, 0, tzinfo=UTC)


def dechunk(wire: bytes) -> bytes:
    """Undo HTTP/1.1 chunked transfer coding (what the crawler does before archiving)."""
    out, rest = bytearray(), wire
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += rest[:size]
        rest = rest[size + 2 :]


def chunked(body: bytes, piece: int = 700) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(body[i : i + piece]), body[i : i + piece])
        for i in range(0, len(body), piece)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


@dataclass
class SampleWarc:
    path: Path
    ids: dict[str, str] = field(default_factory=dict)
    gzip_body: bytes = b""


def write_sample_warc(path: Path) -> SampleWarc:
    """One of each record kind newsarc writes, including a gzip-encoded, de-chunked response."""
    sample = SampleWarc(Path(path))
    sample.gzip_body = dechunk(chunked(gzip.compress(PAGE_HTML, mtime=0)))
    with WarcBuilder(path) as w:
        ids = sample.ids
        ids["warcinfo"] = w.warcinfo()
        ids["response"] = w.response(
            "http://127.0.0.1:8001/story/a",
            T0,
            sample.gzip_body,
            headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("ETag", '"v1"'),
                ("Last-Modified", "Wed, 01 May 2024 10:00:00 GMT"),
                ("X-Archive-Orig-Transfer-Encoding", "chunked"),
            ],
        )
        ids["request"] = w.request("http://127.0.0.1:8001/story/a", T0, ids["response"])
        digest = _header(path, ids["response"], "WARC-Payload-Digest")
        ids["revisit"] = w.revisit(
            "http://127.0.0.1:8001/story/a",
            T1,
            digest,
            "http://127.0.0.1:8001/story/a",
            T0,
            refers_to=ids["response"],
            headers=[("ETag", '"v1"')],
        )
        ids["dom"] = w.resource(
            "urn:newsarc:rendered-dom:http://127.0.0.1:8001/story/a",
            T0,
            "<html>渲染 DOM</html>".encode(),
            "text/html; charset=utf-8",
            **{
                "WARC-Concurrent-To": ids["response"],
                "WARC-Refers-To-Target-URI": "http://127.0.0.1:8001/story/a",
            },
        )
        ids["error"] = w.fetch_error(
            "http://127.0.0.1:8001/story/gone",
            T1,
            {
                "url": "http://127.0.0.1:8001/story/gone",
                "error": "http",
                "reason": "HTTP 503 after retries",
                "status": 503,
                "attempts": 3,
                "profile": "demo",
            },
        )
    return sample


def _header(path: Path, record_id: str, name: str) -> str:
    with Path(path).open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return record.rec_headers.get_header(name)
    raise KeyError(record_id)


def warcio_members(path: Path) -> list[tuple[str, int, int]]:
    """(record id, offset, length) per record according to warcio, for cross-checking."""
    out = []
    with Path(path).open("rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            rid = record.rec_headers.get_header("WARC-Record-ID")
            out.append((rid, it.get_record_offset(), it.get_record_length()))
    return out


@pytest.fixture
def sample(tmp_path: Path) -> SampleWarc:
    return write_sample_warc(tmp_path / "demo-20240501120000000000-00000.warc.gz")


def test_sample_is_valid(sample: SampleWarc) -> None:
    assert_valid_warc(sample.path)


def test_rows_cover_every_record_with_exact_member_offsets(sample: SampleWarc) -> None:
    rows = list(iter_capture_rows(sample.path))
    assert [r.record_type for r in rows] == [
        "warcinfo",
        "response",
        "request",
        "revisit",
        "resource",
        "metadata",
    ]
    assert [(r.record_id, r.warc_offset, r.warc_length) for r in rows] == warcio_members(
        sample.path
    )
    data = sample.path.read_bytes()
    assert rows[-1].warc_offset + rows[-1].warc_length == len(data)
    for row in rows:
        member = data[row.warc_offset : row.warc_offset + row.warc_length]
        text = zlib.decompressobj(31).decompress(member)
        assert text.startswith(b"WARC/1.1\r\n")
        assert row.record_id.encode() in text
        assert row.warc_file == sample.path.name
        assert (row.run_id, row.profile) == ("run-1", "demo")


def test_row_fields(sample: SampleWarc) -> None:
    rows = {r.record_type: r for r in iter_capture_rows(sample.path)}
    resp = rows["response"]
    assert resp.url == "http://127.0.0.1:8001/story/a"
    assert resp.captured_at == T0
    assert resp.status == 200
    assert resp.content_type == "text/html; charset=utf-8"
    assert resp.etag == '"v1"'
    assert resp.last_modified == "Wed, 01 May 2024 10:00:00 GMT"
    assert resp.ip_address == "127.0.0.1"
    assert resp.payload_digest.startswith("sha1:") and resp.block_digest.startswith("sha1:")
    req = rows["request"]
    assert req.status is None and req.concurrent_to == sample.ids["response"]
    rev = rows["revisit"]
    assert rev.status == 304
    assert rev.revisit_profile == PROFILE_SERVER_NOT_MODIFIED
    assert (rev.refers_to_uri, rev.refers_to_date) == (resp.url, T0)
    assert rev.payload_digest == resp.payload_digest
    assert rev.captured_at == T1
    dom = rows["resource"]
    assert dom.content_type == "text/html; charset=utf-8"
    assert dom.concurrent_to == sample.ids["response"]
    assert dom.refers_to_uri == resp.url
    meta = rows["metadata"]
    assert meta.content_type == FETCH_ERROR_CONTENT_TYPE and meta.status is None
    assert rows["warcinfo"].content_type == "application/warc-fields"


def test_read_http_response_keeps_content_encoding(sample: SampleWarc) -> None:
    rows = {r.record_type: r for r in iter_capture_rows(sample.path)}
    resp = read_http_response(sample.path, rows["response"].warc_offset)
    assert resp.status == 200
    assert resp.url == "http://127.0.0.1:8001/story/a"
    assert resp.date == T0
    assert resp.body == sample.gzip_body  # still gzip, byte for byte
    assert gzip.decompress(resp.body) == PAGE_HTML
    names = [name.lower() for name, _ in resp.headers]
    assert ("Content-Encoding", "gzip") in resp.headers
    assert ("X-Archive-Orig-Transfer-Encoding", "chunked") in resp.headers
    assert "transfer-encoding" not in names


@pytest.mark.parametrize("kind", ["request", "revisit", "metadata"])
def test_read_http_response_rejects_other_records(sample: SampleWarc, kind: str) -> None:
    row = next(r for r in iter_capture_rows(sample.path) if r.record_type == kind)
    with pytest.raises(BadWarc) as err:
        read_http_response(sample.path, row.warc_offset)
    assert sample.path.name in str(err.value) and str(row.warc_offset) in str(err.value)


def test_read_http_response_past_end(sample: SampleWarc) -> None:
    with pytest.raises(BadWarc):
        read_http_response(sample.path, sample.path.stat().st_size)


def test_parse_warc_date_variants() -> None:
    assert parse_warc_date("2024-05-01T12:00:00Z") == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert parse_warc_date("2024-05-01T12:00:00.5Z").microsecond == 500000
    assert parse_warc_date("2024-05-01T12:00:00.123456789Z").microsecond == 123456
    assert parse_warc_date(None) is None
    assert parse_warc_date("yesterday") is None


def test_validators_catch_a_bad_payload_digest(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    with WarcBuilder(path) as w:
        w.warcinfo()
        w.response(
            "http://127.0.0.1:8001/x",
            T0,
            b"hello",
            payload_digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
    ok_warcio, out_warcio = warcio_check(path)
    ok_fastwarc, out_fastwarc = fastwarc_check(path)
    assert not ok_warcio, out_warcio
    assert not ok_fastwarc, out_fastwarc
    with pytest.raises(AssertionError):
        assert_valid_warc(path)


def test_validators_catch_truncation(sample: SampleWarc, tmp_path: Path) -> None:
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(sample.path.read_bytes()[:-1])
    assert warcio_check(cut)[0]  # why verify_warc is part of assert_valid_warc
    with pytest.raises(AssertionError, match="truncated gzip member"):
        assert_valid_warc(cut)


def test_cdxj_index_and_merge(tmp_path: Path) -> None:
    first = write_sample_warc(tmp_path / "demo-1-00000.warc.gz")
    second = write_sample_warc(tmp_path / "demo-2-00001.warc.gz")
    (tmp_path / "demo-3-00002.warc.gz.open").write_bytes(b"half")
    idx = index_warc(first.path)
    assert idx == index_path(first.path) == tmp_path / "demo-1-00000.warc.gz.cdxj"
    lines = idx.read_text().splitlines()
    assert lines == sorted(lines)
    # response, revisit, resource (DOM), metadata; not warcinfo or request
    assert len(lines) == 4
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines]
    offsets = {r.record_id: r.warc_offset for r in iter_capture_rows(first.path)}
    assert {int(e["offset"]) for e in entries} == {
        offsets[first.ids[k]] for k in ("response", "revisit", "dom", "error")
    }
    assert all(e["filename"] == first.path.name for e in entries)

    merged = merge_index(tmp_path)
    text = merged.read_text()
    assert merged == tmp_path / "index.cdxj"
    assert text.splitlines() == sorted(text.splitlines())
    assert len(text.splitlines()) == 8
    assert second.path.name in text and ".open" not in text
    assert merge_index(tmp_path).read_text() == text  # idempotent
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    with pytest.raises(BadWarc):
        index_warc(tmp_path / "demo-3-00002.warc.gz.open")
