"""A crawl killed with SIGKILL at any point resumes without losing or duplicating a page."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import duckdb
import pytest

from crawlers.run import CrawlFailed, run_crawl
from flows.demo_sites import DemoSites
from flows.pipeline import ingest_data_dir
from tests.catalog_queries import query
from tests.processes import alive, children
from tests.warc_validation import assert_valid_warc

pytestmark = pytest.mark.slow

BULK_STORIES = 240


def records_written(data) -> int:
    """Bytes in WARC files so far (closed and open): a cheap progress probe."""
    return sum(p.stat().st_size for p in (data / "warcs").glob("*.warc.gz*"))


def start_crawl(profile, data) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawlers.crawl", "--profile", str(profile), "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(process: subprocess.Popen, data, min_bytes: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while records_written(data) < min_bytes:
        assert process.poll() is None, "crawl finished before it could be killed"
        assert time.monotonic() < deadline, "crawl made no progress"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_crawl_killed_twice_then_resumed_archives_each_page_exactly_once(tmp_path):
    data = tmp_path / "data"
    with DemoSites(bulk_stories=BULK_STORIES) as sites:
        profile = sites.write_profiles(data / "profiles")["bulk"]
        kill_when(start_crawl(profile, data), data, 60_000)
        first_kill = records_written(data)
        kill_when(start_crawl(profile, data), data, first_kill + 200_000)
        resumed = start_crawl(profile, data)
        assert resumed.wait(timeout=300) == 0

    for warc in sorted((data / "warcs").glob("*")):
        assert not warc.name.endswith(".open"), f"{warc.name} left open"
        if warc.name.endswith(".warc.gz"):
            assert_valid_warc(warc)
    ingest_data_dir(data)

    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    urls = Counter(
        url
        for (url,) in con.execute(
            "select url from captures where record_type in ('response', 'revisit')"
        ).fetchall()
    )
    con.close()
    stories = [u for u in urls if "/s/" in u]
    assert len(stories) == BULK_STORIES, "no page is lost"
    twice = {u: n for u, n in urls.items() if n > 1}
    assert twice == {}, "no page is archived twice"


def test_a_crawl_dies_with_the_process_that_started_it(tmp_path):
    # (it then resumes like any killed crawl: the test above)
    data = tmp_path / "data"
    with DemoSites(bulk_stories=4000) as sites:  # long enough not to finish on its own meanwhile
        profile = sites.write_profiles(data / "profiles")["bulk"]
        parent = subprocess.Popen(  # a flow process that runs one crawl, as crawl_task does
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from crawlers.run import run_crawl; run_crawl(Path(sys.argv[1]), Path(sys.argv[2]))",
             str(profile), str(data)],
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while records_written(data) < 60_000:
            assert parent.poll() is None and time.monotonic() < deadline, "no crawl progress"
            time.sleep(0.02)
        [child] = children(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)  # only the parent, not its process group
        parent.wait()
        deadline = time.monotonic() + 3
        while alive(child):
            assert time.monotonic() < deadline, "the crawl outlived the process that started it"
            time.sleep(0.05)
        state = json.loads((data / "jobs" / "demo-bulk" / "state.json").read_text())
        assert state["status"] == "running"  # killed mid-crawl, not finished


def test_a_second_crawl_of_a_site_being_crawled_is_refused_and_harms_nothing(tmp_path):
    data = tmp_path / "data"
    with DemoSites(bulk_stories=BULK_STORIES) as sites:
        profile = sites.write_profiles(data / "profiles")["bulk"]
        first = start_crawl(profile, data)
        deadline = time.monotonic() + 60
        while records_written(data) < 20_000:
            assert first.poll() is None and time.monotonic() < deadline, "no crawl progress"
            time.sleep(0.02)
        with pytest.raises(CrawlFailed, match=rf"already being crawled \(PID {first.pid}"):
            run_crawl(profile, data, timeout=60)
        assert first.wait(timeout=300) == 0  # the first crawl finishes undisturbed

    for warc in sorted((data / "warcs").glob("*.warc.gz")):
        assert_valid_warc(warc)
    ingest_data_dir(data)
    [(stories,)] = query(data, "SELECT count(*) FROM articles")
    assert stories == BULK_STORIES
