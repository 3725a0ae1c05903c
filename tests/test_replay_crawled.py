"""pywb replays what newsarc archived: a static story and the JS-rendered story, both languages."""

from __future__ import annotations

import html as html_text
import urllib.request

import pytest

from tests.replay import PywbReplay, render_in_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8", errors="replace")


def test_pywb_replays_static_and_js_rendered_stories_in_both_languages(archive, sites, tmp_path):
    archive.crawl("aggregator", "translated")
    governance = sites.story("aggregator", "agi-era-governance")
    article = sites.story("translated", "frontier-lab-export-rules")
    live = sites.story("aggregator", "live-agents")
    aggregator, translated = sites.base_url("aggregator"), sites.base_url("translated")

    with PywbReplay(archive.warcs(), tmp_path) as replay:
        gzipped_story = http_get(replay.replay_url(f"{aggregator}/story/agi-era-governance"))
        plain_story = http_get(
            replay.replay_url(f"{translated}/articles/frontier-lab-export-rules")
        )
        rendered = render_in_chromium(
            replay.replay_url(f"{aggregator}/live/live-agents"), wait_for_selector="h1"
        )

    for story, html in ((governance, gzipped_story), (article, plain_story), (live, rendered)):
        text = html_text.unescape(html)
        assert story.title["en"] in text
        assert story.title["zh"] in text
