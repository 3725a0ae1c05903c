"""The small steps of extraction: dates, language, decoding, bilingual split."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.stories.extract.bilingual import split_mixed
from archive.stories.extract.dates import CHINA, parse_date, parse_relative, relative_times
from archive.stories.extract.decode import decode_html
from archive.stories.extract.language import detect_language
from archive.stories.extract.record import _body_texts, _parse, _relative_byline
from archive.warc.extract_rules import BadExtractRules, normalise_rules

CAPTURED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("10h ago", datetime(2026, 11, 19, 22, 0, tzinfo=UTC)),
        ("Updated 2h ago", datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
        ("更新于 2小时前", datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
        ("3天前", datetime(2026, 11, 17, 8, 0, tzinfo=UTC)),
        ("刚刚", CAPTURED),
        ("昨天 10:30", datetime(2026, 11, 19, 2, 30, tzinfo=UTC)),  # 10:30 Beijing time
    ],
)
def test_relative_phrases_count_back_from_the_capture_time(phrase, expected):
    assert parse_relative(phrase, CAPTURED) == expected


def test_byline_separates_published_from_updated():
    published, updated = relative_times("10h ago · Updated 2h ago / 更新于 2小时前 51", CAPTURED)
    assert published == datetime(2026, 11, 19, 22, 0, tzinfo=UTC)
    assert updated == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年5月1日 10:30", datetime(2024, 5, 1, 2, 30, tzinfo=UTC)),
        ("2026-11-19 11:00 GMT+8", datetime(2026, 11, 19, 3, 0, tzinfo=UTC)),
        ("2026-11-19T11:00:00+08:00", datetime(2026, 11, 19, 3, 0, tzinfo=UTC)),
        ("Fri, 20 Nov 2026 06:00:00 GMT", datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
    ],
)
def test_absolute_dates_keep_their_zone_and_chinese_ones_default_to_utc8(text, expected):
    assert parse_date(text, CHINA) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("深度解读", "zh"),
        ("Claude 5发布", "zh"),
        ("欢迎来到AI治理的“AGI时代”", "zh"),
        ("Deep Analysis", "en"),
        ("Is the suspension permanent?", "en"),
        ("Le chat dort sur le canapé depuis ce matin, comme tous les jours.", "fr"),
        ("2026", None),
    ],
)
def test_short_and_mixed_lines_get_the_right_language(text, lang):
    assert detect_language(text) == lang


def test_gbk_bytes_decode_from_meta_and_utf8_wins_over_a_false_gb2312_claim():
    page = '<meta charset="gbk"><p>国产大模型价格战</p>'
    assert decode_html(page.encode("gbk")) == (page, "gb18030")
    lying = page.replace("gbk", "gb2312")
    assert decode_html(lying.encode("utf-8"), {"Content-Type": "text/html; charset=gb2312"}) == (
        lying,
        "utf-8",
    )
    big5 = "<p>人工智慧新聞</p>"
    assert decode_html(big5.encode("big5"), {"Content-Type": "text/html; charset=big5"})[0] == big5


def test_english_then_chinese_in_one_paragraph_is_split():
    text = "The move creates instability. 美国政府强制暂停模型访问，标志着AI治理进入新阶段。"
    assert split_mixed(text) == [
        "The move creates instability.",
        "美国政府强制暂停模型访问，标志着AI治理进入新阶段。",
    ]


def test_unknown_rule_field_is_named_in_the_error():
    with pytest.raises(BadExtractRules, match="extract.headline: unknown field"):
        normalise_rules({"headline": "h1"})


def test_language_model_from_the_cache_answers_as_the_packed_one(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from archive.stories.extract.langid_model import load_identifier

    monkeypatch.setenv("NEWSARC_CACHE", str(tmp_path))
    packed = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    written, mapped = load_identifier(), load_identifier()  # the second one reads the cache
    assert len(list(tmp_path.glob("py3langid-*/ready"))) == 1
    texts = ["The company did not disclose the size of the run.", "Die Firma schweigt.",
             "La société n'a rien dit.", "Компания не раскрыла размер.", "x"]  # fmt: skip
    for text in texts:
        assert written.classify(text) == mapped.classify(text) == packed.classify(text)


def test_language_model_loads_without_a_writable_cache(tmp_path, monkeypatch):
    from archive.stories.extract.langid_model import load_identifier

    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("NEWSARC_CACHE", str(blocked / "cache"))
    assert load_identifier().classify("The company did not disclose it.")[0] == "en"


@pytest.mark.parametrize(
    ("classes", "held"),
    [("story-trending box", True), ("TRENDING", True), ("trendingNow", False),
     ("share_bar", True), ("shared", False), ("a  comments\tb", True), ("", False),
     ("x-ago", True), ("agony", False)],
)  # fmt: skip
def test_marker_words_match_whole_words_only(classes, held):
    import re

    from archive.stories.extract.class_words import holds_word

    words = {"trending", "share", "comments", "comment", "ago"}
    assert holds_word(words)(classes) is held
    assert bool(words & set(re.split(r"[-_\s]+", classes.lower()))) is held


def test_a_relative_byline_with_a_control_character_is_still_read():
    # lxml refuses such text as an XPath value; the byline is then found by its position.
    tree = _parse("<html><body><h1>T</h1><div><p>Posted\x0b 10h ago</p></div></body></html>")
    published, _ = _relative_byline(tree, CAPTURED, lambda: _body_texts(tree))
    assert published == datetime(2026, 11, 19, 22, 0, tzinfo=UTC)


def test_relative_times_in_scripts_and_style_sheets_are_not_a_byline():
    # Even where markup inside a script would make an element, the parser keeps it as text.
    tree = _parse(
        "<html><body><script>var s = '<b>5h ago</b>';</script><style>/* 3h ago */</style>"
        "<p>Just text</p><div><span>Posted 10h ago</span></div></body></html>"
    )
    assert _body_texts(tree) == ["Just text", "Posted 10h ago"]
    published, _ = _relative_byline(tree, CAPTURED, lambda: _body_texts(tree))
    assert published == datetime(2026, 11, 19, 22, 0, tzinfo=UTC)
