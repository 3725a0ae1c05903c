"""Real Chinese news pages (GeneralNewsExtractor's, GPL-3.0: tests/fixtures/golden/zh-news-gne/)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from archive.stories.extract import extract
from tests.golden import GOLDEN, ZH_SAMPLE

MOJIBAKE = ("Ã", "锟斤拷", "\ufffd", "â€")
CAPTURED = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("page", ZH_SAMPLE, ids=lambda p: p.name)
def test_real_chinese_page_yields_clean_title_body_and_date(page):
    story = extract("http://news.example.cn/a", gzip.open(page).read(), CAPTURED)
    text = " ".join([story.title_zh or "", *story.body_zh])
    assert not any(bad in text for bad in MOJIBAKE)
    assert story.title_zh
    assert sum(len(p) for p in story.body_zh) > 200
    assert story.published_at is not None and story.published_at < CAPTURED


@pytest.mark.parametrize("name", ["163-9.html.gz", "people-1.html.gz", "qq-2.html.gz"])
def test_utf8_bytes_declared_as_gb2312_are_read_as_utf8(name):
    body = gzip.open(GOLDEN / "zh-news-gne" / name).read()
    assert b"gb2312" in body[:4096].lower()
    assert extract("http://news.example.cn/a", body, CAPTURED).encoding == "utf-8"
