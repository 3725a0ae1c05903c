"""`newsarc crawl` as processes: while one crawls a slow site, a second crawl of it is refused in
one line; the temporary Prefect API it starts answers only its data directory's auth string; and
killed with SIGKILL it leaves no Prefect server (nor crawl) running behind it."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.prefect_env import AUTH_STRING_FILE
from flows.rounds import ArchiveRound, RoundBusy
from tests.processes import alive, children

pytestmark = pytest.mark.slow

NEWSARC = str(Path(sys.executable).parent / "newsarc")


class SlowSite(BaseHTTPRequestHandler):
    """Listings that take 0.3 s each and link to ten more: a crawl that lasts."""

    requested: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.requested.append(self.path)
        if self.path == "/robots.txt":
            status, body = 404, b""
        else:
            time.sleep(0.3)
            here = self.path.rstrip("/").rsplit("/", 1)[-1]
            here = int(here) if here.isdigit() else 0
            links = "".join(f"<a href='/page/{here * 10 + k}'>{k}</a>" for k in range(1, 11))
            status, body = 200, f"<html><body>{links}</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def poll(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.1)
    return value


class Crawling:
    """A `newsarc crawl` process in the middle of crawling, with its server and crawl child."""

    def __init__(self, tmp: Path) -> None:
        self.site = ThreadingHTTPServer(("127.0.0.1", 0), type("Site", (SlowSite,), {}))
        self.site.RequestHandlerClass.requested = []
        threading.Thread(target=self.site.serve_forever, daemon=True).start()
        self.data = tmp / "data"
        self.profile = tmp / "slow-site.toml"
        self.profile.write_text(
            f"""name = "slow-site"
allowed_domains = ["127.0.0.1"]
start_urls = ["http://127.0.0.1:{self.site.server_address[1]}/"]
[patterns]
listings = ['/$', '/page/']
[politeness]
concurrency_per_domain = 1
download_delay = 0.0
autothrottle = false
""",
            encoding="utf-8",
        )
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
        self.log = tmp / "crawl.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.command(), env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def command(self) -> list[str]:
        return [NEWSARC, "crawl", str(self.profile), "--data", str(self.data), "--quiet"]

    @property
    def requested(self) -> list[str]:
        return list(self.site.RequestHandlerClass.requested)

    def wait_until_crawling(self) -> None:
        def started():
            assert self.process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            kids = children(self.process.pid, live_only=True)
            server = [p for p, cmd in kids.items() if "prefect server start" in cmd]
            crawl = [p for p, cmd in kids.items() if "crawlers.crawl" in cmd]
            return server and crawl and len(self.requested) > 2 and (server[0], crawl[0])

        self.server_pid, self.crawl_pid = poll(started, timeout=240, what="crawling")
        cmdline = Path(f"/proc/{self.server_pid}/cmdline").read_bytes().split(b"\0")
        self.api_url = f"http://127.0.0.1:{int(cmdline[cmdline.index(b'--port') + 1])}/api"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in (getattr(self, "server_pid", None), getattr(self, "crawl_pid", None)):
            if pid and alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.site.shutdown()


@pytest.fixture(scope="module")
def crawling(tmp_path_factory):
    """One `newsarc crawl` of a slow site, crawling (~35 s of Prefect start-up, once)."""
    crawl = Crawling(tmp_path_factory.mktemp("lifecycle"))
    try:
        crawl.wait_until_crawling()
        yield crawl
    finally:
        crawl.stop()


def test_a_second_crawl_of_a_site_being_crawled_is_refused_in_one_line(crawling):
    robots_fetches = crawling.requested.count("/robots.txt")
    started = time.monotonic()

    second = subprocess.run(
        crawling.command(), env=crawling.env, capture_output=True, text=True, timeout=120
    )

    assert second.returncode == 1
    [line] = second.stderr.strip().splitlines()
    assert "slow-site.toml already being archived" in line and "retry" in line
    assert time.monotonic() - started < 20, "refused before any Prefect start-up"
    assert crawling.requested.count("/robots.txt") == robots_fetches, "never began a crawl"
    assert crawling.process.poll() is None, "the first crawl goes on"


def test_a_flow_cannot_join_a_round_another_process_is_running(crawling, tmp_path):
    """The flow's own guard, behind the CLI's: the round stays locked while its flow runs."""
    with pytest.raises(RoundBusy, match="already being archived"):
        ArchiveRound.begin(crawling.data, [crawling.profile])
    mine = ArchiveRound.begin(tmp_path, [crawling.profile])  # another data directory is free
    with pytest.raises(RoundBusy):
        ArchiveRound.begin(tmp_path, [crawling.profile])
    mine.release()
    ArchiveRound.begin(tmp_path, [crawling.profile]).release()


def call(url: str, *, auth: str | None = None, origin: str | None = None, method: str = "GET"):
    headers = {}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    if origin is not None:
        headers |= {"Origin": origin, "Access-Control-Request-Method": "POST"}
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers)


def test_the_crawls_temporary_api_needs_the_data_directorys_auth_string(crawling):
    secret = (crawling.data / AUTH_STRING_FILE).read_text(encoding="utf-8").strip()
    flows = f"{crawling.api_url}/flows/filter"

    assert call(flows, method="POST")[0] == 401
    assert call(flows, method="POST", auth=secret)[0] == 200
    status, headers = call(flows, method="OPTIONS", origin="http://127.0.0.3:8000")
    assert status == 400 and "access-control-allow-origin" not in {h.lower() for h in headers}


def test_the_crawl_child_that_starts_the_browser_holds_no_prefect_secret(crawling):
    secret = (crawling.data / AUTH_STRING_FILE).read_bytes().strip()
    environ = Path(f"/proc/{crawling.crawl_pid}/environ").read_bytes()

    assert secret not in environ and b"AUTH_STRING" not in environ


def test_killing_the_crawl_leaves_no_prefect_server_or_crawl_running(crawling):
    os.kill(crawling.process.pid, signal.SIGKILL)  # the CLI process alone, as `kill -9 PID`
    crawling.process.wait()

    poll(lambda: not alive(crawling.server_pid), timeout=15, what="the Prefect server died")
    poll(lambda: not alive(crawling.crawl_pid), timeout=15, what="the crawl child died")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{crawling.api_url}/health", timeout=5)
