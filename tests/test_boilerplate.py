"""A site's boilerplate: paragraphs it repeats across its stories never make a version.

Each page carries a promo written to look like prose (no call-to-action words, no link, no
class name any rule knows), rotated between captures; only its recurrence across the site's
stories gives it away.
"""

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
SITE = "http://127.0.0.51:8051"
PATTERNS = json.dumps({"stories": ["/story/"], "listings": []})
PROMOS = [
    "Acme Cloud rents out the fastest accelerators by the hour, with no contract and no queue.",
    "The Frontier Summit returns to Singapore in March, with two days of talks on model safety.",
    "Our weekly briefing explains the week in artificial intelligence in five minutes flat.",
]
STORIES = {
    slug: [
        f"{topic} was the subject of a long meeting of regulators and researchers this week, "
        f"who spent the day comparing notes on what {topic.lower()} means for the industry.",
        f"People close to the talks said the discussion of {topic.lower()} ended without an "
        "agreement, but with a plan to meet again before the end of the year.",
        f"Critics of the process said {topic.lower()} needs clearer rules, and asked for a "
        "public consultation before anything is decided behind closed doors.",
    ]
    for slug, topic in [
        ("chips", "Chip export policy"), ("agents", "Agent liability"),
        ("copyright", "Training data copyright"), ("energy", "Data centre energy use"),
        ("robots", "Household robot safety"), ("audits", "Model audit standards"),
    ]
}  # fmt: skip


def page(slug: str, promo: str, paragraphs: list[str]) -> bytes:
    first, *rest = paragraphs
    body = f"<p>{first}</p><div class='k7x'>{promo}</div>" + "".join(f"<p>{p}</p>" for p in rest)
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{slug} | Wire</title></head><body>"
        f"<article><h1>{slug}</h1>{body}</article></body></html>"
    ).encode()


def crawl(data: Path, run: int, pages: dict[str, bytes]) -> Path:
    fields = {"isPartOf": "wire", "newsarc-run-id": f"run-{run}", "newsarc-page-patterns": PATTERNS}
    writer = WarcWriter(data / "warcs", f"wire-{run}", warcinfo_fields=fields)
    at = T0 + timedelta(hours=run)
    try:
        for i, (slug, body) in enumerate(sorted(pages.items())):
            url = f"{SITE}/story/{slug}"
            writer.write_exchange(
                HttpExchange(
                    url=url, method="GET", request_headers=[("Host", "127.0.0.51:8051")],
                    status=200, response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body, captured_at=at + timedelta(seconds=i),
                )
            )  # fmt: skip
    finally:
        writer.close()
    return data


def rotation(run: int) -> dict[str, bytes]:
    return {
        slug: page(slug, PROMOS[(run + i) % len(PROMOS)], paragraphs)
        for i, (slug, paragraphs) in enumerate(sorted(STORIES.items()))
    }


@pytest.fixture
def archive(tmp_path):
    data = tmp_path / "data"
    (data / "warcs").mkdir(parents=True)
    for run in range(2):
        crawl(data, run, rotation(run))
        ingest_data_dir(data)
    return data


def changes(data: Path) -> list[tuple]:
    return query(
        data,
        "SELECT c.kind, a.canonical_url, c.fields FROM changes c JOIN articles a USING "
        "(article_id) WHERE c.kind <> 'new' ORDER BY 2",
    )


def test_a_rotating_promo_the_site_repeats_never_makes_a_version(archive):
    assert changes(archive) == []
    bodies = query(archive, "SELECT body_en FROM article_versions")
    assert len(bodies) == len(STORIES)
    assert all(not set(body) & set(PROMOS) for (body,) in bodies), "promos leave the bodies"


def test_an_edit_beside_the_promo_is_still_seen(archive):
    edited = {slug: list(paragraphs) for slug, paragraphs in STORIES.items()}
    edited["chips"][1] += " A second meeting is now set for December."
    pages = {slug: page(slug, PROMOS[i % 3], p) for i, (slug, p) in enumerate(edited.items())}
    crawl(archive, 2, pages)
    ingest_data_dir(archive)
    assert changes(archive) == [("edited", f"{SITE}/story/chips", ["body_en"])]


def test_a_paragraph_on_two_stories_only_is_content(tmp_path):
    data = tmp_path / "data"
    (data / "warcs").mkdir(parents=True)
    shared = "A quote both stories carry, word for word, from the minister's statement today."
    pages = {slug: page(slug, shared if slug in ("chips", "agents") else "", paragraphs)
             for slug, paragraphs in STORIES.items()}  # fmt: skip
    crawl(data, 0, pages)
    ingest_data_dir(data)
    bodies = dict(query(data, "SELECT a.canonical_url, v.body_en FROM article_versions v "
                              "JOIN articles a USING (article_id)"))  # fmt: skip
    assert shared in bodies[f"{SITE}/story/chips"]


def learnt_tables(data: Path) -> dict[str, list[str]]:
    return story_tables(data, ("articles", "article_versions", "changes", "site_boilerplate"))


@pytest.mark.parametrize("order", ["oldest first", "newest first"])
def test_learning_is_the_same_incrementally_reindexed_and_in_any_order(archive, tmp_path, order):
    crawl(archive, 2, rotation(2))
    ingest_data_dir(archive)
    incremental = learnt_tables(archive)
    reindex(archive)
    assert learnt_tables(archive) == incremental
    files = sorted((archive / "warcs").glob("*.warc.gz"))
    if order == "newest first":
        files.reverse()
    other = tmp_path / "other"
    (other / "warcs").mkdir(parents=True)
    for warc in files:
        shutil.copy2(warc, other / "warcs" / warc.name)
        ingest_data_dir(other)
    assert learnt_tables(other) == incremental
