"""`newsarc replay`, the real command, over a crawled demo archive: a story replays with both
titles from the link `newsarc history` gives, a JavaScript-rendered story replays with its data
request, the Browsertrix-style records replay too, pywb listens on loopback only, and it stops
with the command (SIGTERM, and SIGKILL of the command leaves no pywb behind)."""

from __future__ import annotations

import json
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.stories.replay_links import replay_base, replay_timestamp, replay_url
from archive.warc.writer import HttpExchange, WarcWriter
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, ingest_data_dir
from flows.replay_server import is_loopback
from tests.catalog_queries import query
from tests.cli_process import NEWSARC, invoke
from tests.processes import alive, children
from tests.replay import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser

STATIC, LIVE = "agi-era-governance", "live-agents"
START_TIMEOUT = 90


@dataclass
class Crawled:
    data: Path
    base_url: str  # the (now stopped) demo aggregator
    titles: dict[str, tuple[str, str]]  # slug -> (English, Chinese) title


@dataclass
class Replay:
    process: subprocess.Popen
    port: int
    base: str  # the collection URL the command printed
    lines: list[str]
    reader: threading.Thread  # done once the command's stdout closed


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Crawled:
    """The demo aggregator crawled once, screenshots on; the site is gone before replay starts,
    so anything that replays came from the WARCs."""
    data = tmp_path_factory.mktemp("replay") / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profile = sites.write_profiles(data / "profiles")["aggregator"]
        with profile.open("a", encoding="utf-8") as toml:
            toml.write("\n[browser]\nscreenshot = true\n")
        run = archive_profiles([profile], data, timeout=300)
        assert not run.failures, run.failures
        titles = {
            slug: (sites.story("aggregator", slug).title["en"],
                   sites.story("aggregator", slug).title["zh"])
            for slug in (STATIC, LIVE)
        }  # fmt: skip
        return Crawled(data, sites.base_url("aggregator"), titles)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_replay(data: Path) -> Replay:
    """`newsarc replay` in its own process, once it has printed where it serves."""
    port = free_port()
    process = subprocess.Popen(
        [str(NEWSARC), "replay", "--data", str(data), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    arrived: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            arrived.put(line)
        arrived.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        line = arrived.get(timeout=max(0.1, deadline - time.monotonic()))
        assert line is not None, f"newsarc replay exited {process.wait()}:\n" + "\n".join(lines)
        if line.startswith("replaying "):
            base = line.rsplit(" at ", 1)[1].strip().rstrip("/")
            return Replay(process, port, base, lines, reader)


def stop(replay: Replay) -> None:
    if replay.process.poll() is None:
        replay.process.kill()
        replay.process.wait()


def listening_addresses(port: int) -> set[str]:
    """The local addresses of every TCP socket listening on `port`, from the kernel's tables."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                # the kernel prints each 32-bit word in host (little-endian) order
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(
                    socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, words)
                )
    return found


@pytest.fixture(scope="module")
def replay(crawled):
    server = start_replay(crawled.data)
    yield server
    stop(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def history_replay_link(crawled: Crawled, replay: Replay, slug: str, path: str) -> str:
    """The replay link `newsarc history` prints for the story's first version."""
    url = f"{crawled.base_url}/{path}/{slug}"
    ran = invoke("history", url, "--data", str(crawled.data), "--format", "json",
                 "--replay-base", replay.base)  # fmt: skip
    assert ran.code == 0, ran.stderr
    link = json.loads(ran.stdout)["versions"][0]["replay_url"]
    assert link.startswith(f"{replay.base}/") and link.endswith(f"/{url}")
    return link


def replayed_page(browser, link: str, title_en: str):
    """Open a replay link as a person would (pywb's frame around the archived page); the
    archived page's frame once its English title shows, and every request the tab made."""
    tab = browser.new_page()
    requests, responses = [], []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("response", lambda response: responses.append((response.url, response.status)))
    tab.goto(link, wait_until="load", timeout=60_000)
    frame = next(f for f in tab.frames if "mp_/" in f.url)
    frame.wait_for_selector(f"h1:has-text({json.dumps(title_en)})", timeout=30_000)
    return tab, frame, requests, responses


def test_a_story_replays_with_both_titles_from_its_history_link(crawled, replay, browser):
    link = history_replay_link(crawled, replay, STATIC, "story")
    title_en, title_zh = crawled.titles[STATIC]
    tab, frame, _, _ = replayed_page(browser, link, title_en)
    try:
        text = frame.inner_text("body")
        assert title_en in text and title_zh in text
    finally:
        tab.close()


def test_a_javascript_rendered_story_replays_with_its_data_request(crawled, replay, browser):
    link = history_replay_link(crawled, replay, LIVE, "live")
    title_en, title_zh = crawled.titles[LIVE]
    tab, frame, requests, responses = replayed_page(browser, link, title_en)
    try:
        assert title_zh in frame.inner_text("body")
        data_request = f"/{crawled.base_url}/api/story/{LIVE}.json"
        assert any(url.endswith(data_request) and status == 200 for url, status in responses)
        server = f"http://127.0.0.1:{replay.port}/"
        assert [url for url in requests if not url.startswith(server)] == [], "all replayed"
    finally:
        tab.close()


def test_the_browser_text_and_screenshot_records_replay_as_browsertrix_names_them(crawled, replay):
    page = f"{crawled.base_url}/live/{LIVE}"
    sql = "SELECT url, captured_at FROM captures WHERE url LIKE ?"
    found = dict(query(crawled.data, sql, f"urn:%:{page}"))
    assert set(found) == {f"urn:{kind}:{page}" for kind in ("dom", "text", "view", "fullPage")}
    replayed = {}
    for kind in ("text", "view", "fullPage"):
        urn = f"urn:{kind}:{page}"
        raw = f"{replay.base}/{replay_timestamp(found[urn])}id_/{urn}"  # id_: the bytes as stored
        with urllib.request.urlopen(raw, timeout=30) as answer:
            replayed[kind] = answer.headers["Content-Type"], answer.read()
    for kind in ("view", "fullPage"):
        content_type, png = replayed[kind]
        assert content_type == "image/png" and png.startswith(b"\x89PNG\r\n"), kind
    content_type, text = replayed["text"]
    assert content_type.startswith("text/plain")
    assert all(title in text.decode("utf-8") for title in crawled.titles[LIVE])


def test_a_warc_ingested_while_replaying_replays_without_a_restart(crawled, replay):
    url = "http://127.0.0.1:1/story/ingested-later"  # never fetched: only its record exists
    captured_at = datetime.now(UTC)
    writer = WarcWriter(crawled.data / "warcs", "later")
    writer.write_exchange(
        HttpExchange(
            url=url, method="GET", request_headers=[], status=200,
            response_headers=[("Content-Type", "text/plain; charset=utf-8")],
            body="后来收录 ingested later".encode(), captured_at=captured_at,
        )
    )  # fmt: skip
    writer.close()
    ingest_data_dir(crawled.data)  # rewrites the merged index.cdxj pywb reads
    raw = f"{replay.base}/{replay_timestamp(captured_at)}id_/{url}"
    with urllib.request.urlopen(raw, timeout=30) as answer:
        assert answer.read().decode("utf-8") == "后来收录 ingested later"


def test_pywb_listens_on_loopback_only(replay):
    assert listening_addresses(replay.port) == {"127.0.0.1"}
    assert is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_replay_links_point_at_newsarc_replay_unless_told_otherwise(monkeypatch):
    at = datetime(2026, 12, 3, 9, 5, 7, 123456, tzinfo=UTC)
    page = "http://127.0.0.1:8701/live/x"
    monkeypatch.delenv("NEWSARC_REPLAY_BASE", raising=False)
    assert replay_url(replay_base(), at, f"urn:dom:{page}") == (
        f"http://127.0.0.1:8080/newsarc/20261203090507/{page}"
    )
    monkeypatch.setenv("NEWSARC_REPLAY_BASE", "http://127.0.0.9:9000/archive/")
    assert replay_url(replay_base(), at, page).startswith("http://127.0.0.9:9000/archive/2026")
    assert replay_base("http://127.0.0.1:1/c") == "http://127.0.0.1:1/c"


def test_missing_pywb_is_a_one_line_error_naming_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSARC_PYWB", str(tmp_path / "no-pywb"))
    error = invoke("replay", "--data", str(tmp_path)).one_line_error()
    assert "pywb is not installed" in error and "run ./run setup" in error


def test_killing_the_command_leaves_no_pywb_behind(crawled):
    server = start_replay(crawled.data)
    try:
        [pywb] = children(server.process.pid)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while alive(pywb) and time.monotonic() < deadline:
            time.sleep(0.05)  # the kernel's SIGKILL is on its way; poll, bounded
        assert not alive(pywb)
    finally:
        stop(server)


def test_sigterm_stops_pywb_and_the_command_cleanly(replay):
    """Last: it stops the module's server."""
    [pywb] = children(replay.process.pid)
    replay.process.send_signal(signal.SIGTERM)
    assert replay.process.wait(timeout=30) == 0
    replay.reader.join(timeout=10)
    assert replay.lines[-1] == "replay stopped"
    assert not alive(pywb)
    assert listening_addresses(replay.port) == set()
