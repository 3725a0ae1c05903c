"""A stray invalid byte is replaced, never a reason to read a whole page in another charset."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from archive.stories.extract import extract
from archive.stories.extract.decode import decode_html
from tests.golden import GOLDEN

ZH_PAGES = GOLDEN / "zh-news-gne"
CAPTURED = datetime(2020, 1, 1, tzinfo=UTC)
UTF8 = {"Content-Type": "text/html; charset=utf-8"}
STORY = (
    "<html><head><meta charset='utf-8'><title>国产大模型价格战再升级</title></head><body>"
    "<article><h1>国产大模型价格战再升级</h1>"
    + "".join(
        f"<p>第{i}段：多家公司宣布下调大模型调用价格，业内人士认为价格战将推动应用落地。</p>"
        for i in range(8)
    )
    + "<p>发布时间：2024-05-21 10:00</p></article></body></html>"
)


def with_stray_byte(body: bytes, at: int) -> bytes:
    """*body* with 0xFF inserted before the first byte at or after *at* that starts a character."""
    while body[at] & 0xC0 == 0x80:
        at += 1
    return body[:at] + b"\xff" + body[at:]


def test_a_stray_ff_in_a_declared_utf8_page_is_replaced_not_read_as_gb18030():
    damaged = with_stray_byte(STORY.encode("utf-8"), len(STORY.encode("utf-8")) // 2)
    text, codec = decode_html(damaged, UTF8)
    assert codec == "utf-8"
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == STORY


def test_the_story_of_a_page_with_a_stray_byte_keeps_its_title_and_chinese_body():
    damaged = with_stray_byte(STORY.encode("utf-8"), STORY.encode("utf-8").index(b"<p>"))
    story = extract("http://127.0.0.1:8001/story/price-war", damaged, CAPTURED, UTF8)
    assert story.encoding == "utf-8"
    assert story.title_zh == "国产大模型价格战再升级"
    assert len(story.body_zh) >= 8 and not story.body_other


def test_a_real_chinese_page_declared_gb2312_but_sent_as_utf8_survives_a_stray_byte():
    body = gzip.open(ZH_PAGES / "qq-2.html.gz").read()
    clean = extract("http://news.example.cn/a", body, CAPTURED)
    damaged = extract("http://news.example.cn/a", with_stray_byte(body, len(body) // 3), CAPTURED)
    assert damaged.encoding == "utf-8"
    assert damaged.title_zh == clean.title_zh
    assert damaged.published_at == clean.published_at
    assert len(damaged.body_zh) >= len(clean.body_zh) - 1


def test_a_stray_byte_in_an_english_utf8_page_without_other_non_ascii_is_replaced():
    page = b"<html><head><title>Chips</title></head><body><p>Export rules \xff tighten.</p>"
    assert decode_html(page, UTF8) == (page.decode("utf-8", "replace"), "utf-8")


def test_gbk_pages_still_decode_even_when_mislabelled_utf8():
    page = "<p>国产大模型价格战再升级，多家公司宣布下调价格。</p>" * 5
    assert decode_html(page.encode("gbk")) == (page, "gb18030")
    assert decode_html(page.encode("gbk"), UTF8) == (page, "gb18030")
    gb18030_only = "<p>𠀀 国产大模型</p>" * 5  # a character beyond GBK
    assert decode_html(gb18030_only.encode("gb18030"), UTF8) == (gb18030_only, "gb18030")
