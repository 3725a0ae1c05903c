"""robots.txt answering a server error means "crawl nothing" (RFC 9309 2.3.1.4), and says so."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawlers.run import run_crawl
from flows.pipeline import ingest_data_dir
from tests.catalog_queries import query

pytestmark = pytest.mark.slow

PAGE = b"<html><head><title>Front</title></head><body><a href='/story/one'>one</a></body></html>"


class Site(BaseHTTPRequestHandler):
    """A site whose robots.txt answers `robots_status`; every other path is a page."""

    robots_status = 503
    requested: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.requested.append(self.path)
        status, body = (self.robots_status, b"busy") if self.path == "/robots.txt" else (200, PAGE)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if status != 200 else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve_site(robots_status: int):
    handler = type("ThisSite", (Site,), {"robots_status": robots_status, "requested": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler.requested


def write_profile(directory: Path, port: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "robots-down.toml"
    path.write_text(
        f"""
name = "robots-down"
allowed_domains = ["127.0.0.1"]
start_urls = ["http://127.0.0.1:{port}/"]
[patterns]
stories = ['/story/']
listings = ['/$']
[limits]
retries = 1
timeout_seconds = 10
[politeness]
download_delay = 0.0
autothrottle = false
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("status", "pages_requested"), [(503, set()), (404, {"/", "/story/one"})])
def test_robots_txt_server_error_disallows_the_whole_site(tmp_path, status, pages_requested):
    server, requested = serve_site(status)
    try:
        profile = write_profile(tmp_path / "profiles", server.server_address[1])
        run_crawl(profile, tmp_path / "data", timeout=120)
    finally:
        server.shutdown()

    assert "/robots.txt" in requested
    assert {path for path in requested if path != "/robots.txt"} == pages_requested
    ingest_data_dir(tmp_path / "data")
    errors = query(tmp_path / "data", "SELECT url, error, reason FROM fetch_errors")
    if status == 503:  # the reason is in the catalog: why nothing of the site was archived
        [(url, error, reason)] = errors
        assert url.endswith("/") and error == "robots_disallowed"
        assert "robots.txt" in reason and "HTTP 503" in reason and "RFC 9309" in reason
    else:  # 4xx: no robots.txt, no rules, everything allowed (RFC 9309 2.3.1.3)
        assert errors == []
