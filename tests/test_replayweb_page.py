"""ReplayWeb.page, served from loopback, opens newsarc's WACZ export in headless Chromium: a
static story, the JavaScript-rendered story (its HTML shell has no text: the title comes from
its replayed data request) and a Chinese full-text search over pages.jsonl.

A screenshot of each is kept under tests/artifacts/replayweb/ (git-ignored); the paths are
printed (`pytest -s` shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles
from tests.replay import CHROMIUM_ARGS, REPO_ROOT, chromium_path
from tests.replayweb import PlayerServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "replayweb"
TIMEOUT_MS = 45_000
# A word of the live story's Chinese body (not of any title): found only by the text search.
CHINESE_WORD = "太平洋"
# The player's text, open shadow roots included (its result list is nested web components whose
# keyword highlighting Playwright's text selectors do not see through).
SHOWS_TEXT = """text => {
  const parts = [];
  const walk = node => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.data);
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(document);
  return parts.join(" ").includes(text);
}"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The aggregator demo site crawled (its /live/ stories rendered in Chromium) and exported."""
    root = tmp_path_factory.mktemp("replayweb")
    data = root / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profiles = sites.write_profiles(data / "profiles")
        assert not archive_profiles([profiles["aggregator"]], data, timeout=300).failures
        base = sites.base_url("aggregator")
        stories = {
            kind: (f"{base}/{path}/{slug}", sites.story("aggregator", slug))
            for kind, path, slug in (
                ("static", "story", "agi-era-governance"),
                ("live", "live", "live-agents"),
            )
        }
    wacz = root / "aggregator.wacz"
    ran = CliRunner().invoke(
        app, ["export", "--format", "wacz", "--data", str(data), "--out", str(wacz)]
    )
    assert ran.exit_code == 0, ran.output
    return wacz, stories


@pytest.fixture(scope="module")
def player(exported):
    wacz, _ = exported
    with PlayerServer(wacz) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield server, browser
        finally:
            browser.close()


def open_in_player(player, name: str, **attributes: str):
    """A fresh page (its own service worker storage) showing the embed; the caller closes it."""
    server, browser = player
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server.embed_url(**attributes))
    return context, page, ARTIFACTS / f"{name}.png"


def keep_screenshot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")


@pytest.mark.parametrize("kind", ["static", "live"])
def test_replaywebpage_replays_a_story_with_both_titles(player, exported, kind):
    _, stories = exported
    url, story = stories[kind]
    context, page, shot = open_in_player(player, f"{kind}-story", url=url)
    try:
        frame = page.frame_locator("replay-web-page iframe").frame_locator("iframe").first
        heading = frame.locator("h1")
        heading.filter(has_text=story.title["en"]).wait_for(timeout=TIMEOUT_MS)
        body = frame.locator("body").inner_text(timeout=TIMEOUT_MS)
        keep_screenshot(page, shot)
    finally:
        context.close()
    assert story.title["en"] in body
    assert story.title["zh"] in body


def test_replaywebpage_finds_a_chinese_word_in_the_pages_text(player, exported):
    _, stories = exported
    _, live = stories["live"]
    context, page, shot = open_in_player(player, "chinese-search", view="pages", query=CHINESE_WORD)
    try:
        app_frame = page.frame_locator("replay-web-page iframe")
        app_frame.get_by_text("1 page", exact=True).wait_for(timeout=TIMEOUT_MS)
        player_app = page.locator("replay-web-page iframe").element_handle().content_frame()
        player_app.wait_for_function(SHOWS_TEXT, arg=live.title["en"], timeout=TIMEOUT_MS)
        keep_screenshot(page, shot)
    finally:
        context.close()
    assert CHINESE_WORD not in live.title["zh"]  # so the text, not the title, matched
