"""Every saved page still extracts to its expected record and fingerprint (tests/golden.py).

The pages are the real-world corpus (English and Chinese news) and each demo layout; a failure
lists the fields that moved. If the change was intended, rewrite the expectations with
`uv run python -m tests.golden --update` and review `git diff tests/fixtures/golden`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from flows.demo_sites.zoo import LAYOUTS
from tests.golden import (
    GOLDEN,
    differences,
    expected_output,
    extraction_output,
    golden_pages,
    normalised,
    stale_expectations,
)

PAGES = golden_pages()
UPDATE_HINT = "if intended: uv run python -m tests.golden --update, then review the git diff"


@pytest.mark.parametrize("page", PAGES, ids=[page.id for page in PAGES])
def test_saved_page_extracts_to_its_expected_record(page):
    assert page.expected_path.exists(), f"{page.id} has no expectation yet; {UPDATE_HINT}"
    expected, actual = expected_output(page), normalised(extraction_output(page))
    if actual != expected:
        moved = differences(expected, actual)
        pytest.fail(f"{page.id}: extraction moved\n{moved}\n{UPDATE_HINT}", pytrace=False)


def test_golden_sets_cover_the_corpus_and_every_demo_layout():
    counts = Counter(page.set_name for page in PAGES)
    assert counts.pop("article-extraction-benchmark") == 181
    assert counts.pop("zh-news-gne") == 62
    assert set(counts) == {"demo"}
    demo_sites = {page.name.split("-")[0] for page in PAGES if page.set_name == "demo"}
    assert demo_sites == {"aggregator", "translated", "partner", *LAYOUTS}


def test_every_saved_page_and_expectation_belongs_to_a_listed_page():
    listed = {page.page_path for page in PAGES}
    assert sorted(GOLDEN.glob("*/*.html.gz")) == sorted(listed)
    assert stale_expectations(PAGES) == []
