"""A crawl killed with SIGKILL at any point resumes without losing or duplicating a page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from flows.pipeline import ingest_data_dir
from tests.sites import DemoSites
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
    import duckdb

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
