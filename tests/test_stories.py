"""One clean row per story, in both languages, from the WARCs of a crawl of the demo sites.

Expected values come from the demo sites' own story data (written by hand in flows/demo_sites), not
from the extractor.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import duckdb
import pytest

from archive.catalog.connection import PUBLIC_TABLES
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, ingest_data_dir, reindex

# One crawl shared by the module: `--dist loadfile` (see ./run) keeps its tests on one worker.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data = tmp_path_factory.mktemp("stories") / "data"
    with DemoSites(slow_seconds=0.5) as sites:
        profiles = sites.write_profiles(data / "profiles")
        run = archive_profiles([profiles["aggregator"], profiles["translated"]], data, timeout=300)
        assert not run.failures
        yield sites, data


def query(data, sql, *params):
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def article_for(data, path_suffix):
    rows = query(
        data,
        "SELECT DISTINCT a.* FROM articles a JOIN article_urls u USING (article_id)"
        " WHERE u.url LIKE ?",
        "%" + path_suffix,
    )
    assert len(rows) == 1, (path_suffix, rows)
    columns = [r[0] for r in query(data, "DESCRIBE articles")]
    return dict(zip(columns, rows[0], strict=True))


def latest_version(data, article_id):
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:
        cursor = con.execute(
            "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version DESC LIMIT 1",
            [article_id],
        )
        columns = [d[0] for d in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))
    finally:
        con.close()


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_every_demo_story_is_exactly_one_article_with_exact_titles(crawled):
    sites, data = crawled
    governance = sites.story("aggregator", "agi-era-governance")
    article = article_for(data, "/story/agi-era-governance")
    assert article["title_en"] == governance.title["en"]
    assert article["title_zh"] == governance.title["zh"]
    assert article["status"] == "live"
    interleaved = sites.story("translated", "frontier-lab-export-rules")
    article = article_for(data, "/articles/frontier-lab-export-rules")
    assert (article["title_en"], article["title_zh"]) == (
        interleaved.title["en"],
        interleaved.title["zh"],
    )
    titles = query(data, "SELECT title_en, count(*) FROM articles GROUP BY 1 HAVING count(*) > 1")
    assert titles == [], "no story is split over two articles"


def test_url_variants_map_to_one_story_with_their_reason(crawled):
    _, data = crawled
    governance = article_for(data, "/story/agi-era-governance")["article_id"]
    reasons = dict(
        query(data, "SELECT url, reason FROM article_urls WHERE article_id = ?", governance)
    )
    by_path = {url.split("/", 3)[3]: reason for url, reason in reasons.items()}
    assert by_path["story/agi-era-governance"] == "canonical"
    assert by_path["amp/story/agi-era-governance"] == "amp"
    mobile = article_for(data, "/m/articles/frontier-lab-export-rules")
    assert mobile["canonical_url"].endswith("/articles/frontier-lab-export-rules")


def test_hreflang_en_and_zh_pages_are_one_story_with_both_languages(crawled):
    sites, data = crawled
    split = [s for s in sites.translated.all() if s.kind == "split" and not s.draft][0]
    en = article_for(data, f"/en/{split.slug}")
    zh = article_for(data, f"/zh/{split.slug}")
    assert en["article_id"] == zh["article_id"]
    assert (en["title_en"], en["title_zh"]) == (split.title["en"], split.title["zh"])


def test_body_tldr_scores_and_faq_land_in_their_own_columns(crawled):
    sites, data = crawled
    governance = sites.story("aggregator", "agi-era-governance")
    version = latest_version(data, article_for(data, "/story/agi-era-governance")["article_id"])
    body_en = norm(" ".join(version["body_en"]))
    body_zh = norm(" ".join(version["body_zh"]))
    for paragraph in governance.paragraphs:
        assert norm(paragraph["en"]) in body_en
        assert norm(paragraph["zh"]) in body_zh
    assert [norm(t) for t in version["tldr_en"]] == [norm(t) for t in governance.tldr["en"]]
    assert [norm(t) for t in version["tldr_zh"]] == [norm(t) for t in governance.tldr["zh"]]
    scores = version["scores"]
    assert set(scores) == {"hot", "quality", "impact"}
    assert all(
        abs(scores[k] - v) <= 1
        for k, v in zip(("hot", "quality", "impact"), governance.scores, strict=True)
    )
    faq = version["faq"]
    assert len(faq) == len(governance.faq)
    for noise in ("ago", "Trending", "views", "更新于"):
        assert noise not in body_en + body_zh


def test_published_and_updated_times_are_right_to_the_minute(crawled):
    sites, data = crawled
    governance = sites.story("aggregator", "agi-era-governance")
    article = article_for(data, "/story/agi-era-governance")
    minute = timedelta(minutes=1)
    assert abs(article["published_at"] - governance.published) < minute
    assert abs(article["updated_at"] - governance.updated) < minute


def test_gbk_page_and_js_rendered_story_are_extracted(crawled):
    sites, data = crawled
    gbk = sites.story("translated", "gbk-story")
    assert article_for(data, "/zh/gbk-story")["title_zh"] == gbk.title["zh"]
    live = sites.story("aggregator", "live-agents")
    article = article_for(data, "/live/live-agents")
    assert (article["title_en"], article["title_zh"]) == (live.title["en"], live.title["zh"])


def snapshot(data):
    """Every public table's rows, in a canonical order (ingest times excluded)."""
    out = {}
    for table in PUBLIC_TABLES:
        rows = query(data, f"SELECT * FROM {table}")
        out[table] = sorted(map(repr, rows))
    return out


def test_ingesting_twice_and_reindexing_give_the_same_database(crawled):
    _, data = crawled
    before = snapshot(data)
    ingest_data_dir(data)
    assert snapshot(data) == before, "a second ingest changes nothing"
    reindex(data)
    assert snapshot(data) == before, "reindex from the WARCs equals the incremental ingest"


def article_ids_by_path(sites, data) -> dict[tuple[str, str], str]:
    """(site, normalised path) -> article_id, for every URL the archive tied to a story."""
    from archive.stories.dedup.urls import normalize_url

    hosts = {sites.base_url(s).split("//")[1]: s for s in ("aggregator", "translated")}
    found = {}
    for url, aid in query(data, "SELECT url, article_id FROM article_urls"):
        host, _, rest = normalize_url(url).split("//")[1].partition("/")
        if host in hosts:
            found[(hosts[host], "/" + rest)] = aid
    return found


def story_name_to_article(sites, data, name: str) -> str:
    from archive.stories.dedup.urls import normalize_url

    site, path = name.split(":", 1)
    key = normalize_url(sites.base_url(site) + path)
    return article_ids_by_path(sites, data)[(site, "/" + key.split("//")[1].partition("/")[2])]


def test_every_url_variant_of_a_demo_story_maps_to_that_one_story(crawled):
    from archive.stories.dedup.urls import normalize_url
    from flows.demo_sites.expectations import LIVE_STORY_COUNT, SAME_STORY_URL_PATHS

    sites, data = crawled
    found = article_ids_by_path(sites, data)
    for name, paths in SAME_STORY_URL_PATHS.items():
        site = name.split(":")[0]
        ids = set()
        for path in paths:
            key = normalize_url(sites.base_url(site) + path)
            normalised = "/" + key.split("//")[1].partition("/")[2]
            if (site, normalised) in found:
                ids.add(found[(site, normalised)])
        assert len(ids) == 1, (name, ids)
    for site, count in LIVE_STORY_COUNT.items():
        stories = {aid for (s, path), aid in found.items() if s == site and "/fault/" not in path}
        assert len(stories) == count, site


def test_syndicated_copy_is_a_near_duplicate_and_a_topic_sibling_is_not(crawled):
    from flows.demo_sites.expectations import NOT_DUPLICATES, SYNDICATED

    sites, data = crawled
    pairs = {
        frozenset((a, b)): similarity
        for a, b, similarity in query(
            data, "SELECT article_id, copy_of, similarity FROM near_duplicates"
        )
    }
    copy, original = (story_name_to_article(sites, data, n) for n in SYNDICATED)
    assert pairs.get(frozenset((copy, original)), 0) >= 0.8
    for a, b in NOT_DUPLICATES:
        pair = frozenset(story_name_to_article(sites, data, n) for n in (a, b))
        assert pair not in pairs
