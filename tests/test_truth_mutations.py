"""A sample of the metamorphic benchmark (benchmarks/truth_mutations.py) on real pages.

Two captures of a real corpus page that differ only in furniture (relative times, counters,
promos, related lists...) must give the same content hash; a real edit (a sentence, a
paragraph, the headline, a TL;DR bullet, a correction) must move the field it belongs to.
6 English and 3 Chinese pages from ../shared/corpus (NEWSARC_CORPUS to point elsewhere).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.mutations import (
    EDITS,
    FURNITURE,
    KINDS,
    Skip,
    in_language,
    make_pair,
    normalise,
    readable_strings,
)
from benchmarks.truth_mutations import Outcome, load_pages, sample_pages, score_pair

CORPUS = Path(
    os.environ.get("NEWSARC_CORPUS", Path(__file__).resolve().parents[2] / "shared/corpus")
)
MOJIBAKE = ("Ã", "锟斤拷", "\ufffd", "â€")


@pytest.fixture(scope="module")
def pages():
    if not (CORPUS / "article-extraction-benchmark").is_dir():
        pytest.skip(f"the real-page corpus is not at {CORPUS} (set NEWSARC_CORPUS)")
    return load_pages(CORPUS)


@pytest.fixture(scope="module")
def sample(pages):
    return sample_pages(pages, 6, 3)


@pytest.fixture(scope="module")
def outcomes(sample) -> dict[str, list[Outcome]]:
    """Every kind on every sampled page, scored once for all the tests below."""
    return {kind: [score_pair(page, kind, anchor=False) for page in sample] for kind in KINDS}


def _explain(failures: list[Outcome]) -> str:
    return "\n".join(
        f"{o.page_id[:16]} ({o.lang}): {o.verdict}, moved {o.fields} {o.diagnosis}"[:600]
        for o in failures
    )


@pytest.mark.parametrize("kind", FURNITURE)
def test_furniture_between_two_captures_makes_no_version(outcomes, kind):
    scored = [o for o in outcomes[kind] if o.skipped is None]
    assert scored, f"{kind} applied to no sampled page"
    failures = [o for o in scored if o.verdict != "clean"]
    assert not failures, f"{len(failures)}/{len(scored)} false changes:\n{_explain(failures)}"


@pytest.mark.parametrize("kind", EDITS)
def test_real_edit_moves_its_own_field_through_furniture(outcomes, kind):
    scored = [o for o in outcomes[kind] if o.skipped is None]
    assert scored, f"{kind} applied to no sampled page"
    failures = [o for o in scored if o.verdict != "detected"]
    assert not failures, f"{len(failures)}/{len(scored)} not detected:\n{_explain(failures)}"


@pytest.mark.parametrize("kind", FURNITURE)
def test_furniture_maker_changes_the_captured_bytes_and_keeps_the_story(sample, kind):
    for page in sample:
        pair = make_pair(page, kind)
        assert pair.a != pair.b, page.page_id
        assert pair.expected_field is None
        a, b = readable_strings(pair.a), readable_strings(pair.b)
        assert a != b, f"{page.page_id}: the furniture is not readable text"
        assert pair.captured_at[1] > pair.captured_at[0]


@pytest.mark.parametrize("kind", EDITS)
def test_edit_maker_changes_the_intended_text(sample, kind):
    applied = 0
    for page in sample:
        try:
            pair = make_pair(page, kind)
        except Skip:
            continue
        applied += 1
        a, b = normalise(readable_strings(pair.a)), normalise(readable_strings(pair.b))
        added, removed = normalise(pair.detail["added"]), normalise(pair.detail["removed"])
        assert added or removed
        if added:
            assert added in b and added not in a, (page.page_id, added)
            assert in_language(added, page.lang), (page.page_id, added)
        if removed:
            assert removed in a, (page.page_id, removed)
        assert pair.expected_field.endswith("_" + page.lang)
    assert applied, f"{kind} applied to no sampled page"


def test_captures_are_reproducible(sample):
    for kind in ("relative_time", "promo_rotation", "headline_changed"):
        first, second = make_pair(sample[0], kind), make_pair(sample[0], kind)
        assert (first.a, first.b) == (second.a, second.b)


@pytest.mark.parametrize("page_id", ["163-9", "people-1", "qq-2"])
def test_pages_declaring_gb2312_but_utf8_are_mutated_without_mojibake(pages, page_id):
    page = next(p for p in pages if p.page_id == page_id)
    pair = make_pair(page, "credit_lines")
    text = pair.b.decode("utf-8")
    assert not any(bad in text for bad in MOJIBAKE)
    assert re.findall(r"<meta[^>]*charset[^>]*>", text, re.IGNORECASE) == ['<meta charset="utf-8">']
