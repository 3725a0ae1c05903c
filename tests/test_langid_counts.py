"""newsarc's language identifier scores texts exactly as py3langid does (real model, no mocks).

It walks long texts with numpy and scores with a float32 copy of the table (langid_model.py);
these tests compare it with py3langid loaded from its packed model, bit for bit.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from functools import cache

import lxml.html
import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

from archive.stories.extract import extract, langid_model
from tests.golden import ZH_SAMPLE

SHORT = ["", "a", "ab", "abc", "abcd", "é", "é!", "中", "中a", "😀", " ", "."]
MIXED = [
    "Claude 5发布, the model is out",
    "Москва, Paris and 東京 — naïve café",
    "AI治理 enters a new phase as 美国政府 pauses access",
    "Ünïcödé Ελληνικά العربية हिन्दी 한국어 ok",
]
UPPER = [
    "THE COMPANY DID NOT DISCLOSE THE SIZE OF THE TRAINING RUN OR ITS COST.",
    "DIE FIRMA SCHWEIGT ZU DEN KOSTEN",
    "MOSCOW ÉTÉ ÜBER",
]
EMOJI = [
    "Launch day 🚀🚀 and the team is happy 😀😀😀 about the results of the benchmark",
    "a lone high surrogate \ud83d in the middle of a sentence about the weather today",
    "\udfff\ud800 surrogates only at the start",
    "👩‍👩‍👧‍👦 family emoji with joiners, flags 🇨🇳🇺🇸, keycaps 1️⃣ and a skin tone 👍🏽",
]
ENGLISH = (
    "The company did not disclose the size of the training run, but people familiar with the "
    "project said it used several thousand accelerators for most of the spring. "
)
LONG = [ENGLISH * 40, ("Die Firma schweigt zu den Kosten. " * 60) + "中文" * 200]
RAW_BYTES = [
    b"caf\xc3\xa9 au lait",
    b"\xff\xfe not utf-8 at all \xc3",
    b"trailing partial \xe4\xb8",
]


@cache
def page_texts() -> list[str]:
    """Every line of the fixture pages' text (scripts and menus too) and their paragraphs."""
    texts = []
    for page in ZH_SAMPLE:
        raw = gzip.open(page).read()
        tree = lxml.html.fromstring(raw.decode("utf-8", "replace"))
        texts += [line.strip() for line in tree.text_content().splitlines() if line.strip()]
        story = extract("http://news.example.cn/a", raw, datetime(2020, 1, 1, tzinfo=UTC))
        texts += [story.title_zh or "", *story.body_zh, *story.body_en, *story.body_other]
    return texts


GROUPS = {
    "short": SHORT,
    "mixed scripts": MIXED,
    "uppercase": UPPER,
    "emoji and surrogates": EMOJI,
    "long": LONG,
    "undecoded bytes": RAW_BYTES,
    "fixture pages": None,  # read when a test asks: page_texts()
}


def texts_of(group: str) -> list:
    return page_texts() if group == "fixture pages" else GROUPS[group]


@pytest.fixture(scope="module")
def plain() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture(scope="module")
def windowed(tmp_path_factory) -> langid_model.WindowedIdentifier:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSARC_CACHE", str(tmp_path_factory.mktemp("cache")))
        identifier = langid_model.load_identifier()
    assert isinstance(identifier, langid_model.WindowedIdentifier)
    assert identifier._walk is not None, "the model should forget, so long texts take numpy"
    assert identifier.nb_ptc.dtype == np.float32
    return identifier


def test_fixture_pages_give_thousands_of_texts_and_hundreds_long_enough_for_numpy():
    texts = page_texts()
    assert len(texts) > 1000
    assert sum(len(t.encode()) >= langid_model.WALK_WITH_NUMPY_FROM for t in texts) > 100


@pytest.mark.parametrize("group", GROUPS)
def test_numpy_walk_counts_the_features_py3langid_counts_in_the_same_order(group, plain, windowed):
    wrong = []
    for text in texts_of(group):
        encoded = plain._encode(text)
        expected = visit_counts(plain.tk_nextmove, plain._rowbase, plain.tk_output, encoded)
        ids, counts = langid_model.counted_in_first_order(windowed._walk.features(encoded))
        if list(zip(ids.tolist(), counts.tolist(), strict=True)) != list((expected or {}).items()):
            wrong.append(text)
    assert not wrong


@pytest.mark.parametrize("numpy_from", [0, langid_model.WALK_WITH_NUMPY_FROM])
@pytest.mark.parametrize("group", GROUPS)
def test_scores_and_answers_equal_py3langids_bit_for_bit(
    group, numpy_from, plain, windowed, monkeypatch
):
    monkeypatch.setattr(langid_model, "WALK_WITH_NUMPY_FROM", numpy_from)
    wrong = []
    for text in texts_of(group):
        encoded = plain._encode(text)
        raw, expected_raw = windowed._raw_score(encoded), plain._raw_score(encoded)
        same_raw = raw.dtype == expected_raw.dtype and np.array_equal(raw, expected_raw)
        same_decision = np.array_equal(windowed._decide(text), plain._decide(text))
        if not (same_raw and same_decision and windowed.classify(text) == plain.classify(text)):
            wrong.append(text)
    assert not wrong


def test_restricting_languages_keeps_the_scores_equal(plain, windowed):
    try:
        for identifier in (plain, windowed):
            identifier.set_languages(["en", "de", "fr", "zh"])
        for text in LONG + UPPER:
            assert windowed.classify(text) == plain.classify(text)
    finally:
        for identifier in (plain, windowed):
            identifier.set_languages(None)


def automaton(rows: list[dict[int, int]], row_of_state: list[int]) -> tuple[np.ndarray, ...]:
    """nextmove (rows of 256 next states, 0 unless given) and each state's row."""
    nextmove = np.zeros((len(rows), 256), dtype=np.uint16)
    for index, moves in enumerate(rows):
        for byte, state in moves.items():
            nextmove[index, byte] = state
    return nextmove.ravel(), np.array(row_of_state, dtype=np.uint16)


A, B = ord("a"), ord("b")


def test_automaton_that_only_knows_the_last_byte_forgets_after_one():
    assert langid_model.forgetting_window(*automaton([{A: 1}], [0, 0])) == 1


def test_automaton_that_finds_a_two_byte_string_forgets_after_two():
    # states: 0 nothing, 1 after "a", 2 after "ab"; 0 and 2 move alike
    found_ab = automaton([{A: 1}, {A: 1, B: 2}], [0, 1, 0])
    assert langid_model.forgetting_window(*found_ab) == 2


def test_automaton_that_counts_bytes_never_forgets():
    parity_of_a = automaton([{A: 1}, {A: 0, **{b: 1 for b in range(256) if b != A}}], [0, 1])
    assert langid_model.forgetting_window(*parity_of_a) is None
