"""Change detection on the demo sites: every real update is caught, noise never is.

One scenario, driven by the demo sites' clock and edit API, crawled four times.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, ingest_data_dir, reindex
from tests.catalog_queries import query, story_tables

# One crawl shared by the module: `--dist loadfile` (see ./run) keeps its tests on one worker.
pytestmark = pytest.mark.slow

SITES = ("aggregator", "translated")


class Scenario:
    def __init__(self, sites: DemoSites, data) -> None:
        self.sites = sites
        self.data = data
        profiles = sites.write_profiles(data / "profiles")
        self.profiles = [profiles[name] for name in SITES]
        self.crawls = 0

    def crawl(self) -> list[tuple]:
        """Crawl both sites; return the changes it detected as (kind, path, fields, claimed)."""
        before = self.count_changes()
        run = archive_profiles(self.profiles, self.data, timeout=300)
        assert not run.failures, run.failures
        self.crawls += 1
        rows = self.query(
            "SELECT c.kind, a.canonical_url, c.fields, c.claimed FROM changes c"
            " JOIN articles a USING (article_id) ORDER BY c.detected_at, a.canonical_url"
        )
        changes = [(k, url.split("/", 3)[3], tuple(f), claimed) for k, url, f, claimed in rows]
        return changes[before:]

    def count_changes(self) -> int:
        if not (self.data / "archive.duckdb").exists():
            return 0
        return self.query("SELECT count(*) FROM changes")[0][0]

    def query(self, sql, *params):
        return query(self.data, sql, *params)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    with DemoSites(slow_seconds=0.2) as sites:
        yield Scenario(sites, tmp_path_factory.mktemp("changes") / "data")


def by_path(changes) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for kind, path, fields, claimed in changes:
        found.setdefault(path, []).append((kind, fields, claimed))
    return found


def test_1_first_crawl_reports_every_story_as_new(scenario):
    changes = scenario.crawl()
    assert changes and {kind for kind, *_ in changes} == {"new"}


def test_2_noise_alone_never_makes_a_change(scenario):
    scenario.sites.advance(hours=1)  # relative times, view counts, scores and trending move
    started = datetime.now(UTC)
    assert scenario.crawl() == []
    # ... and what a person reads says so: `newsarc changes` prints nothing for that crawl
    out = CliRunner().invoke(
        app, ["changes", "--data", str(scenario.data), "--since", started.isoformat()]
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == ""
    # ... and the stories were continued from their stored state, none replayed from scratch
    [(continued, rebuilt)] = scenario.query(
        "SELECT any_value(stories_continued), any_value(stories_rebuilt) FROM derived_warcs"
        " WHERE derived_at = (SELECT max(derived_at) FROM derived_warcs)"
    )
    assert continued > 0 and rebuilt == 0


def test_3_edits_are_detected_with_their_kind_fields_and_claim(scenario):
    sites = scenario.sites
    sites.advance(hours=1)
    sites.edit_title("aggregator", "open-weights-coding-leader", "en", "An open model now leads")
    sites.edit_paragraph("translated", "robot-foundation-models", 1, "zh", "中文段落已被编辑。")
    sites.add_tldr("aggregator", "eu-gpai-audit-guidance", "en", "Auditors get a new checklist.")
    sites.append_correction(
        "translated", "frontier-lab-export-rules", "Correction: the order came on Tuesday.",
        "更正：命令于周二下达。",
    )  # fmt: skip
    sites.touch_updated("aggregator", "datacenter-power-deals")
    sites.silent_edit("aggregator", "on-device-assistants", 0, "en", "A quietly rewritten lede.")
    sites.remove("translated", "chatbot-ads-backlash")

    found = by_path(scenario.crawl())

    assert found.pop("story/open-weights-coding-leader") == [("edited", ("title_en",), True)]
    assert found.pop("articles/robot-foundation-models") == [("edited", ("body_zh",), True)]
    assert found.pop("story/eu-gpai-audit-guidance") == [("edited", ("tldr_en",), True)]
    kind, fields, claimed = found.pop("articles/frontier-lab-export-rules")[0]
    assert (kind, claimed) == ("edited", True) and set(fields) <= {"body_en", "body_zh"}
    assert found.pop("story/datacenter-power-deals") == [("claimed_update", (), True)]
    assert found.pop("story/on-device-assistants") == [("edited", ("body_en",), False)]
    assert found.pop("articles/chatbot-ads-backlash") == [("removed", (), None)]
    assert found == {}, "nothing else changed"


def test_4_restoration_publication_and_js_and_gbk_edits(scenario):
    sites = scenario.sites
    sites.advance(hours=1)
    sites.restore("translated", "chatbot-ads-backlash")
    sites.publish("translated", "model-card-standard")
    sites.edit_paragraph("aggregator", "live-agents", 0, "en", "The rollout is paused for now.")
    sites.edit_title("translated", "gbk-story", "zh", "编码测试：标题已更新")

    found = by_path(scenario.crawl())

    assert found.pop("articles/chatbot-ads-backlash") == [("restored", (), None)]
    assert [kind for kind, *_ in found.pop("articles/model-card-standard")] == ["new"]
    # The rendered live page shows no update marker; the sitemap's lastmod claims the update.
    assert found.pop("live/live-agents") == [("edited", ("body_en",), True)]
    assert found.pop("zh/gbk-story") == [("edited", ("title_zh",), True)]
    assert found == {}


def test_5_reindex_reproduces_the_same_versions_and_changes(scenario):
    # every story table, after five incremental derivations, equals one derivation of everything
    before = story_tables(scenario.data)
    reindex(scenario.data)
    assert story_tables(scenario.data) == before


@pytest.mark.parametrize("order", ["oldest first", "newest first"])
def test_6_files_ingested_one_at_a_time_in_any_order_give_the_same_tables(
    scenario, tmp_path, order
):
    # a WARC file can arrive late (one mended after a killed crawl): the story it belongs to is
    # then replayed, never continued from a state that is already past it
    files = sorted((scenario.data / "warcs").glob("*.warc.gz"), key=lambda f: f.name.split("-")[-2])
    if order == "newest first":
        files.reverse()
    data = tmp_path / "data"
    (data / "warcs").mkdir(parents=True)
    for warc in files:
        shutil.copy2(warc, data / "warcs" / warc.name)
        ingest_data_dir(data)
    assert story_tables(data) == story_tables(scenario.data)
