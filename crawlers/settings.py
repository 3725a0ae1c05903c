"""Scrapy settings for one crawl, derived from a site profile: polite and safe by default."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from archive.warc.records import (
    WARCINFO_EXTRACT_RULES,
    WARCINFO_PAGE_PATTERNS,
    WARCINFO_PROFILE,
    WARCINFO_RUN_ID,
)
from crawlers.browser import browser_settings
from crawlers.job import CrawlJob
from crawlers.network_scope import NetworkScope
from crawlers.profile import SiteProfile
from crawlers.snapshot import ArchiveSnapshot

RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]


def newsarc_version() -> str:
    try:
        return version("newsarc")
    except Exception:
        return "0+unknown"


def warcinfo_fields(profile: SiteProfile, run_id: str) -> dict[str, str]:
    fields = {
        "software": f"newsarc/{newsarc_version()} (Scrapy, warcio)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        WARCINFO_PROFILE: profile.name,
        "robots": "obey" if profile.politeness.obey_robots else "ignore",
        "http-header-user-agent": profile.politeness.user_agent,
        WARCINFO_RUN_ID: run_id,
        # The page patterns travel with the archive, so stories can be told from listings when
        # rebuilding the catalog from the WARCs alone.
        WARCINFO_PAGE_PATTERNS: json.dumps(
            {"stories": profile.patterns.stories, "listings": profile.patterns.listings},
            separators=(",", ":"),
        ),
    }
    if profile.extract:
        # So do the extraction rules: a reindex extracts each file as its crawl meant it to.
        fields[WARCINFO_EXTRACT_RULES] = json.dumps(profile.extract, separators=(",", ":"))
    return {**fields, **profile.warcinfo}


ARCHIVING_MIDDLEWARES = {
    "crawlers.resume.ResumeFromArchiveMiddleware": 50,
    "crawlers.conditional.ConditionalRequestMiddleware": 595,
    "crawlers.recording.WarcRecorderMiddleware": 950,
}


def crawl_settings(
    profile: SiteProfile,
    *,
    data_dir: Path,
    job: CrawlJob,
    snapshot: ArchiveSnapshot,
    record: bool = True,
) -> dict:
    """Settings for crawling `profile`; `record=False` is the same crawl without WARC output
    (benchmarks compare the two)."""
    polite, limits = profile.politeness, profile.limits
    archiving = ARCHIVING_MIDDLEWARES if record else {}
    return {
        "BOT_NAME": "newsarc",
        "USER_AGENT": polite.user_agent,
        "ROBOTSTXT_OBEY": polite.obey_robots,
        "CONCURRENT_REQUESTS": max(8, polite.concurrency_per_domain * 2),
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency_per_domain,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        # Spider output is a handful of requests per page; Scrapy's default of 100 parallel
        # output iterators per response cost ~13% of crawl CPU in benchmarks/crawl_throughput.
        "CONCURRENT_ITEMS": 16,
        "DOWNLOAD_DELAY": polite.download_delay,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle,
        "AUTOTHROTTLE_START_DELAY": polite.download_delay,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(polite.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": limits.timeout_seconds,
        "DOWNLOAD_MAXSIZE": limits.max_body_bytes,
        "DOWNLOAD_WARNSIZE": limits.max_body_bytes // 2,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
        "DEPTH_LIMIT": limits.max_depth,
        "CLOSESPIDER_PAGECOUNT": limits.max_pages,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": limits.retries,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "NEWSARC_MAX_RETRY_AFTER": limits.max_retry_after_seconds,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        **browser_settings(profile),
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawlers.robots.RobotsTxtMiddleware": 100,  # robots.txt 5xx: crawl nothing
            "crawlers.backoff.BackoffRetryMiddleware": 550,
            **archiving,
            "crawlers.scope_guard.ScopeGuardMiddleware": 990,
        },
        "ITEM_PIPELINES": {"crawlers.failures.FetchFailureArchiver": 100} if record else {},
        "EXTENSIONS": {"crawlers.progress_file.CrawlProgress": 500},
        "NEWSARC_PROGRESS_INTERVAL": 1.0,
        "NEWSARC_WARC_DIR": str(data_dir / "warcs"),
        "NEWSARC_WARC_PREFIX": profile.warc_prefix,
        "NEWSARC_WARC_MAX_BYTES": profile.warc.max_file_bytes,
        "NEWSARC_WARCINFO": warcinfo_fields(profile, job.run_id),
        "NEWSARC_BROWSER_SCREENSHOT": profile.browser.screenshot,
        "NEWSARC_JOB": job,
        "NEWSARC_SNAPSHOT": snapshot,
        "NEWSARC_NETWORK_SCOPE": NetworkScope.of(profile),
    }
