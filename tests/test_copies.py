"""A copy is not the original: a partner's syndicated page whose rel=canonical names a story of
another site is a story of its own, recorded as a copy, and never versions the original."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.writer import HttpExchange, WarcWriter
from flows.pipeline import ingest_data_dir, reindex
from tests.catalog_queries import query, story_tables

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ORIGINAL = "http://127.0.0.41:8041/story/chip-export-rules"
COPY = "http://127.0.0.42:8042/syndicated/chip-export-rules"
PROFILES = {"a": "wire-a", "b": "partner-b", "c": "wire-a-zh"}
PATTERNS = json.dumps({"stories": ["/story/", "/syndicated/"], "listings": []})

TITLE = "Commerce tightens export rules for advanced AI chips"
PARAGRAPHS = [
    "The Commerce Department on Tuesday tightened its rules on exports of advanced AI chips, "
    "adding a licence requirement for shipments of accelerators to data centres in a further "
    "twenty countries and closing a loophole that let subsidiaries order chips abroad.",
    "Officials said the change follows months of reports that restricted processors reached "
    "barred buyers through resellers in third countries, often hidden inside server racks "
    "declared as ordinary networking equipment at customs.",
    "Chip makers have ninety days to comply. Two of the largest said they expect little effect "
    "on this year's revenue, while analysts warned that cloud providers building abroad could "
    "delay projects until their licences are granted.",
    "Industry groups asked for a public comment period and for a clearer test of which data "
    "centres count as serving restricted buyers, saying the present wording leaves operators "
    "guessing about their obligations and invites inconsistent enforcement.",
]
INTRO = "This story first appeared on Wire A and is republished here under a partner agreement."
NEW_INTRO = "Republished from Wire A. Our analysis of what the rules mean for buyers follows soon."


def page(title: str, paragraphs: list[str], canonical: str, furniture: str) -> bytes:
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{canonical}"></head><body>
<header><nav><a href="/">{furniture}</a> <a href="/tech">Tech</a> <a href="/policy">Policy</a>
</nav></header><main><article><h1>{title}</h1>
<time datetime="2026-11-20T07:30:00Z">20 November 2026</time>
{body}
</article></main><footer><p>{furniture} &copy; 2026. All rights reserved.</p></footer>
</body></html>""".encode()


ORIGINAL_PAGE = page(TITLE, PARAGRAPHS, ORIGINAL, "Wire A")
COPY_PAGE = page(TITLE, [INTRO, *PARAGRAPHS], ORIGINAL, "Partner B Daily")
CHANGED_COPY_PAGE = page(TITLE, [NEW_INTRO, *PARAGRAPHS], ORIGINAL, "Partner B Daily")


def crawl(where: Path, site: str, run: int, url: str, body: bytes, at: datetime) -> Path:
    """One crawl run's WARC file: the site's profile in its warcinfo, one captured story page."""
    fields = {
        "software": "newsarc tests/test_copies.py",
        "format": "WARC File Format 1.1",
        "isPartOf": PROFILES[site],
        "newsarc-run-id": f"{site}-{run}",
        "newsarc-page-patterns": PATTERNS,
    }
    writer = WarcWriter(where, f"{PROFILES[site]}-{run}", warcinfo_fields=fields)
    host = url.split("/")[2]
    try:
        writer.write_exchange(
            HttpExchange(
                url=url,
                method="GET",
                request_headers=[("Host", host)],
                status=200,
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body,
                captured_at=at,
            )
        )
    finally:
        writer.close()
    return writer.closed_files[-1]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """A's story crawled twice unchanged; B's copy crawled twice, its intro changed between."""
    where = tmp_path_factory.mktemp("crawls")
    return {
        "a1": crawl(where, "a", 1, ORIGINAL, ORIGINAL_PAGE, T0),
        "b1": crawl(where, "b", 1, COPY, COPY_PAGE, T0 + timedelta(hours=1)),
        "a2": crawl(where, "a", 2, ORIGINAL, ORIGINAL_PAGE, T0 + timedelta(hours=2)),
        "b2": crawl(where, "b", 2, COPY, CHANGED_COPY_PAGE, T0 + timedelta(hours=3)),
    }


def ingest_in_turn(runs: dict[str, Path], data: Path, batches: list[list[str]]) -> None:
    """Copy each batch of crawl files into the archive and ingest it, batch after batch."""
    (data / "warcs").mkdir(parents=True, exist_ok=True)
    for batch in batches:
        for name in batch:
            shutil.copy2(runs[name], data / "warcs" / runs[name].name)
        ingest_data_dir(data)


def article_of(data: Path, url: str) -> tuple[str, str]:
    [(article_id, site)] = query(
        data,
        "SELECT a.article_id, a.site FROM articles a JOIN article_urls u USING (article_id) "
        "WHERE u.url = ?",
        url,
    )
    return article_id, site


def assert_copy_kept_apart(data: Path, copy_versions: int) -> None:
    original, original_site = article_of(data, ORIGINAL)
    copy, copy_site = article_of(data, COPY)
    assert original != copy
    assert (original_site, copy_site) == ("wire-a", "partner-b")
    # The original has one version and one change, however the copy's crawls interleave.
    assert query(data, "SELECT version FROM article_versions WHERE article_id = ?", original) == [
        (1,)
    ]
    assert query(data, "SELECT kind FROM changes WHERE article_id = ?", original) == [("new",)]
    assert query(data, "SELECT url FROM article_urls WHERE article_id = ?", original) == [
        (ORIGINAL,)
    ]
    assert query(data, "SELECT url, reason FROM article_urls WHERE article_id = ?", copy) == [
        (COPY, "canonical")
    ]
    [(versions,)] = query(data, "SELECT version_count FROM articles WHERE article_id = ?", copy)
    assert versions == copy_versions
    [(similarity, *pair)] = query(
        data, "SELECT similarity, article_id, copy_of, reason, site FROM near_duplicates"
    )
    assert pair == [copy, original, "canonical", "partner-b"]
    assert 0.6 < similarity < 1.0


@pytest.mark.parametrize(
    "batches",
    [
        [["a1"], ["b1"], ["a2"], ["b2"]],  # as crawled
        [["b1"], ["a1"], ["b2"], ["a2"]],  # the copy's files first
        [["b2"], ["b1"], ["a2"], ["a1"]],  # newest first: every story replayed
        [["a1", "b1"], ["a2", "b2"]],
    ],
    ids=["as-crawled", "copy-first", "newest-first", "paired"],
)
def test_a_partners_canonical_copy_never_versions_the_original(runs, tmp_path, batches):
    data = tmp_path / "data"
    ingest_in_turn(runs, data, batches)
    assert_copy_kept_apart(data, copy_versions=2)
    incremental = story_tables(data)
    reindex(data)
    assert story_tables(data) == incremental


def test_crawling_only_the_original_after_its_copy_changes_nothing(runs, tmp_path):
    data = tmp_path / "data"
    ingest_in_turn(runs, data, [["a1"], ["b1"]])
    assert_copy_kept_apart(data, copy_versions=1)
    before = story_tables(data)
    ingest_in_turn(runs, data, [["a2"]])
    after = story_tables(data)
    # the new look only moves when the original was last seen
    assert after["article_versions"] == before["article_versions"]
    assert after["changes"] == before["changes"]
    assert after["near_duplicates"] == before["near_duplicates"]


def test_a_copy_captured_before_its_original_is_still_the_copy(runs, tmp_path):
    # Its text alone would make the earlier page the original; its rel=canonical says otherwise.
    early = crawl(tmp_path / "crawls", "b", 0, COPY, COPY_PAGE, T0 - timedelta(hours=1))
    data = tmp_path / "data"
    ingest_in_turn({**runs, "b0": early}, data, [["b0"], ["a1"]])
    assert_copy_kept_apart(data, copy_versions=1)


# -- a publisher's two editions on two domains ---------------------------------------------------
EDITION_EN = "http://127.0.0.41:8041/story/chip-export-rules-en"
EDITION_ZH = "http://127.0.0.43:8043/story/chip-export-rules-zh"
TITLE_ZH = "美国商务部收紧先进人工智能芯片出口规则"
PARAGRAPHS_ZH = [
    "美国商务部周二收紧了先进人工智能芯片的出口规则，要求向另外二十个国家的数据中心运送加速器"
    "时必须申请许可证，并堵住了允许子公司在海外订购芯片的漏洞。",
    "官员表示，此前数月不断有报道称，受限处理器经由第三国的经销商流向被禁止的买家，"
    "而且常常藏在报关时申报为普通网络设备的服务器机架中。",
    "芯片制造商有九十天时间完成合规。两家最大的厂商表示预计对今年收入影响不大，"
    "但分析人士警告，在海外建设数据中心的云服务商可能会推迟项目，直到获得许可。",
]


def edition(lang: str, title: str, paragraphs: list[str], url: str) -> bytes:
    body = "\n".join(f"<p>{text}</p>" for text in paragraphs)
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{url}">
<link rel="alternate" hreflang="en" href="{EDITION_EN}">
<link rel="alternate" hreflang="zh-Hans" href="{EDITION_ZH}"></head><body>
<main><article><h1>{title}</h1>{body}</article></main></body></html>""".encode()


def test_two_editions_that_name_each_other_across_sites_are_one_story(tmp_path):
    where = tmp_path / "crawls"
    en = edition("en", TITLE, PARAGRAPHS, EDITION_EN)
    zh = edition("zh-Hans", TITLE_ZH, PARAGRAPHS_ZH, EDITION_ZH)
    runs = {
        "en1": crawl(where, "a", 1, EDITION_EN, en, T0),
        "zh1": crawl(where, "c", 1, EDITION_ZH, zh, T0 + timedelta(minutes=5)),
        "en2": crawl(where, "a", 2, EDITION_EN, en, T0 + timedelta(hours=1)),
    }
    tables = []
    for order in (["en1", "zh1", "en2"], ["zh1", "en1", "en2"]):
        data = tmp_path / "-".join(order)
        ingest_in_turn(runs, data, [[name] for name in order[:2]])
        [(title_en, title_zh)] = query(data, "SELECT title_en, title_zh FROM articles")
        assert (title_en, title_zh) == (TITLE, TITLE_ZH)
        assert query(data, "SELECT count(*) FROM near_duplicates") == [(0,)]
        changes = query(data, "SELECT count(*) FROM changes")
        ingest_in_turn(runs, data, [order[2:]])  # the English site alone, unchanged
        assert query(data, "SELECT count(*) FROM changes") == changes
        tables.append(story_tables(data))
        reindex(data)
        assert story_tables(data) == tables[-1]
    assert tables[0] == tables[1]
