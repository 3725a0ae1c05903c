"""Fuzzing `extract` with damaged real pages: a record or a `DecodeError`, never anything else.

Every example is a real saved page (tests/fixtures, the shared corpus) with bytes flipped, cut or
inserted, invalid UTF-8 and GBK halves, NULs, thousands of nested tags, a 400 KB attribute, a
false or nonsensical charset, a content coding that lies, an odd URL or capture time. Whatever
comes out must be plain JSON that encodes as UTF-8 (the catalog stores it so), and the same
input must give the same record twice, memoised state forgotten in between.

The crashes fuzzing found are kept below as plain tests with the bytes that broke.
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import brotli
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.stories.extract import extract, forget_memoised
from archive.stories.extract.dates import parse_date, parse_relative
from archive.stories.extract.decode import decode_html
from archive.warc.content_coding import MAX_DECODED_BYTES, DecodeError
from tests.fuzz_inputs import (
    CAPTURE_TIMES,
    CAPTURED_AT,
    CONTENT_CODINGS,
    JSON_LD,
    LD_KEYS,
    PAGE_MUTATIONS,
    URLS,
    encode_body,
    fuzz_settings,
    header_strategies,
    mutate_page,
    seed_pages,
)

PAGE = (
    b"<html><head><title>AI news</title></head><body><article><h1>Big AI news</h1>"
    b"<time>10h ago</time><p>Updated 2h ago</p><p>A lab released a model today.</p>"
    b"</article></body></html>"
)


@pytest.fixture(scope="module", autouse=True)
def warm_extraction() -> None:
    """Load what extraction loads lazily (language model, trafilatura) before the first example,
    so that one-off cost is not charged to that example's deadline."""
    extract("http://a.example/", PAGE, CAPTURED_AT)


def extract_or_decode_error(url: str, body: bytes, captured_at: datetime, headers=None):
    """The story's JSON record, or None when the body is refused with a `DecodeError`."""
    try:
        story = extract(url, body, captured_at, headers)
    except DecodeError:
        return None
    record = story.to_json_dict()
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # what the catalog stores
    return record


def assert_same_record_twice(url: str, body: bytes, captured_at: datetime, headers=None):
    first = extract_or_decode_error(url, body, captured_at, headers)
    forget_memoised()
    assert extract_or_decode_error(url, body, captured_at, headers) == first


@given(
    page=st.sampled_from(seed_pages()),
    mutations=st.lists(PAGE_MUTATIONS, max_size=4),
    headers=header_strategies(),
)
@fuzz_settings(90, deadline_ms=4_000)
def test_mutated_real_pages_give_a_record_or_a_decode_error(page, mutations, headers) -> None:
    headers.pop("content-encoding", None)  # the bytes are not encoded; see the next test
    assert_same_record_twice(page.url, mutate_page(page.raw, mutations), CAPTURED_AT, headers)


@given(
    page=st.sampled_from(seed_pages()),
    coding=st.sampled_from(CONTENT_CODINGS),
    declared=st.one_of(st.none(), st.sampled_from(CONTENT_CODINGS)),
    cut=st.one_of(st.none(), st.integers(0, 1000).map(lambda n: n / 1000)),
    mutations=st.lists(PAGE_MUTATIONS, max_size=2),
)
@fuzz_settings(40, deadline_ms=4_000)
def test_content_codings_that_lie_or_are_torn(page, coding, declared, cut, mutations) -> None:
    body = mutate_page(encode_body(page.raw, coding, cut), mutations)
    headers = {"Content-Type": "text/html"}
    if declared:
        headers["Content-Encoding"] = declared
    assert_same_record_twice(page.url, body, CAPTURED_AT, headers)


@given(page=st.sampled_from(seed_pages()), url=URLS, captured_at=CAPTURE_TIMES)
@fuzz_settings(40, deadline_ms=4_000)
def test_any_url_and_capture_time(page, url, captured_at) -> None:
    assert_same_record_twice(url, page.raw, captured_at)


ARTICLE_LD = st.dictionaries(st.sampled_from(LD_KEYS), JSON_LD).map(
    lambda ld: {"@type": "NewsArticle", **ld}
)


@given(ld=st.one_of(ARTICLE_LD, JSON_LD), extra=st.lists(PAGE_MUTATIONS, max_size=1))
@fuzz_settings(60)
def test_any_json_ld_gives_a_record(ld, extra) -> None:
    """JSON-LD is the page's own claim, in any shape: lists where strings belong, numbers for
    dates, nesting, NaN. It may be ignored, never fatal."""
    page = mutate_page(PAGE, [("json-ld", ld), *extra])
    assert_same_record_twice("http://a.example/", page, CAPTURED_AT)


# -- crashes fuzzing found, kept with the bytes that broke -----------------------------------


def test_a_charset_python_knows_but_cannot_decode_falls_back() -> None:
    record = extract_or_decode_error(
        "http://a.example/",
        b"<p>caf\xe9</p>",
        CAPTURED_AT,
        {"Content-Type": "text/html; charset=undefined"},
    )
    assert record is not None


def test_a_brotli_body_that_is_not_brotli_is_a_decode_error() -> None:
    headers = {"Content-Type": "text/html", "Content-Encoding": "br"}
    assert (
        extract_or_decode_error("http://a.example/", gzip.compress(PAGE), CAPTURED_AT, headers)
        is None
    )


def test_a_brotli_bomb_is_refused_without_inflating_it() -> None:
    bomb = brotli.compress(b"\0" * (MAX_DECODED_BYTES + 1_000_000), quality=1)
    assert len(bomb) < 50_000
    with pytest.raises(DecodeError, match="inflates past"):
        decode_html(bomb, {"Content-Encoding": "br"})


@pytest.mark.parametrize(
    "phrase",
    ["99999999 weeks ago", "9" * 400 + " days ago", "yesterday at 25:61", "昨天 24:00"],
)
def test_a_relative_time_off_the_calendar_is_no_date(phrase: str) -> None:
    assert parse_relative(phrase, CAPTURED_AT) is None
    page = PAGE.replace(b"10h ago", phrase.encode())
    assert extract_or_decode_error("http://a.example/", page, CAPTURED_AT) is not None


@pytest.mark.parametrize(
    "captured_at", [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]
)
def test_a_capture_time_at_the_calendars_edge(captured_at: datetime) -> None:
    assert extract_or_decode_error("http://a.example/", PAGE, captured_at) is not None


@pytest.mark.parametrize(
    "stamp", ["2024-05-01 10:00 +9999", "2024-05-01 10:00 GMT+99", "0001-01-01T00:00:00+01:00"]
)
def test_a_date_whose_zone_or_year_is_off_the_calendar_is_no_date(stamp: str) -> None:
    assert parse_date(stamp) is None
    page = PAGE.replace(
        b"<head>", f'<head><meta property="article:published_time" content="{stamp}">'.encode()
    )
    record = extract_or_decode_error(
        "http://a.example/", page.replace(b"10h ago", stamp.encode()), CAPTURED_AT
    )
    assert record is not None


@pytest.mark.parametrize("nesting", [b"[" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000])
def test_json_ld_nested_past_the_recursion_limit_is_skipped(nesting: bytes) -> None:
    script = b'<script type="application/ld+json">' + nesting + b"</script>"
    record = extract_or_decode_error(
        "http://a.example/", PAGE.replace(b"<head>", b"<head>" + script), CAPTURED_AT
    )
    assert record is not None and record["title_en"]


def test_links_that_are_not_urls_are_ignored() -> None:
    links = b'<link rel="canonical" href="http://[bad"><link rel="alternate" hreflang="zh" href="http://[::1">'
    record = extract_or_decode_error(
        "http://a.example/", PAGE.replace(b"<head>", b"<head>" + links), CAPTURED_AT
    )
    assert record["canonical_url"] == "http://a.example/" and record["language_alternates"] == {}


def test_a_page_url_that_is_not_a_url() -> None:
    assert extract_or_decode_error("http://[::1", PAGE, CAPTURED_AT) is not None


@pytest.mark.parametrize("control", ["\x01", "\x0c", "\x1f", "\x00", "\ufffe"])
def test_a_control_character_beside_a_dropped_link_list_is_no_crash(control: str) -> None:
    """Found on a real page with one byte flipped: dropping a teaser list joins its tail to the
    text before it, and lxml refuses a control character in text set from Python."""
    links = "".join(f'<li><a href="/s/{n}">Story {n}</a></li>' for n in range(4))
    page = PAGE.replace(
        b"<p>Updated", f"<p>Before<ul>{links}</ul>after {control} it</p><p>Updated".encode()
    )
    record = extract_or_decode_error("http://a.example/", page, CAPTURED_AT)
    assert record is not None and "A lab released a model today." in record["body_en"]


def test_a_lone_surrogate_escape_in_json_ld_is_replaced_not_stored() -> None:
    """A lone surrogate in a record cannot be encoded: the catalog's whole batch would fail."""
    ld = rb'{"@type": "NewsArticle", "headline": "Big \ud800 AI news", "author": "Jo \udc00"}'
    script = b'<script type="application/ld+json">' + ld + b"</script>"
    page = PAGE.replace(b"<head>", b"<head>" + script)
    record = extract_or_decode_error("http://a.example/", page, CAPTURED_AT)
    assert record["author"] == "Jo \ufffd"


def test_utf7_that_decodes_to_a_lone_surrogate_keeps_the_page() -> None:
    page = PAGE.replace(b"<p>Updated", b"<p>utf7 +2AA- here</p><p>Updated")
    record = extract_or_decode_error(
        "http://a.example/", page, CAPTURED_AT, {"Content-Type": "text/html; charset=utf-7"}
    )
    assert "A lab released a model today." in record["body_en"]
