"""The change report and the `changes` / `history` commands, on one edited demo story.

One crawl of the translated demo site, one edit (an English paragraph replaced by markup that
would run if it were ever treated as HTML, and the Chinese title), one more crawl.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from archive.stories.report import write_change_report
from flows.cli import app
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles
from tests.catalog_queries import query, read_catalog
from tests.replay import CHROMIUM_ARGS, chromium_path

# One crawl shared by the module: `--dist loadfile` (see ./run) keeps its tests on one worker.
pytestmark = pytest.mark.slow

runner = CliRunner()
SLUG = "robot-foundation-models"
EVIL = (
    'Leaked draft: <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=2">'
    " were in the page."
)
NEW_TITLE_ZH = "机器人厂商的基础模型赌注（已更新）"


class EditedArchive:
    def __init__(self, sites: DemoSites, data) -> None:
        self.data = data
        profile = sites.write_profiles(data / "profiles")["translated"]
        self.crawl(profile)
        self.old_title_zh = sites.story("translated", SLUG).title["zh"]
        self.old_paragraph = sites.story("translated", SLUG).paragraphs[0]["en"]
        self.title_en = sites.story("translated", SLUG).title["en"]
        sites.advance(hours=1)
        sites.edit_paragraph("translated", SLUG, 0, "en", EVIL)
        sites.edit_title("translated", SLUG, "zh", NEW_TITLE_ZH)
        self.crawl(profile)
        self.article_id, self.url = self.rows(
            "SELECT article_id, canonical_url FROM articles WHERE canonical_url LIKE ?", f"%/{SLUG}"
        )[0]

    def crawl(self, profile) -> None:
        run = archive_profiles([profile], self.data, timeout=300)
        assert not run.failures, run.failures

    def rows(self, sql: str, *params):
        return query(self.data, sql, *params)

    def write_report(self, path, **filters):
        with read_catalog(self.data) as con:
            options = {"since": None, "site": None, "kinds": None, **filters}
            return write_change_report(con, path, warc_dir=self.data / "warcs", **options)


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    with DemoSites(slow_seconds=0.2) as sites:
        yield EditedArchive(sites, tmp_path_factory.mktemp("report") / "data")


@pytest.fixture(scope="module")
def report(edited, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "changes.html"
    return edited.write_report(path, replay_base="http://localhost:8080/newsarc")


@pytest.fixture(scope="module")
def page(report):
    """The report opened in Debian's headless Chromium, with every request it made."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.requests = []  # every URL the page asked for
            tab.on("request", lambda request: tab.requests.append(request.url))
            tab.goto(report.as_uri(), wait_until="load")
            yield tab
        finally:
            browser.close()


def test_edited_markup_is_archived_as_text(edited):
    (body,) = edited.rows(
        "SELECT body_en FROM article_versions WHERE article_id = ? AND version = 2",
        edited.article_id,
    )[0]
    assert body[0] == EVIL


@pytest.mark.browser
def test_report_shows_both_titles_and_the_side_by_side_diff_in_chromium(edited, page, tmp_path):
    page.screenshot(path=tmp_path / "report.png", full_page=True)
    text = page.inner_text("body")
    assert edited.title_en in text and NEW_TITLE_ZH in text
    story = page.locator("section.story", has_text=NEW_TITLE_ZH)
    edit = story.locator("article.kind-edited")
    assert "v1 → v2" in edit.inner_text() and "claimed by the page" in edit.inner_text()
    english, chinese = edit.locator("tbody[lang=en]"), edit.locator("tbody[lang=zh]")
    assert english.locator("tr.changed td.old").inner_text() == edited.old_paragraph
    assert english.locator("tr.changed td.new").inner_text() == EVIL
    assert chinese.locator("tr.changed td.old").inner_text() == edited.old_title_zh
    assert chinese.locator("tr.changed td.new").inner_text() == NEW_TITLE_ZH
    links = edit.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert any(link.startswith("file://") and ".warc.gz" in link for link in links)
    assert any(link.startswith("http://localhost:8080/newsarc/") for link in links)
    assert page.requests == [page.url], "the report loads nothing but itself"


@pytest.mark.browser
def test_archived_script_and_onerror_show_as_text_and_never_run(page, report):
    assert page.evaluate("window.__pwned") is None
    text = page.inner_text("body")
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert page.locator("script, img, iframe, object").count() == 0
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert csp == "default-src 'none'; style-src 'unsafe-inline'"
    raw = report.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw


def changes_json(data: str, *options: str) -> list[dict]:
    result = runner.invoke(app, ["changes", "--data", data, "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_changes_command_prints_json_rows_and_writes_the_report(edited, tmp_path):
    data = str(edited.data)
    (row,) = changes_json(data, "--kind", "edited")
    assert (row["article_id"], row["kind"], row["from_version"], row["to_version"]) == (
        edited.article_id, "edited", 1, 2,
    )  # fmt: skip
    assert row["fields"] == ["title_zh", "body_en"] and row["claimed"] is True
    assert f"+{EVIL}" in row["diff"] and f"+{NEW_TITLE_ZH}" in row["diff"]
    assert row["warc_file"].endswith(".warc.gz") and row["warc_offset"] >= 0

    (total,) = edited.rows("SELECT count(*) FROM changes")[0]
    everything = changes_json(data)
    assert len(everything) == total and {r["kind"] for r in everything} == {"new", "edited"}
    assert len(changes_json(data, "--since", "24h")) == total
    assert changes_json(data, "--since", "2999-01-01") == []
    assert changes_json(data, "--site", "demo-translated") == everything
    assert changes_json(data, "--site", "another-site") == []

    html = tmp_path / "out" / "report.html"
    result = runner.invoke(
        app, ["changes", "--data", data, "--kind", "edited", "--html", str(html)]
    )
    assert result.exit_code == 0, result.output
    assert str(html.resolve()) in result.output.replace("\n", "")
    assert NEW_TITLE_ZH in html.read_text(encoding="utf-8")
    assert "edited" in result.stdout and "body_en" in result.stdout


def test_history_command_shows_versions_and_their_diff(edited):
    data = str(edited.data)
    result = runner.invoke(app, ["history", edited.url, "--data", data, "--format", "json"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    assert story["article_id"] == edited.article_id
    expected = edited.rows(
        "SELECT version, content_hash FROM article_versions WHERE article_id = ? ORDER BY version",
        edited.article_id,
    )
    assert [(v["version"], v["content_hash"]) for v in story["versions"]] == expected
    assert [v["title_zh"] for v in story["versions"]] == [edited.old_title_zh, NEW_TITLE_ZH]
    assert [c["kind"] for c in story["changes"]] == ["new", "edited"]

    table = runner.invoke(app, ["history", edited.article_id, "--data", data])
    assert table.exit_code == 0, table.output
    assert "v1→v2 claimed: title_zh, body_en" in table.stdout
    assert "[title_zh]" not in table.stdout and "title_zh\n" in table.stdout
    assert f"+{NEW_TITLE_ZH}" in table.stdout

    missing = runner.invoke(app, ["history", "no-such-story", "--data", data])
    assert missing.exit_code == 1 and "no story" in missing.output
