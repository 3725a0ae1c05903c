"""A profile's `[extract]` rules: validated at load, written into every warcinfo, used by ingest,
reindex and `newsarc extract --profile`, so a site's refinements travel with its archive."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.errors import BadProfile
from archive.warc.extract_rules import FIELDS
from archive.warc.writer import HttpExchange, WarcWriter
from crawlers.profile import load_profile
from crawlers.settings import warcinfo_fields
from flows.cli import app
from flows.pipeline import ingest_data_dir, reindex
from tests.catalog_queries import query

PROFILE = """
name = "ai-weekly"
allowed_domains = ["news.example.invalid"]
start_urls = ["https://news.example.invalid/"]
[patterns]
stories = ['/story/']
"""
RULES = """
[extract]
drop = ".promo-x"
title_en = ["h2.real-headline"]
"""
STORY_URL = "https://news.example.invalid/story/cards"
HEADLINE = "Labs agree on a shared model card format"
PROMO = "Upgrade to AI Weekly Pro"

# The site banner is the only <h1> and matches <title>, so generic extraction takes it for the
# headline; the promo box has no class word that marks it as furniture, so its text stays.
PAGE = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AI Weekly</title>
</head><body><header><h1>AI Weekly</h1></header><article>
<h2 class="real-headline">{HEADLINE}</h2>
<p>Three frontier labs agreed on Tuesday to publish model cards in one shared format, covering
evaluations, summaries of training data and the failure modes each lab already knows about.</p>
<div class="promo-x"><p>{PROMO} today for unlimited access to every briefing we publish, early
looks at our rankings and a members-only discussion forum, all for one low monthly price.</p></div>
<p>The format will be reviewed every six months by a rotating group of researchers from the labs
and from universities, who will publish their notes alongside each revision of the template.</p>
<p>Critics said the agreement leaves out smaller labs, which were not invited to the talks and
will have to adopt a format they had no say in if they want their models compared fairly.</p>
</article></body></html>""".encode()


def write_profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def crawl_into(data: Path, warcinfo: dict[str, str]) -> None:
    """What a crawl of the story page leaves behind: one closed WARC headed by `warcinfo`."""
    writer = WarcWriter(data / "warcs", "ai-weekly", warcinfo_fields=warcinfo)
    writer.write_exchange(
        HttpExchange(
            url=STORY_URL,
            method="GET",
            request_headers=[("Host", "news.example.invalid")],
            status=200,
            response_headers=[("Content-Type", "text/html; charset=utf-8")],
            body=PAGE,
            captured_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        )
    )
    writer.close()


def extracted(data: Path) -> tuple[dict, tuple]:
    """The story page's extraction record, and its (title_en, body_en) in article_versions."""
    [(record,)] = query(data, "SELECT record FROM extractions WHERE url = ?", STORY_URL)
    [version] = query(data, "SELECT title_en, body_en FROM article_versions")
    return json.loads(record), version


def assert_ruled(data: Path) -> None:
    record, (title, body) = extracted(data)
    assert record["title_en"] == title == HEADLINE
    assert not any(PROMO in p for p in record["body_en"] + body)
    assert any("shared format" in p for p in body)


def assert_generic(data: Path) -> None:
    record, (title, body) = extracted(data)
    assert record["title_en"] == title == "AI Weekly"
    assert any(PROMO in p for p in body)


# -- the profile -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rules, named, allowed",
    [
        ('body = "p[["', "extract.body: 'p[[' is not a valid CSS selector", None),
        ('title_en = ["h2", "h1 >"]', "extract.title_en: 'h1 >' is not a valid", None),
        ('headline = "h1"', "extract.headline: unknown field; allowed: ", ", ".join(FIELDS)),
        ("body = []", "extract.body: give at least one CSS selector", None),
    ],
)
def test_bad_extract_rule_names_file_and_key(tmp_path, rules, named, allowed):
    path = write_profile(tmp_path, f"{PROFILE}\n[extract]\n{rules}\n")
    with pytest.raises(BadProfile) as error:
        load_profile(path)
    assert f"{path}: {named}" in str(error.value)
    assert allowed is None or allowed in str(error.value)


def test_profile_without_extract_table_has_no_rules(tmp_path):
    profile = load_profile(write_profile(tmp_path, PROFILE))
    assert profile.extract == {}
    assert "newsarc-extract-rules" not in warcinfo_fields(profile, "run-1")


def test_rules_are_normalised_and_recorded_in_warcinfo(tmp_path):
    profile = load_profile(write_profile(tmp_path, PROFILE + RULES))
    assert profile.extract == {"drop": [".promo-x"], "title_en": ["h2.real-headline"]}
    fields = warcinfo_fields(profile, "run-1")
    assert fields["newsarc-extract-rules"] == (
        '{"drop":[".promo-x"],"title_en":["h2.real-headline"]}'
    )


# -- ingest and reindex ------------------------------------------------------------------------
def test_ingest_and_reindex_extract_with_the_rules_recorded_at_crawl_time(tmp_path):
    profile_path = write_profile(tmp_path, PROFILE + RULES)
    data = tmp_path / "data"
    crawl_into(data, warcinfo_fields(load_profile(profile_path), "run-1"))

    ingest_data_dir(data)
    assert_ruled(data)

    profile_path.write_text(PROFILE, encoding="utf-8")  # the profile changes; its WARCs do not
    reindex(data)
    assert_ruled(data)


def test_warc_without_rules_is_extracted_generically(tmp_path):
    data = tmp_path / "data"
    crawl_into(data, warcinfo_fields(load_profile(write_profile(tmp_path, PROFILE)), "run-1"))
    ingest_data_dir(data)
    assert_generic(data)


def test_invalid_rules_in_a_warcinfo_are_logged_and_ignored(tmp_path, caplog):
    data = tmp_path / "data"
    fields = warcinfo_fields(load_profile(write_profile(tmp_path, PROFILE)), "run-1")
    crawl_into(data, {**fields, "newsarc-extract-rules": '{"drop":["p[["]}'})
    with caplog.at_level(logging.WARNING, logger="archive.stories.captures"):
        ingest_data_dir(data)
    assert_generic(data)
    assert "extract.drop: 'p[[' is not a valid CSS selector" in caplog.text


# -- newsarc extract --profile -----------------------------------------------------------------
def test_cli_extract_applies_the_profile_rules(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    args = ["extract", str(page), "--url", STORY_URL, "--captured-at", "2026-11-20T10:00:00Z"]
    runner = CliRunner()

    generic = runner.invoke(app, args)
    assert generic.exit_code == 0, generic.output
    assert json.loads(generic.output)["title_en"] == "AI Weekly"

    ruled = runner.invoke(app, [*args, "--profile", str(write_profile(tmp_path, PROFILE + RULES))])
    assert ruled.exit_code == 0, ruled.output
    record = json.loads(ruled.output)
    assert record["title_en"] == HEADLINE
    assert not any(PROMO in p for p in record["body_en"])


def test_cli_extract_reports_a_bad_profile(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE)
    profile = write_profile(tmp_path, PROFILE + '[extract]\nbody = "p[["\n')
    result = CliRunner().invoke(app, ["extract", str(page), "--profile", str(profile)])
    assert result.exit_code == 2
    assert "extract.body: 'p[[' is not a valid CSS selector" in result.output
