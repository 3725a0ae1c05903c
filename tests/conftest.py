"""Shared fixtures: demo sites on loopback, crawls into tmp_path, catalog queries."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# newsarc keeps Prefect's state under each data directory (data/prefect), and a fresh Prefect
# SQLite database takes ~35 s to create on a 2-core machine; the tests make many data directories.
# So each test process shares one temporary PREFECT_HOME on purpose (set before Prefect is first
# imported, inherited by every newsarc process a test starts). Each pytest-xdist worker makes its
# own: two processes creating one database at once would race. An explicit PREFECT_HOME wins.
_SESSION_HOME = "NEWSARC_TEST_SESSION_PREFECT_HOME"
if os.environ.get("PREFECT_HOME", "") in ("", os.environ.get(_SESSION_HOME)):
    os.environ["PREFECT_HOME"] = os.environ[_SESSION_HOME] = tempfile.mkdtemp(
        prefix="newsarc-test-prefect-"
    )
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)

from flows.demo_sites import DemoSites  # noqa: E402
from flows.pipeline import archive_profiles, closed_warcs  # noqa: E402
from tests.catalog_queries import query  # noqa: E402
from tests.warc_validation import assert_valid_warc  # noqa: E402


@pytest.fixture
def sites():
    with DemoSites(slow_seconds=1.0) as demo:
        yield demo


class Archive:
    """A data directory plus helpers to crawl into it and look at the result."""

    def __init__(self, sites: DemoSites, data: Path) -> None:
        self.sites = sites
        self.data = data
        self.profiles = sites.write_profiles(data / "profiles")

    def crawl(self, *names: str):
        run = archive_profiles([self.profiles[n] for n in names], self.data, timeout=300)
        assert not run.failures, run.failures
        return run

    def rows(self, sql: str, *params):
        return query(self.data, sql, *params)

    def warcs(self) -> list[Path]:
        return closed_warcs(self.data)

    def warc_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.warcs())

    def assert_all_valid(self) -> None:
        assert self.warcs(), "no WARC files were written"
        assert not list((self.data / "warcs").glob("*.open")), "a WARC was left open"
        for path in self.warcs():
            assert_valid_warc(path)


@pytest.fixture
def archive(sites, tmp_path) -> Archive:
    return Archive(sites, tmp_path / "data")
