"""Seeds and mutations for the fuzz tests: real pages and real WARCs, damaged as the world does.

Seeds are the saved Chinese pages under tests/fixtures plus, when the shared corpus is present
(NEWSARC_CORPUS to point elsewhere), a spread of its 243 real pages; WARCs are written from them
by the project's own `WarcWriter`. Mutations are hypothesis strategies whose positions are
fractions of the input, so a failing example reads the same whatever seed it landed on, and
shrinking moves towards "no damage".

Each test's budget comes from `fuzz_settings`: a fixed count in the suite, or
``NEWSARC_FUZZ_EXAMPLES`` per test for a long run (``uv run python -m benchmarks.fuzz``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import brotli
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from archive.warc.writer import HttpExchange, WarcWriter
from tests.golden import ZH_SAMPLE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSARC_CORPUS", ROOT.parent / "shared/corpus"))
CAPTURED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# -- budget -------------------------------------------------------------------------------------


def long_run_examples() -> int | None:
    """Examples per fuzz test asked for by ``NEWSARC_FUZZ_EXAMPLES`` (None: the suite budget)."""
    value = os.environ.get("NEWSARC_FUZZ_EXAMPLES", "").strip()
    return int(value) if value else None


def fuzz_settings(suite_examples: int, deadline_ms: int = 2_000) -> settings:
    """Settings for one fuzz test: a fixed, derandomised budget in the suite (CI reproduces every
    example), or a long random run when NEWSARC_FUZZ_EXAMPLES is set.

    The deadline is the "no hang" property: generous enough for a 2-core machine shared with the
    rest of the suite, far below what a loop or a quadratic blow-up would take.
    """
    long_run = long_run_examples()
    return settings(
        max_examples=long_run or suite_examples,
        deadline=timedelta(milliseconds=deadline_ms),
        derandomize=long_run is None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- seeds --------------------------------------------------------------------------------------


class SeedPage:
    """A real page: its name, a URL to extract it under, its bytes. Not a dataclass, so that a
    failing example names its seed instead of printing 500 KB."""

    __slots__ = ("name", "raw", "url")

    def __init__(self, name: str, url: str, raw: bytes) -> None:
        self.name, self.url, self.raw = name, url, raw

    def __repr__(self) -> str:
        return f"SeedPage({self.name!r}, {len(self.raw)} bytes)"


@cache
def seed_pages() -> tuple[SeedPage, ...]:
    """The repository's saved pages, then every 12th corpus page when the corpus is here (all
    of them in a long run): English and Chinese, UTF-8 and GB2312-declared."""
    pages = [
        SeedPage(p.name, f"http://news.example.cn/{p.name.split('.')[0]}", _gunzip(p))
        for p in ZH_SAMPLE
    ]
    every = 1 if long_run_examples() else 12
    corpus = sorted(CORPUS.glob("*/html/*.html.gz")) + sorted(CORPUS.glob("zh-news-gne/*.html.gz"))
    for path in corpus[::every]:
        pages.append(
            SeedPage(path.name, f"http://news.example.com/{path.name[:12]}", _gunzip(path))
        )
    return tuple(pages)


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def small_seed_pages(limit: int = 60_000) -> tuple[SeedPage, ...]:
    """Seeds cut to *limit* bytes: WARCs stay small enough to write hundreds of in the suite."""
    return tuple(SeedPage(p.name, p.url, p.raw[:limit]) for p in seed_pages())


# -- page mutations -----------------------------------------------------------------------------

# Bytes that are not UTF-8, or start a sequence that never finishes, or are GBK/GB18030 halves.
BAD_SEQUENCES = (
    b"\xff", b"\xfe", b"\x80", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xc0\xaf",
    b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x81", b"\x81\x30", b"\x81\x30\x81",
    b"\xa1", b"\xd6\xd0\xce", b"\x00", b"\x00\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\x1b$B", b"+ADw-", b"\\ud800", b"&#0;", b"&#xD800;", b"&#x110000;", b"\r", b"\x0c",
)  # fmt: skip
# Charset labels a page may declare: real ones, aliases, Python codecs that are not charsets.
CHARSET_LABELS = (
    "utf-8", "UTF8", "gb2312", "GBK", "gb18030", "big5", "shift_jis", "euc-jp", "iso-2022-jp",
    "koi8-r", "windows-1252", "latin1", "utf-16", "utf-16le", "utf-32", "utf-7", "ascii",
    "x-user-defined", "undefined", "unicode_escape", "raw_unicode_escape", "punycode", "idna",
    "base64", "rot13", "zlib", "hex", "uu", "quopri", "bz2", "mbcs", "charmap", "palmos",
    "hz", "cp65001", "utf_8_sig", "", "none", "..", "x" * 300,
)  # fmt: skip
CONTENT_CODINGS = ("gzip", "x-gzip", "deflate", "br", "identity", "compress", "gzip, br", "GZIP")
TAGS = (b"div", b"p", b"b", b"table", b"span", b"article", b"li", b"ul", b"a", b"svg", b"math")

_position = st.integers(0, 1000).map(lambda n: n / 1000)

# JSON-LD a page may carry: the keys extraction reads, holding any JSON at all.
LD_KEYS = (
    "@type", "@graph", "headline", "name", "alternativeHeadline", "description", "author",
    "datePublished", "dateModified", "keywords", "articleBody", "publisher", "mainEntity",
    "inLanguage", "text", "acceptedAnswer", "url", "image",
)  # fmt: skip
LD_TYPES = st.sampled_from(("NewsArticle", "WebPage", "FAQPage", "Question", "Organization"))
_ld_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30), LD_TYPES,
    st.sampled_from(("2024-05-01T10:00:00Z", "0001-01-01T00:00:00+01:00", "99999-01-01", "")),
)  # fmt: skip
JSON_LD = st.recursive(
    _ld_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(LD_KEYS), inner),
    max_leaves=20,
)

PAGE_MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), _position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), _position),
    st.tuples(st.just("insert"), _position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), _position, st.sampled_from(BAD_SEQUENCES)),
    st.tuples(st.just("delete"), _position, st.integers(1, 4096)),
    st.tuples(st.just("repeat"), _position, st.integers(1, 2048), st.integers(2, 50)),
    st.tuples(st.just("nest"), _position, st.sampled_from(TAGS), st.integers(1, 5000)),
    st.tuples(st.just("attribute"), _position, st.integers(1, 400_000)),
    st.tuples(st.just("meta-charset"), st.sampled_from(CHARSET_LABELS)),
    st.tuples(st.just("nul-everywhere"), st.integers(2, 64)),
    st.tuples(st.just("json-ld"), JSON_LD),
)


def _at(data: bytes, fraction: float) -> int:
    return round(len(data) * fraction)


def mutate_page(raw: bytes, mutations: list[tuple]) -> bytes:
    """Apply page mutations in order (each one sees the previous one's result)."""
    data = raw
    for op, *args in mutations:
        if op == "meta-charset":
            data = _declare_charset(data, args[0])
            continue
        if op == "json-ld":
            script = json.dumps(args[0]).replace("</", "<\\/")
            data = _in_head(data, f'<script type="application/ld+json">{script}</script>'.encode())
            continue
        if op == "nul-everywhere":
            step = args[0]
            data = b"".join(data[i : i + step] + b"\x00" for i in range(0, len(data), step))
            continue
        i = _at(data, args[0])
        if op == "flip" and data:
            i = min(i, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ args[1]]) + data[i + 1 :]
        elif op == "truncate":
            data = data[:i]
        elif op == "insert":
            data = data[:i] + args[1] + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + args[1] :]
        elif op == "repeat":
            data = data[:i] + data[i : i + args[1]] * args[2] + data[i + args[1] :]
        elif op == "nest":
            tag, depth = args[1], args[2]
            data = data[:i] + (b"<" + tag + b">") * depth + data[i:]
        elif op == "attribute":
            data = data[:i] + b'<a title="' + b"A" * args[1] + b'" href="#">x</a>' + data[i:]
    return data


def _declare_charset(data: bytes, label: str) -> bytes:
    """Put a <meta charset> first thing in <head>, where a browser looks for it."""
    return _in_head(data, f'<meta charset="{label}">'.encode())


def _in_head(data: bytes, markup: bytes) -> bytes:
    head = data.lower().find(b"<head")
    end = data.find(b">", head) if head >= 0 else -1
    return data[: end + 1] + markup + data[end + 1 :] if end >= 0 else markup + data


def header_strategies() -> st.SearchStrategy[dict[str, str]]:
    """HTTP headers a capture may carry: charset claims true or false, content codings."""
    charset = st.sampled_from(CHARSET_LABELS)
    content_type = st.one_of(
        st.just("text/html"),
        charset.map(lambda c: f"text/html; charset={c}"),
        charset.map(lambda c: f'text/html; charset="{c}"; charset=utf-8'),
        st.text(max_size=40),
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "content-type": content_type,
            "content-encoding": st.sampled_from(CONTENT_CODINGS),
        },
    )


def encode_body(body: bytes, coding: str | None, cut: float | None) -> bytes:
    """*body* under content coding *coding*, optionally cut to a fraction (a torn download)."""
    name = (coding or "").lower().split(",")[0].strip()
    if name in ("gzip", "x-gzip"):
        body = gzip.compress(body, mtime=0)
    elif name == "deflate":
        body = zlib.compress(body)
    elif name == "br":
        body = brotli.compress(body, quality=1)
    return body[: _at(body, cut)] if cut is not None else body


# Odd but possible target URIs: what a hostile link or a careless operator could hand over.
URLS = st.one_of(
    st.just("http://news.example.com/a"),
    st.sampled_from(
        (
            "",
            "not a url",
            "http://[::1",
            "http://[bad/x",
            "https://例子.测试/新闻?q=%FF",
            "javascript:alert(1)",
            "http://user:p@ss@h/",
            "file:///etc/passwd",
            "http://a:99999/",
            "http://a/" + "x" * 10_000,
            "//no-scheme/a",
            "http://\x00/",
        )  # fmt: skip
    ),
    st.text(max_size=80),
)
CAPTURE_TIMES = st.one_of(
    st.just(CAPTURED_AT),
    st.datetimes(
        min_value=datetime(1, 1, 1),
        max_value=datetime(9999, 12, 31, 23, 59),
        timezones=st.just(UTC),
    ),
)


# -- WARCs --------------------------------------------------------------------------------------


STORIES = json.dumps({"stories": ["/"]})  # every page of the seed WARCs is a story


def write_seed_warc(directory: Path, pages: tuple[SeedPage, ...]) -> Path:
    """A closed WARC holding a warcinfo, then per page a response, its request and a rendered
    DOM, and one fetch-error metadata record: every record kind the crawler writes."""
    fields = {"isPartOf": "fuzz", "newsarc-run-id": "r1", "newsarc-page-patterns": STORIES}
    writer = WarcWriter(directory, "fuzz", warcinfo_fields=fields)
    for n, page in enumerate(pages):
        when = CAPTURED_AT + timedelta(minutes=n)
        response, _ = writer.write_exchange(
            HttpExchange(
                url=page.url,
                method="GET",
                request_headers=[("User-Agent", "newsarc-fuzz")],
                status=200,
                response_headers=[
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Encoding", "gzip"),
                ],
                body=gzip.compress(page.raw, mtime=0),
                captured_at=when,
                ip_address="127.0.0.1",
            )
        )
        writer.write_resource(
            f"urn:newsarc:rendered-dom:{page.url}",
            page.raw,
            "text/html; charset=utf-8",
            captured_at=when,
            concurrent_to=response.record_id,
            refers_to_uri=page.url,
        )
    writer.write_metadata(
        "http://news.example.com/gone",
        b'{"error": "http", "status": 503}',
        "application/vnd.newsarc.fetch-error+json",
        captured_at=CAPTURED_AT,
    )
    writer.close()
    [path] = writer.closed_files
    return path


def members(data: bytes) -> list[bytes]:
    """The gzip members of a gzip-per-record WARC, in order (warcio's record boundaries)."""
    it = ArchiveIterator(io.BytesIO(data))
    bounds = []
    for _ in it:
        bounds.append((it.get_record_offset(), it.get_record_length()))
    return [data[offset : offset + length] for offset, length in bounds]


def plain(member: bytes) -> bytes:
    return gzip.decompress(member)


# Record-level damage: applied to one record's plain bytes before it is gzipped again.
WARC_FIELDS = ("WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI", "Content-Type",
               "WARC-Payload-Digest", "Content-Length")  # fmt: skip
RECORD_MUTATIONS = st.one_of(
    st.tuples(st.just("content-length"), st.integers(-5000, 5000)),
    st.tuples(
        st.just("content-length-text"),
        st.sampled_from(("", "-1", "1e3", "0x10", "9" * 30, " 12", "12 34")),
    ),
    st.tuples(st.just("huge-http-header"), st.integers(1, 40).map(lambda k: k * 1024)),
    st.tuples(st.just("many-http-headers"), st.integers(1, 3000)),
    st.tuples(st.just("chunked-garbage"), st.binary(max_size=200)),
    st.tuples(st.just("warc-header"), st.sampled_from(WARC_FIELDS), st.binary(max_size=60)),
    st.tuples(st.just("drop-warc-header"), st.sampled_from(WARC_FIELDS)),
    st.tuples(
        st.just("version-line"),
        st.sampled_from((b"WARC/1.0", b"WARC/0.9", b"warc/1.1", b"", b"HTTP/1.1 200 OK")),
    ),
    st.tuples(st.just("status-line"), st.binary(max_size=40)),
    st.tuples(st.just("page"), st.lists(PAGE_MUTATIONS, min_size=1, max_size=2)),
    st.tuples(
        st.just("story-patterns"),
        st.one_of(
            st.sampled_from(("{", '["/"]', '{"stories": "["}', '{"stories": [5]}', "null")),
            st.text(max_size=30),
        ),
    ),
)

# File-level damage: applied to the whole file's bytes.
FILE_MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), _position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), _position),
    st.tuples(st.just("insert"), _position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), _position, st.integers(1, 512)),
    st.tuples(st.just("zero-run"), _position, st.integers(1, 4096)),
)


def mutate_record(record: bytes, mutation: tuple) -> bytes:
    """One plain WARC record, damaged at the record level."""
    op, *args = mutation
    head, sep, block = record.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if op == "content-length":
        lines = [
            _with_value(line, b"content-length", lambda v: str(max(0, int(v) + args[0])).encode())
            for line in lines
        ]
    elif op == "content-length-text":
        lines = [_with_value(line, b"content-length", lambda v: args[0].encode()) for line in lines]
    elif op == "warc-header":
        name = args[0].encode()
        lines = [_with_value(line, name.lower(), lambda v: args[1]) for line in lines]
    elif op == "drop-warc-header":
        lines = [
            line for line in lines if not line.lower().startswith(args[0].lower().encode() + b":")
        ]
    elif op == "version-line":
        lines[0] = args[0]
    elif op == "story-patterns":  # what a hand-edited warcinfo may say; other records unchanged
        field = b"newsarc-page-patterns: " + args[0].encode() + b"\r"
        block = re.sub(rb"(?m)^newsarc-page-patterns: .*\r$", lambda _: field, block)
        lines = [
            _with_value(line, b"content-length", lambda v: str(len(block) - 4).encode())
            for line in lines
        ]
    else:
        block = _mutate_http_block(block, op, args)
        lines = [
            _with_value(line, b"content-length", lambda v: str(len(block) - 4).encode())
            for line in lines
        ]
    return b"\r\n".join(lines) + sep + block


def _with_value(line: bytes, name: bytes, change) -> bytes:
    field, sep, value = line.partition(b":")
    if not sep or field.strip().lower() != name:
        return line
    try:
        return field + b": " + change(value.strip())
    except ValueError:
        return line


def _mutate_http_block(block: bytes, op: str, args: list) -> bytes:
    """Damage the HTTP part of a record's block (the block keeps its trailing CRLF CRLF)."""
    body_end = len(block) - 4
    http_head, sep, payload = block[:body_end].partition(b"\r\n\r\n")
    if not sep:
        return block
    if op == "huge-http-header":
        http_head += b"\r\nX-Padding: " + b"p" * args[0]
    elif op == "many-http-headers":
        http_head += b"".join(b"\r\nX-H%d: v" % n for n in range(args[0]))
    elif op == "chunked-garbage":
        http_head += b"\r\nTransfer-Encoding: chunked"
        payload = b"5\r\nhello\r\nZZ\r\n" + args[0] + payload[: len(payload) // 2]
    elif op == "status-line":
        first, nl, rest = http_head.partition(b"\r\n")
        http_head = args[0] + nl + rest
    elif op == "page":
        payload = mutate_page(payload, args[0])
    return http_head + sep + payload + block[body_end:]


def mutate_file(data: bytes, mutation: tuple) -> tuple[bytes, int]:
    """The damaged bytes and the first offset the damage touches."""
    op, *args = mutation
    i = min(_at(data, args[0]), len(data))
    if op == "flip" and data:
        i = min(i, len(data) - 1)
        return data[:i] + bytes([data[i] ^ args[1]]) + data[i + 1 :], i
    if op == "truncate":
        return data[:i], i
    if op == "insert":
        return data[:i] + args[1] + data[i:], i
    if op == "delete":
        return data[:i] + data[i + args[1] :], i
    if op == "zero-run":
        run = min(args[1], len(data) - i)
        return data[:i] + b"\x00" * run + data[i + run :], i
    return data, len(data)
