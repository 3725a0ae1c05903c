"""Change detection on the site zoo: demo sites written from real CMS markup (flows/demo_sites/zoo).

The old demo sites and the noise rules were written together; these layouts (WordPress,
a Chinese portal, Next.js, AMP, a live blog, a title-is-the-site-name aggregator) and a
partner host that republishes some of their stories were not.  One scenario, five crawls of
every zoo profile: furniture alone never makes a change, each kind of edit on every layout
makes exactly one change with the right fields, and the partner's copies are stories of
their own, linked to their originals and never touching them.

The rounds run in the fixture, so a failing round does not stop the later ones from being
crawled and checked; each test only reads its round's result.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.demo_sites.zoo import HOSTS, LAYOUTS, ZooSites
from flows.pipeline import archive_profiles, reindex
from tests.catalog_queries import query, story_tables

# Who plays which part in the scenario, per layout: s1..s4 (s3 is the story the partner
# republishes, where the layout has a copy on the partner host).
CAST = {
    "wordpress": ("hospital-ai-scribes-nurses", "small-lab-math-model",
                  "gpu-rental-prices-fall", "translators-union-contract"),
    "portal": ("api-price-cuts", "schools-ai-assistants", "robotaxi-airport",
               "data-labelling-jobs"),
    "nextjs": ("riscv-inference-chip-tapeout", "agents-rewrite-test-suites",
               "ai-dubbing-labels-streaming", "satellite-model-informal-settlements"),
    "amp": ("airline-ai-rebooking-storm", "court-admits-chatbot-transcript",
            "open-speech-model-40-languages", "regulator-data-centre-hourly-power"),
    "live": ("ai-safety-summit-day-two", "developer-conference-keynote",
             "chip-export-hearing", "chat-service-outage"),
    "sitename": ("robot-vacuum-on-device-vision", "insurer-drops-ai-claims-screening",
                 "university-bans-ai-detectors", "weather-model-ten-day-forecast"),
}  # fmt: skip

# Round A, s1: one English sentence reworded (paragraph index, old phrase, new phrase).
REWORD_EN = {
    "wordpress": (0, "about forty minutes a shift", "about half an hour a shift"),
    "portal": (1, "more mature distillation techniques", "cheaper distillation techniques"),
    "nextjs": (1, "by about a fifth", "by roughly a fifth"),
    "amp": (2, "stayed under forty minutes", "stayed under thirty-five minutes"),
    "live": (1, "but leaves the thresholds blank", "but leaves the numeric thresholds blank"),
    "sitename": (1, "about 120 kinds of obstacle", "about 150 kinds of obstacle"),
}
# Round A, s2: one Chinese sentence reworded.
REWORD_ZH = {
    "wordpress": (2, "运气好时分数就能浮动好几个点", "运气好时分数就能高出好几个点"),
    "portal": (1, "仍不稳定", "仍时好时坏"),
    "nextjs": (2, "漏掉了其中约一半", "漏掉了其中近一半"),
    "amp": (3, "应保存完整日志", "应妥善保存完整日志"),
    "live": (2, "价格约为现有型号的三分之一", "价格约为现有型号的四成"),
    "sitename": (1, "要多23天", "要多出23天"),
}
# Round A, s3: the headline, both languages.
HEADLINES = {
    "wordpress": ("GPU rental prices fell 40 percent this autumn, and brokers expect more",
                  "今年秋天GPU租赁价格下跌四成，经纪商预计还会再跌"),
    "portal": ("Robotaxis can now take passengers to the airport, and run until 2 a.m.",
               "自动驾驶出租车可直达机场，服务延长至凌晨两点"),
    "nextjs": ("Streaming service to label AI-dubbed shows after viewer backlash",
               "观众强烈不满后，流媒体平台将为AI配音节目加注标签"),
    "amp": ("Open-source speech model learns 40 more low-resource languages",
            "开源语音模型再学会40种低资源语言"),
    "live": ("Chip export hearing: officials promise a cloud-access rule within months – live",
             "芯片出口听证会：官员承诺数月内出台云访问规则——直播"),
    "sitename": ("University stops using AI-writing detectors in grading",
                 "大学停止在评分中使用AI写作检测工具"),
}  # fmt: skip
# Round A, s4: a bilingual paragraph added (index; None appends, a live blog's new entry).
ADDED = {
    "wordpress": (2, "The contract also sets a minimum fee for short jobs, which members said "
                  "were often priced at a few cents.",
                  "合同还为短小的稿件设定了最低费用，会员们说这类稿件过去常常只值几分钱。"),
    "portal": (3, "The centre has also opened evening classes that teach labellers the basics "
               "of medicine and law.", "基地还开设了夜校，帮助标注员学习医学和法律基础知识。"),
    "nextjs": (2, "Enumerators also recorded 41 settlements the model missed, most of them "
               "under tree cover.", "普查员还记录了模型漏掉的41处聚居区，大多位于树木遮盖之下。"),
    "amp": (3, "Two neighbouring regions are drafting similar rules, according to officials "
            "familiar with the talks.", "据知情官员透露，两个相邻地区正在起草类似规则。"),
    "live": (None, "The company has published a short incident report and says a full "
             "analysis will follow next week.",
             "公司已发布一份简短的事故报告，并表示将于下周公布完整分析。"),
    "sitename": (3, "The service says it will publish the two models' scores side by side "
                 "every month.", "气象部门表示，将每月并列公布两个模型的评分。"),
}  # fmt: skip
# Round B, s2: one TL;DR bullet changed (lang, index, text); the portal has no TL;DR, so
# its s2 gets a second English rewording instead.
TLDR = {
    "wordpress": ("en", 0, "The 3B model solved 41 of 60 held-out problems, on two seeds."),
    "nextjs": ("en", 2, "The authors recommend read-only test directories during agent runs."),
    "amp": ("en", 2, "Lawyers expect more disputes over what a chatbot promised."),
    "live": ("en", 2, "No on-device model was announced, and none is scheduled."),
    "sitename": ("zh", 1, "这家保险公司已恢复由人工筛查理赔。"),
}
PORTAL_S2_EN = (3, "the data may not be used commercially", "the data may not be sold")
# Round B, s3: a correction note appended in both languages.
CORRECTION = (
    "An earlier version of this story gave the wrong month for the figures.",
    "本文早前版本写错了数据所属的月份。",
)
# Round C: one more headline style checked on an edit (title in English only).
SITENAME_S5 = ("open-dataset-licence-dispute", "A popular open image dataset is taken offline "
               "over a licence dispute")  # fmt: skip
PARTNER_INTRO = {
    "en": "Republished with permission. Harbour Post partners with Open Weights Weekly.",
    "zh": "经授权转载。港湾邮报与开放权重周刊建立了合作。",
}

EDITED, TOUCHED = "edited", "claimed_update"


def _loose(url: str) -> str:
    """One spelling per page: percent-encoding, case and a trailing slash do not matter."""
    parts = urlsplit(url.removeprefix("urn:dom:"))
    return f"{parts.netloc}{unquote(parts.path).lower().rstrip('/')}"


def _host(url: str) -> str:
    return urlsplit(url.removeprefix("urn:dom:")).hostname or ""


@dataclass
class Round:
    """What one crawl round changed, as {story label: [(kind, fields, claimed)]}, and the
    expectations the scenario wrote down when it made its edits."""

    expected: dict[str, list[tuple]]
    found: dict[str, list[tuple]] = field(default_factory=dict)
    started: datetime | None = None
    capture_hosts: list[tuple[str, str, str]] = field(default_factory=list)


class Scenario:
    def __init__(self, sites: ZooSites, data) -> None:
        self.sites = sites
        self.data = data
        profiles = sites.write_profiles(data / "profiles")
        # The browser crawl takes longest: start it first so the others fill the other slots.
        self.profiles = sorted(profiles.values(), key=lambda p: p.name != "zoo-nextjs.toml")
        self.rounds: list[Round] = []
        self.noise_cli: dict[str, list[dict]] = {}
        self.first_titles: dict[str, tuple] = {}

    # -- catalog -----------------------------------------------------------------------------
    def query(self, sql: str, *params):
        return query(self.data, sql, *params)

    def model_stories(self) -> list[tuple[str, str]]:
        return [(site, s.slug) for site in self.sites.apps for s in self.sites.stories(site)]

    def article_ids(self) -> dict[str, str]:
        """Catalog story -> "site/slug" label, matched through every URL seen for it."""
        pages: dict[str, str] = {}
        for site, slug in self.model_stories():
            for url in self.sites.page_urls(site, slug):
                pages[_loose(url)] = f"{site}/{slug}"
        labels: dict[str, set[str]] = {}
        for url, article_id in self.query("SELECT url, article_id FROM article_urls"):
            if _loose(url) in pages:
                labels.setdefault(article_id, set()).add(pages[_loose(url)])
        out = {}
        for article_id, canonical in self.query("SELECT article_id, canonical_url FROM articles"):
            found = sorted(labels.get(article_id, ()))
            out[article_id] = " + ".join(found) if found else f"? {canonical}"
        return out

    def label_ids(self) -> dict[str, list[str]]:
        """ "site/slug" -> the catalog stories holding its pages (one, when grouping is right)."""
        out: dict[str, list[str]] = {}
        for article_id, label in self.article_ids().items():
            for part in label.split(" + "):
                out.setdefault(part, []).append(article_id)
        return out

    def titles(self) -> dict[str, tuple]:
        """ "site/slug" -> (the model's titles, the titles of each catalog story holding it)."""
        rows = {a: (en, zh) for a, en, zh in self.query(
            "SELECT article_id, title_en, title_zh FROM articles")}  # fmt: skip
        ids = self.label_ids()
        out = {}
        for site, slug in self.model_stories():
            story = self.sites.story(site, slug)
            found = [rows[a] for a in ids.get(f"{site}/{slug}", [])]
            out[f"{site}/{slug}"] = ((story.title["en"], story.title["zh"]), found)
        return out

    def changes(self) -> list[tuple]:
        return self.query(
            "SELECT c.article_id, c.kind, c.fields, c.claimed, coalesce(cap.url, '')"
            " FROM changes c LEFT JOIN captures cap ON cap.record_id = c.capture_id"
            " ORDER BY c.detected_at, c.article_id, c.kind"
        )

    # -- crawling ----------------------------------------------------------------------------
    def crawl(self, expected: dict[str, list[tuple]]) -> Round:
        done = len(self.changes()) if (self.data / "archive.duckdb").exists() else 0
        result = Round(expected=expected, started=datetime.now(UTC))
        run = archive_profiles(self.profiles, self.data, timeout=300, parallel=3)
        assert not run.failures, run.failures
        labels = self.article_ids()
        for article_id, kind, fields, claimed, url in self.changes()[done:]:
            label = labels.get(article_id, f"? {article_id}")
            entry = (
                kind,
                tuple(sorted(fields or ())),
                claimed if kind in (EDITED, TOUCHED) else None,
            )
            result.found.setdefault(label, []).append(entry)
            result.capture_hosts.append((label, kind, _host(url)))
        self.rounds.append(result)
        return result

    def cli_changes(self, since: str) -> list[dict]:
        out = CliRunner().invoke(
            app, ["changes", "--data", str(self.data), "--since", since, "--format", "json"]
        )
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)

    # -- the five rounds ---------------------------------------------------------------------
    def run(self) -> None:
        sites = self.sites
        first = {f"{site}/{slug}": [("new", (), None)] for site, slug in self.model_stories()}
        self.crawl(first)
        self.first_titles = self.titles()  # before any edit moves them

        sites.advance(hours=2)  # relative times, counters, comments, shuffles all move
        noise = self.crawl({})
        self.noise_cli = {
            "all": self.cli_changes("100000h"),
            "since_noise_round": self.cli_changes(noise.started.isoformat()),
        }

        sites.advance(hours=1)  # 11:00: the partner's copies are out (syndicated at 10:30)
        self.crawl(self.round_a())
        sites.advance(hours=1)
        self.crawl(self.round_b())
        sites.advance(hours=1)
        self.crawl(self.round_c())

    def round_a(self) -> dict[str, list[tuple]]:
        sites, expected = self.sites, {}
        for site, (s1, s2, s3, s4) in CAST.items():
            sites.reword(site, s1, *_lang_args(REWORD_EN[site], "en"))
            expected[f"{site}/{s1}"] = [(EDITED, ("body_en",), True)]
            sites.reword(site, s2, *_lang_args(REWORD_ZH[site], "zh"))
            expected[f"{site}/{s2}"] = [(EDITED, ("body_zh",), True)]
            sites.edit_title(site, s3, "en", HEADLINES[site][0])
            sites.edit_title(site, s3, "zh", HEADLINES[site][1])
            expected[f"{site}/{s3}"] = [(EDITED, ("title_en", "title_zh"), True)]
            index, en, zh = ADDED[site]
            at = len(sites.story(site, s4).paragraphs) if index is None else index
            sites.add_paragraph(site, s4, at, {"en": en, "zh": zh})
            expected[f"{site}/{s4}"] = [(EDITED, ("body_en", "body_zh"), True)]
        for copy in self.sites.stories("partner"):
            if copy.kind == "copy":
                expected[f"partner/{copy.slug}"] = [("new", (), None)]
        return expected

    def round_b(self) -> dict[str, list[tuple]]:
        sites, expected = self.sites, {}
        for site, (s1, s2, s3, s4) in CAST.items():
            sites.drop_paragraph(site, s1, 1)
            expected[f"{site}/{s1}"] = [(EDITED, ("body_en", "body_zh"), True)]
            if site in TLDR:
                lang, index, text = TLDR[site]
                sites.edit_tldr(site, s2, lang, index, text)
                expected[f"{site}/{s2}"] = [(EDITED, (f"tldr_{lang}",), True)]
            else:
                index, old, new = PORTAL_S2_EN
                sites.reword(site, s2, index, "en", old, new)
                expected[f"{site}/{s2}"] = [(EDITED, ("body_en",), True)]
            sites.append_correction(site, s3, *CORRECTION)
            expected[f"{site}/{s3}"] = [(EDITED, ("body_en", "body_zh"), True)]
            sites.remove(site, s4)
            expected[f"{site}/{s4}"] = [("removed", (), None)]
        # The partner rewrites its intro above one copy: furniture, for the copy and the
        # original alike.
        sites.set_extra("partner", "wordpress-gpu-rental-prices-fall", "intro", PARTNER_INTRO)
        return expected

    def round_c(self) -> dict[str, list[tuple]]:
        sites, expected = self.sites, {}
        for site, (s1, _s2, _s3, s4) in CAST.items():
            sites.touch_updated(site, s1)
            expected[f"{site}/{s1}"] = [(TOUCHED, (), True)]
            sites.restore(site, s4)
            expected[f"{site}/{s4}"] = [("restored", (), None)]
        slug, title = SITENAME_S5
        sites.edit_title("sitename", slug, "en", title)
        expected[f"sitename/{slug}"] = [(EDITED, ("title_en",), True)]
        return expected


def _lang_args(spec: tuple, lang: str) -> tuple:
    index, old, new = spec
    return index, lang, old, new


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    with ZooSites() as sites:
        scenario = Scenario(sites, tmp_path_factory.mktemp("zoo") / "data")
        scenario.run()
        yield scenario


slow = pytest.mark.slow


def mismatches(result: Round) -> dict[str, dict]:
    """Only the stories whose changes differ from what the scenario expected, side by side."""
    labels = sorted(set(result.expected) | set(result.found))
    return {
        label: {"expected": result.expected.get(label, []), "found": result.found.get(label, [])}
        for label in labels
        if result.expected.get(label, []) != result.found.get(label, [])
    }


@slow
def test_1_first_crawl_finds_every_story_once_with_both_titles(zoo):
    assert mismatches(zoo.rounds[0]) == {}
    # Headlines come from the content when the <title> lies (Next.js shell, site-name pages).
    wrong = {
        label: {"model": model, "catalog": found}
        for label, (model, found) in zoo.first_titles.items()
        if found != [model]
    }
    assert wrong == {}


@slow
def test_2_furniture_alone_never_makes_a_change(zoo):
    assert mismatches(zoo.rounds[1]) == {}
    assert zoo.noise_cli["since_noise_round"] == []
    assert {row["kind"] for row in zoo.noise_cli["all"]} == {"new"}
    assert len(zoo.noise_cli["all"]) == len(zoo.rounds[0].found)


@slow
def test_3_rewording_headlines_and_added_paragraphs_on_every_layout(zoo):
    assert mismatches(zoo.rounds[2]) == {}


@slow
def test_4_dropped_paragraphs_tldr_corrections_and_removals(zoo):
    assert mismatches(zoo.rounds[3]) == {}


@slow
def test_5_claimed_updates_restorations_and_a_br_headline(zoo):
    assert mismatches(zoo.rounds[4]) == {}


@slow
def test_6_partner_copies_are_their_own_stories_linked_to_their_originals(zoo):
    ids = zoo.label_ids()
    sites = zoo.sites
    partner_host = HOSTS["partner"]
    copies = [s for s in sites.stories("partner") if s.kind == "copy"]
    assert len(copies) >= 3
    near = set(zoo.query("SELECT article_id, copy_of FROM near_duplicates"))
    site_of = dict(zoo.query("SELECT article_id, site FROM articles"))
    problems = {}
    for copy in copies:
        original = f"{copy.extra['source']}/{copy.extra['source_slug']}"
        copy_ids = ids.get(f"partner/{copy.slug}", [])
        original_ids = ids.get(original, [])
        issues = []
        if len(copy_ids) != 1 or len(original_ids) != 1:
            issues.append(f"copy held by {copy_ids}, original by {original_ids}")
        elif copy_ids == original_ids:
            issues.append(f"copy merged into the original story {copy_ids[0]}")
        else:
            copy_id, original_id = copy_ids[0], original_ids[0]
            if site_of[copy_id] != "zoo-partner":
                issues.append(f"copy's site is {site_of[copy_id]}")
            if (copy_id, original_id) not in near:
                issues.append("no near_duplicates row (copy, original)")
        for article_id in original_ids:
            urls = zoo.query("SELECT url FROM article_urls WHERE article_id = ?", article_id)
            partner_urls = [u for (u,) in urls if _host(u) == partner_host]
            if partner_urls:
                issues.append(f"original's article_urls hold {partner_urls}")
        if issues:
            problems[f"partner/{copy.slug}"] = issues
    assert problems == {}
    # Every change was shown by a capture on the story's own host: the partner never versions
    # an original (not even one it was wrongly merged with), and nothing leaks across hosts.
    crossed = [
        (i, label, kind, host)
        for i, r in enumerate(zoo.rounds)
        for label, kind, host in r.capture_hosts
        if not label.startswith("?") and host not in _own_hosts(label)
    ]
    assert crossed == []


def _own_hosts(label: str) -> set[str]:
    sites = {part.split("/")[0] for part in label.split(" + ")}
    if sites != {"partner"}:
        sites.discard("partner")
    return {HOSTS[site] for site in sites}


@slow
def test_7_reindex_reproduces_the_same_story_tables(zoo):
    before = story_tables(zoo.data)
    reindex(zoo.data)
    assert story_tables(zoo.data) == before


# -- the fixture itself is noisy (fast) ---------------------------------------------------------

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


def _fetch(url: str) -> str:
    with _OPENER.open(url, timeout=10) as response:
        body = response.read()
        declared = response.headers.get_content_charset()
    found = re.search(rb"charset=[\"']?([\w-]+)", body[:600])
    charset = declared or (found.group(1).decode() if found else "utf-8")
    return body.decode(charset)


def _snapshot(story) -> str:
    return json.dumps(
        [story.title, story.dek, story.tldr, story.paragraphs, story.corrections,
         story.updated.isoformat(), story.removed],
        ensure_ascii=False, sort_keys=True,
    )  # fmt: skip


def _shows(html: str, text: str) -> bool:
    return escape(text) in html or json.dumps(text, ensure_ascii=False)[1:-1] in html


@pytest.mark.parametrize("site", [*LAYOUTS, "partner"])
def test_every_page_changes_bytes_between_requests_while_its_story_stays_the_same(site):
    with ZooSites() as sites:
        sites.advance(hours=3)  # the partner's copies are out
        for story in sites.stories(site):
            before = _snapshot(story)
            for url in sites.page_urls(site, story.slug):
                first = _fetch(url)
                sites.advance(seconds=600)
                second = _fetch(url)
                assert first != second, f"{url} sent the same bytes twice"
                for page in (first, second):
                    title = story.title["zh"] if "/zh/" in url else story.title["en"]
                    assert _shows(page, title), url
                    for paragraph in story.paragraphs:
                        langs = (
                            ("zh",) if "/zh/" in url else ("en",) if "/en/" in url else ("en", "zh")
                        )
                        for lang in langs:
                            assert _shows(page, paragraph[lang]), (url, paragraph[lang])
            assert _snapshot(story) == before
