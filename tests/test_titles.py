"""Headlines from content when the shell lies, in any order and markup (issue 13, point 4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.stories.extract import extract

CAPTURED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
EN = "Open model tops the coding benchmark"
ZH = "开源模型登顶编程基准测试"
BODY = (
    "<p>An open-weights model released this week now leads the most watched coding benchmark, "
    "ahead of every closed model tested so far by the maintainers.</p>"
    "<p>本周发布的一个开放权重模型，目前在最受关注的编程基准测试中领先，超过了维护者迄今测试的所有闭源模型。</p>"
)


def page(head: str, headline: str, lang: str = "en") -> bytes:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
        '<header><a href="/" class="x1">Zoo Daily 动物园日报</a></header>'
        f"<main><article>{headline}{BODY}</article></main></body></html>"
    ).encode()


def titles(html: bytes) -> tuple[str | None, str | None]:
    story = extract("http://127.0.0.9/s/open-model", html, CAPTURED)
    return story.title_en, story.title_zh


@pytest.mark.parametrize(
    "headline",
    [
        f"<h1>{EN}</h1><h2>{ZH}</h2>",
        f"<h1>{ZH}</h1><h2>{EN}</h2>",
        f"<h1>{EN} / {ZH}</h1>",
        f"<h1>{ZH} | {EN}</h1>",
        f"<h1>{EN}<br>{ZH}</h1>",
        f'<div class="t"><h2>{EN}</h2><h1>{ZH}</h1></div>',
    ],
    ids=["h1-en-h2-zh", "h1-zh-h2-en", "slash", "bar-zh-first", "line-break", "h2-before-h1"],
)
def test_bilingual_headlines_whose_title_tag_is_the_site_name(headline):
    html = page("<title>Zoo Daily 动物园日报</title>", headline)
    assert titles(html) == (EN, ZH)


def test_site_name_in_title_is_known_from_og_site_name_without_a_home_link():
    html = (
        '<html lang="en"><head><meta property="og:site_name" content="Zoo Daily">'
        f"<title>Zoo Daily</title></head><body><h1>{EN}</h1><h2>{ZH}</h2>{BODY}</body></html>"
    ).encode()
    assert titles(html) == (EN, ZH)


def test_a_title_tag_holding_both_languages_and_the_site_name():
    html = page(f"<title>{EN} | {ZH} - Zoo Daily 动物园日报</title>", f"<h1>{EN}</h1>")
    assert titles(html) == (EN, ZH)


def test_json_ld_headline_names_the_title_when_the_headings_are_elsewhere():
    head = (
        '<title>Zoo Daily</title><script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "headline": "{EN}", "alternativeHeadline": "{ZH}"}}'
        "</script>"
    )
    assert titles(page(head, "<h1>Zoo Daily</h1>")) == (EN, ZH)


def test_a_logo_heading_and_a_relative_time_heading_are_never_the_title():
    headline = f"<h1>Zoo Daily 动物园日报</h1><h2>Updated 2h ago · 更新于 2小时前</h2><h1>{EN}</h1>"
    assert titles(page("<title>Zoo Daily 动物园日报</title>", headline))[0] == EN


def test_a_truthful_title_tag_still_wins_over_other_headings():
    html = page(f"<title>{EN} - Zoo Daily</title>", f"<h2>Most read</h2><h1>{EN}</h1>")
    assert titles(html)[0] == EN


def test_english_headline_that_the_language_model_misreads_stays_english():
    headline = "Fact Check: Is An Oxygen Bar In Delhi Offering Fresh Air For Rs 300?"
    html = page(f"<title>{headline} - News</title>", f"<h1>{headline}</h1>")
    assert titles(html)[0] == headline
