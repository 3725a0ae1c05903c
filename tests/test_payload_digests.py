"""Regression fixtures: payload digests of chunked and gzip responses, from exact wire bytes.

The digest must cover the entity body with the transfer coding removed and the content coding
kept (WARC 1.1, WARC-Payload-Digest). Several archivers hash the chunked framing, or the
decompressed body; expected.json records the right digest and both wrong ones.
"""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from flows.pipeline import archive_profiles
from tests.warc_validation import assert_valid_warc

WIRE = Path(__file__).parent / "fixtures" / "wire"
EXPECTED = json.loads((WIRE / "expected.json").read_text())

pytestmark = pytest.mark.slow


class RawWireServer:
    """Answers GET /wire/<name> with the fixture's exact bytes, anything else with 404."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                request = conn.recv(65536).decode("latin-1")
                path = request.split(" ")[1] if " " in request else "/"
                name = path.rsplit("/", 1)[-1]
                fixture = WIRE / f"{name}.http"
                if path.startswith("/wire/") and fixture.exists():
                    conn.sendall(fixture.read_bytes())
                else:
                    conn.sendall(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )

    def close(self) -> None:
        self.sock.close()


def test_chunked_and_gzip_payload_digests_match_the_fixtures(tmp_path):
    server = RawWireServer()
    base = f"http://127.0.0.1:{server.port}"
    profile = tmp_path / "wire.toml"
    profile.write_text(
        'name = "wire"\nallowed_domains = ["127.0.0.1"]\n'
        f"start_urls = {json.dumps([f'{base}/wire/{name}' for name in EXPECTED])}\n"
        "[patterns]\nstories = ['/wire/']\n"
        "[politeness]\ndownload_delay = 0.0\nobey_robots = false\n",
        encoding="utf-8",
    )
    try:
        run = archive_profiles([profile], tmp_path / "data", timeout=120)
    finally:
        server.close()
    assert not run.failures

    import duckdb

    con = duckdb.connect(str(tmp_path / "data" / "archive.duckdb"), read_only=True)
    digests = dict(
        con.execute(
            "select url, payload_digest from captures where record_type in ('response', 'revisit')"
        ).fetchall()
    )
    con.close()
    for name, expected in EXPECTED.items():
        assert digests[f"{base}/wire/{name}"] == expected["payload_digest"], name
    for warc in (tmp_path / "data" / "warcs").glob("*.warc.gz"):
        assert_valid_warc(warc)
