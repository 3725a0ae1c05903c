"""Crawling the demo sites into WARC: what is archived, what is never requested, what fails well."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc.digests import payload_digest

pytestmark = pytest.mark.slow


def sitemap_story_urls(sites, site: str, sitemap_path: str) -> set[str]:
    with urllib.request.urlopen(sites.base_url(site) + sitemap_path) as answer:
        xml = answer.read().decode("utf-8")
    return set(re.findall(r"<loc>([^<]+)</loc>", xml))


def archived_urls(archive, *, status: int = 200) -> set[str]:
    rows = archive.rows(
        "select distinct url from captures where record_type in ('response', 'revisit')"
        " and status = ?",
        status,
    )
    return {url for (url,) in rows}


def requested_paths(sites, site: str) -> list[str]:
    return [entry["path"] for entry in sites.request_log if entry["site"] == site]


def test_first_crawl_archives_every_story_of_both_sites_in_valid_warcs(archive, sites):
    archive.crawl("aggregator", "translated")

    archive.assert_all_valid()
    archived = archived_urls(archive)
    expected = sitemap_story_urls(sites, "aggregator", "/sitemap-stories.xml")
    expected |= sitemap_story_urls(sites, "translated", "/sitemap-1.xml")
    assert expected, "the demo sitemaps list stories"
    assert expected <= archived, sorted(expected - archived)
    (captures,) = archive.rows("select count(*) from captures")[0]
    assert captures > 2 * len(expected)


def test_robots_disallowed_and_off_site_links_are_never_requested(archive, sites):
    archive.crawl("aggregator", "translated")

    assert not [p for p in requested_paths(sites, "aggregator") if p.startswith("/private/")]
    assert not [p for p in requested_paths(sites, "translated") if p.startswith("/drafts/")]
    off_site = archive.rows("select url from captures where url like '%.invalid%'")
    off_site += archive.rows("select url from fetch_errors where url like '%.invalid%'")
    assert off_site == []
    robots = archive.rows("select url from fetch_errors where error = 'robots_disallowed'")
    assert robots, "robots-disallowed links are recorded as such"


def test_every_injected_fault_is_recovered_or_recorded_with_a_reason(archive, sites):
    archive.crawl("aggregator")
    base = sites.base_url("aggregator")
    archived = archived_urls(archive)
    errors = {
        url: (error, reason)
        for url, error, reason in archive.rows("select url, error, reason from fetch_errors")
    }

    for recovered in ("flaky", "rate-limited", "slow", "malformed"):
        assert f"{base}/fault/{recovered}" in archived, recovered
    statuses = {
        s
        for (s,) in archive.rows(
            "select status from captures where url = ? and record_type = 'response'",
            f"{base}/fault/flaky",
        )
    }
    assert {503, 200} <= statuses, "the 503s before the success are archived too"
    assert errors[f"{base}/fault/reset"][0] == "connection"
    assert errors[f"{base}/fault/truncated"][0] in ("truncated", "connection")
    assert errors[f"{base}/fault/huge"][0] == "too_large"
    assert errors[f"{base}/fault/bomb"][0] == "too_large"
    assert all(reason for _, reason in errors.values())
    archive.assert_all_valid()


def test_retry_after_is_honoured(archive, sites):
    archive.crawl("aggregator")
    times = [
        e["time"]
        for e in sites.request_log
        if e["site"] == "aggregator" and e["path"] == "/fault/rate-limited"
    ]
    assert len(times) == 2
    assert times[1] - times[0] >= 1.0


def test_gzip_chunked_story_is_stored_as_sent_with_a_matching_payload_digest(archive, sites):
    archive.crawl("aggregator")
    story = sites.base_url("aggregator") + "/story/agi-era-governance"
    (warc_file, offset) = archive.rows(
        "select warc_file, warc_offset from captures"
        " where url = ? and record_type = 'response' and status = 200",
        story,
    )[0]
    with open(archive.data / "warcs" / warc_file, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        payload = record.raw_stream.read()
    headers = record.http_headers
    assert headers.get_header("Content-Encoding") == "gzip"
    assert headers.get_header("Transfer-Encoding") is None, "the body is stored de-chunked"
    assert headers.get_header("Content-Length") in (None, str(len(payload)))
    assert payload[:2] == b"\x1f\x8b", "the body is stored compressed, as it came"
    assert record.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(payload)
    assert payload_digest(gzip.decompress(payload)) != payload_digest(payload)


def test_js_story_is_rendered_in_chromium_with_every_subresource_archived(archive, sites):
    run = archive.crawl("aggregator")
    base = sites.base_url("aggregator")
    page = f"{base}/live/live-agents"
    resources = archive.rows(
        "select url, warc_file, warc_offset from captures where record_type = 'resource'"
    )
    assert [r for r in resources if r[0] == f"urn:dom:{page}"]
    archived = archived_urls(archive)
    assert page in archived
    assert f"{base}/static/live.js" in archived
    assert f"{base}/api/story/live-agents.json" in archived
    _, warc_file, offset = next(r for r in resources if r[0].endswith(page))
    with open(archive.data / "warcs" / warc_file, "rb") as handle:
        handle.seek(offset)
        dom = next(iter(ArchiveIterator(handle))).content_stream().read().decode("utf-8")
    story = sites.story("aggregator", "live-agents")
    assert story.title["en"] in dom
    assert story.title["zh"] in dom
    stats = run.crawls[0].stats
    assert stats.get("playwright/request_count/aborted", 0) >= 1, "off-site tracker blocked"


def test_unchanged_recrawl_costs_304s_and_under_a_tenth_of_the_bytes(archive, sites):
    archive.crawl("translated")
    first = archive.warc_bytes()
    stories = sitemap_story_urls(sites, "translated", "/sitemap-1.xml")

    archive.crawl("translated")
    added = archive.warc_bytes() - first

    assert added < 0.10 * first, (added, first)
    second_run = archive.rows(
        "select url, record_type, revisit_profile from captures where run_id = ("
        " select run_id from captures where record_type = 'warcinfo'"
        " order by captured_at desc limit 1) and record_type in ('response', 'revisit')"
    )
    by_url = {url: (kind, profile) for url, kind, profile in second_run}
    for url in stories:
        assert by_url[url][0] == "revisit", url
    archive.assert_all_valid()


def test_noisy_site_still_gets_conditional_requests(archive, sites):
    archive.crawl("aggregator")
    sites.clear_request_log()
    archive.crawl("aggregator")
    story_requests = [
        e
        for e in sites.request_log
        if e["site"] == "aggregator" and e["path"].startswith("/story/")
    ]
    assert story_requests
    assert all("if-none-match" in e["headers"] for e in story_requests)
