"""The Prefect flows over the pipeline: fan-out over the demo sites, and one site down."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile

import pytest

# Prefect reads its settings from the environment; keep its home (SQLite database, profiles)
# out of ~/.prefect and its logs quiet. Prefect reads the environment once, when it is first
# imported, so this must run before the imports below.
if "PREFECT_HOME" not in os.environ:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsarc-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect.artifacts import Artifact  # noqa: E402
from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from flows.prefect_flows import (  # noqa: E402
    archive_all,
    crawl_site,
    export_flow,
    reindex_flow,
    verify_archive,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def prefect_api():
    """One temporary Prefect API (fresh SQLite database) for this module's flow runs."""
    with prefect_test_harness(server_startup_timeout=60):
        yield


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_archive_all_on_the_demo_sites(archive):
    profiles = [archive.profiles["aggregator"], archive.profiles["translated"]]

    summary = archive_all(profiles, archive.data, max_parallel=2, timeout=300).to_dict()

    assert sorted(summary["sites"]) == ["demo-aggregator", "demo-translated"]
    assert not summary["failed_sites"]
    archive.assert_all_valid()
    assert summary["warc_files"] >= 2 and summary["warc_bytes"] > 0
    assert summary["verify"]["ok"]
    [(articles,)] = archive.rows("SELECT count(*) FROM articles")
    assert articles > 0
    assert (
        summary["new_stories"]
        == archive.rows("SELECT count(*) FROM changes WHERE kind = 'new'")[0][0]
    )
    artifact = Artifact.get("archive-all")
    assert artifact is not None
    assert "pages fetched" in artifact.data and "new stories" in artifact.data
    assert "- new: [" in artifact.data and "](http://127.0.0." in artifact.data  # linked stories
    assert {row["site"] for row in summary["per_site"]} == set(summary["sites"])
    # the finished round's cached crawls are dropped: nothing could ask for them again
    assert not list((archive.data / "prefect-results").glob("crawl-*"))

    # crawl_site again on one site: an incremental crawl, nothing new, every page a 304
    [(captures_before,)] = archive.rows("SELECT count(*) FROM captures")
    again = crawl_site(archive.profiles["translated"], archive.data, timeout=120).to_dict()
    assert again["sites"] == ["demo-translated"]
    assert again["new_stories"] == 0 and again["responses"] == 0
    assert again["not_modified_304"] > 0
    assert archive.rows("SELECT count(*) FROM articles")[0][0] == articles
    assert archive.rows("SELECT count(*) FROM captures")[0][0] > captures_before
    assert "304 not modified" in Artifact.get("crawl-demo-translated").data


def test_one_site_down_fails_the_run_naming_it(archive, tmp_path):
    down = tmp_path / "down-site.toml"
    down.write_text(
        "\n".join(
            [
                'name = "down-site"',
                'allowed_domains = ["127.0.0.1"]',
                f'start_urls = ["http://127.0.0.1:{_closed_port()}/"]',
                "[limits]",
                "retries = 0",
                "timeout_seconds = 2",
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    state = archive_all(
        [down, archive.profiles["translated"]],
        archive.data,
        timeout=120,
        crawl_retries=0,
        return_state=True,
    )

    assert state.is_failed()
    assert "down-site" in state.message and str(down) in state.message
    assert "no response" in state.message
    assert "demo-translated" not in state.message
    # the healthy site was still crawled and ingested
    sites = {row[0] for row in archive.rows("SELECT DISTINCT profile FROM captures")}
    assert "demo-translated" in sites
    [(articles,)] = archive.rows("SELECT count(*) FROM articles")
    assert articles > 0
    # the down site's failure is archived too: its fetch errors are in the catalog
    assert archive.rows("SELECT count(*) FROM fetch_errors WHERE profile = 'down-site'")[0][0] > 0
    artifact = Artifact.get("archive-all")
    assert artifact is not None and "down-site" in artifact.data

    # the thin wrappers: reindex gives the same catalog, export writes the tables
    [(captures,)] = archive.rows("SELECT count(*) FROM captures")
    assert reindex_flow(archive.data)["records_added"] == captures
    assert archive.rows("SELECT count(*) FROM captures")[0][0] == captures
    written = export_flow(archive.data, tmp_path / "export")
    assert (tmp_path / "export" / "captures.parquet").exists() and len(written) >= 2


def test_verify_archive_names_the_damaged_file(archive):
    archive.crawl("translated")
    report = verify_archive(archive.data).to_dict()
    assert report["ok"] and report["files"] == len(archive.warcs())
    [(captures,)] = archive.rows("SELECT count(*) FROM captures")
    assert report["records"] == captures

    damaged = archive.warcs()[0]
    content = bytearray(damaged.read_bytes())
    content[len(content) // 2] ^= 0xFF  # one flipped bit in the middle of a record
    damaged.write_bytes(bytes(content))
    state = verify_archive(archive.data, return_state=True)

    assert state.is_failed()
    assert damaged.name in state.message
    assert "size or sha256 differs" in state.message  # the catalog's fixity check
    assert damaged.name in Artifact.get("verify-archive").data
