"""The WARC writer: file naming, `.open` while writing, roll-over, warcinfo at every head."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from archive.warc.writer import HttpExchange, WarcWriter, stored_response_headers
from tests.warc_validation import assert_valid_warc

NAME = re.compile(r"^[a-z0-9-]+-\d{20}-\d{5}\.warc\.gz$")


def exchange(n: int, body: bytes = b"") -> HttpExchange:
    return HttpExchange(
        url=f"http://127.0.0.1:9/story/{n}",
        method="GET",
        request_headers=[("User-Agent", "newsarc-test")],
        status=200,
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body or f"<p>story {n}</p>".encode() * 300,
        captured_at=datetime.now(UTC),
        ip_address="127.0.0.1",
    )


def test_files_are_open_while_written_then_renamed_and_rolled_over_by_size(tmp_path):
    writer = WarcWriter(
        tmp_path,
        "Demo Site/../evil",
        max_file_bytes=1_000_000,
        warcinfo_fields={"software": "newsarc-test", "isPartOf": "demo"},
    )
    for n in range(40):
        writer.write_exchange(exchange(n, body=random.Random(n).randbytes(40_000)))
        assert writer.open_path.name.endswith(".warc.gz.open")
    writer.close()

    files = sorted(tmp_path.iterdir())
    assert len(files) > 1, "rolled over past max_file_bytes"
    assert not [f for f in files if f.name.endswith(".open")]
    for path in files:
        assert NAME.match(path.name), path.name
        assert path.name.startswith("demo-site-evil-")
        assert_valid_warc(path)
        with open(path, "rb") as handle:
            records = list(ArchiveIterator(handle))
        assert records[0].rec_type == "warcinfo"
        assert records[0].rec_headers.get_header("WARC-Filename") == path.name


def test_response_and_request_are_linked_and_carry_ip_and_digests(tmp_path):
    writer = WarcWriter(tmp_path, "demo")
    response, request = writer.write_exchange(exchange(1))
    writer.close()
    with open(writer.closed_files[0], "rb") as handle:
        records = {r.rec_headers.get_header("WARC-Record-ID"): r for r in ArchiveIterator(handle)}
    written = records[response.record_id].rec_headers
    assert written.get_header("WARC-IP-Address") == "127.0.0.1"
    assert written.get_header("WARC-Payload-Digest") == response.payload_digest
    assert written.get_header("WARC-Block-Digest")
    linked = records[request.record_id].rec_headers
    assert linked.get_header("WARC-Concurrent-To") == response.record_id


def test_headers_of_a_decoded_body_are_made_to_agree_with_it():
    decoded = HttpExchange(
        url="http://127.0.0.1:9/x",
        method="GET",
        request_headers=[],
        status=200,
        response_headers=[
            ("Content-Encoding", "gzip"),
            ("Content-Length", "20"),
            ("Transfer-Encoding", "chunked"),
        ],
        body=b"hello",
        captured_at=datetime.now(UTC),
        content_decoded=True,
    )
    headers = dict(stored_response_headers(decoded))
    assert "Content-Encoding" not in headers and "Transfer-Encoding" not in headers
    assert headers["X-Archive-Orig-Content-Encoding"] == "gzip"
    assert headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert headers["Content-Length"] == "5"
