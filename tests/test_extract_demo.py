"""Extraction on pages fetched from the demo sites, checked against the sites' own story model."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest

from archive.stories.extract import extract
from flows.demo_sites import DemoSites


@pytest.fixture(scope="module")
def sites():
    with DemoSites() as running:
        yield running


def fetch(sites, site: str, path: str):
    url = sites.base_url(site) + path
    with urllib.request.urlopen(url, timeout=10) as response:
        return url, response.read(), dict(response.headers)


def capture(sites, site: str, path: str):
    url, body, headers = fetch(sites, site, path)
    return extract(url, body, sites.clock.now(), headers)


def minute(moment):
    return moment.replace(second=0, microsecond=0)


def test_aggregator_story_fields_land_in_their_own_columns(sites):
    model = sites.story("aggregator", "agi-era-governance")
    story = capture(sites, "aggregator", "/story/agi-era-governance")
    assert story.title_en == model.title["en"]
    assert story.title_zh == model.title["zh"]
    assert story.summary_en == model.dek["en"] and story.summary_zh == model.dek["zh"]
    assert story.tldr_en == model.tldr["en"] and story.tldr_zh == model.tldr["zh"]
    assert story.body_en == [p["en"] for p in model.paragraphs]
    assert story.body_zh == [p["zh"] for p in model.paragraphs]
    assert story.paragraph_pairs == [(p["en"], p["zh"]) for p in model.paragraphs]
    assert story.key_data == model.key_data
    assert story.faq == [
        {
            "question_en": f["q"]["en"],
            "answer_en": f["a"]["en"],
            "question_zh": f["q"]["zh"],
            "answer_zh": f["a"]["zh"],
        }
        for f in model.faq
    ]
    assert story.tags == model.tags and story.author == model.author
    # Scores wobble by one point per request on this site; each is the model's value +-1.
    assert set(story.scores) == {"hot", "quality", "impact"}
    for got, base in zip(story.scores.values(), model.scores, strict=True):
        assert abs(got - base) <= 1


def test_aggregator_times_are_right_to_the_minute(sites):
    model = sites.story("aggregator", "agi-era-governance")
    story = capture(sites, "aggregator", "/story/agi-era-governance")
    assert minute(story.published_at) == minute(model.published)
    assert minute(story.updated_at) == minute(model.updated)
    assert story.published_at.utcoffset() == timedelta(0)


def test_relative_update_time_is_resolved_at_capture_time(sites):
    """Without machine-readable dates, "Updated 2h ago" counts back from the WARC-Date."""
    url, body, headers = fetch(sites, "aggregator", "/story/agi-era-governance")
    text = body.decode("utf-8")
    for marker in ('<script type="application/ld+json">', '<meta property="article:'):
        while marker in text:
            start = text.index(marker)
            end = text.index("</script>" if "script" in marker else ">", start) + 9
            text = text[:start] + text[end:]
    captured_at = sites.clock.now() + timedelta(days=30)  # a capture read back much later
    later = sites.clock.now()
    story = extract(url, text.encode("utf-8"), later, headers)
    model = sites.story("aggregator", "agi-era-governance")
    assert minute(story.updated_at) == minute(model.updated)
    assert minute(story.published_at) == minute(model.published)
    shifted = extract(url, text.encode("utf-8"), captured_at, headers)
    assert shifted.updated_at - story.updated_at == timedelta(days=30)


def test_noise_never_lands_in_the_body(sites):
    story = capture(sites, "aggregator", "/story/agi-era-governance")
    body = "\n".join(story.body_en + story.body_zh)
    for noise in ("ago", "Updated", "更新于", "小时前", "Trending", "热门", "Comments", "Hot 热度"):
        assert noise not in body
    for paragraph in story.body_en + story.body_zh:
        assert not paragraph.strip().isdigit()
    trending = sites.story("aggregator", "cloud-export-battleground").title["en"]
    assert trending not in body


def test_interleaved_translation_is_aligned_paragraph_by_paragraph(sites):
    model = sites.story("translated", "frontier-lab-export-rules")
    story = capture(sites, "translated", "/articles/frontier-lab-export-rules")
    assert (story.title_en, story.title_zh) == (model.title["en"], model.title["zh"])
    assert story.paragraph_pairs == [(p["en"], p["zh"]) for p in model.paragraphs]
    assert story.body_zh == [p["zh"] for p in model.paragraphs]
    assert story.published_at == model.published and story.updated_at == model.updated
    assert story.author == model.author


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_split_language_pages_name_each_other_by_hreflang(sites, lang):
    slug = "copyright-settlement-per-book"
    model = sites.story("translated", slug)
    story = capture(sites, "translated", f"/{lang}/{slug}")
    base = sites.base_url("translated")
    assert story.language_alternates["en"] == f"{base}/en/{slug}"
    assert story.language_alternates["zh-CN"] == f"{base}/zh/{slug}"
    assert getattr(story, f"title_{lang}") == model.title[lang]
    assert getattr(story, f"body_{lang}") == [p[lang] for p in model.paragraphs]
    other = "zh" if lang == "en" else "en"
    assert getattr(story, f"body_{other}") == []
    assert story.canonical_url == f"{base}/{lang}/{slug}"


def test_gbk_page_with_charset_only_in_meta_decodes(sites):
    model = sites.story("translated", "gbk-story")
    url, body, headers = fetch(sites, "translated", "/zh/gbk-story")
    assert "charset" not in headers.get("Content-Type", "")
    story = extract(url, body, sites.clock.now(), headers)
    assert story.encoding == "gb18030"  # the superset of GBK, as browsers decode it
    assert story.title_zh == model.title["zh"]
    assert story.body_zh == [p["zh"] for p in model.paragraphs]
    assert story.author == model.author
    assert story.published_at == model.published


def test_gzip_body_as_archived_is_decoded(sites):
    url = sites.base_url("aggregator") + "/story/agi-era-governance"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body, headers = response.read(), dict(response.headers)
    assert headers.get("Content-Encoding") == "gzip"
    story = extract(url, body, sites.clock.now(), headers)
    assert story.title_zh == sites.story("aggregator", "agi-era-governance").title["zh"]


def test_profile_rules_refine_a_field_without_site_code(sites):
    url, body, headers = fetch(sites, "aggregator", "/story/agi-era-governance")
    rules = {"body": "section.analysis[lang=en] p", "drop": [".tags"]}
    story = extract(url, body, sites.clock.now(), headers, rules=rules)
    model = sites.story("aggregator", "agi-era-governance")
    assert story.body_en == [p["en"] for p in model.paragraphs]
    assert story.body_zh == []
