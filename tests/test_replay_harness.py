"""The replay harness itself: a WARC built here replays through pywb, statically and in Chromium.

Nothing is served live: every byte comes out of the WARC.
"""

from __future__ import annotations

import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.replay import PywbReplay, render_in_chromium

SITE = "http://news.example"
WARC_DATE = "2024-05-01T12:00:00Z"
TIMESTAMP = "20240501120000"

EN_TITLE = "OpenAI and DeepSeek release new reasoning models"
ZH_TITLE = "人工智能新闻：新推理模型发布"
JS_TITLE = "Rendered by script / 脚本渲染的标题"

STATIC_HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{EN_TITLE}</title></head>
<body><h1 lang="en">{EN_TITLE}</h1><h1 lang="zh">{ZH_TITLE}</h1></body></html>
"""

JS_PAGE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>live</title></head>
<body><h1 id="headline">loading…</h1><script src="/static/headline.js"></script></body></html>
"""

HEADLINE_JS = f"""document.getElementById("headline").textContent = {JS_TITLE!r};
document.title = {JS_TITLE!r};
"""


def _response(writer: WARCWriter, url: str, body: str, content_type: str) -> None:
    payload = body.encode("utf-8")
    http_headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(payload)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(payload),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )
    writer.write_record(record)


def build_warc(path: Path) -> Path:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="WARC/1.1")
        _response(writer, f"{SITE}/story/static", STATIC_HTML, "text/html; charset=utf-8")
        _response(writer, f"{SITE}/live/story", JS_PAGE_HTML, "text/html; charset=utf-8")
        _response(
            writer,
            f"{SITE}/static/headline.js",
            HEADLINE_JS,
            "application/javascript; charset=utf-8",
        )
    return path


def _http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:
        assert resp.status == 200, (url, resp.status)
        return resp.read().decode("utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_pywb_replays_static_and_js_rendered_pages(tmp_path: Path) -> None:
    warc = build_warc(tmp_path / "harness-20240501120000000000-00000.warc.gz")

    with PywbReplay([warc], tmp_path) as replay:
        # Static page, plain HTTP: both titles, the Chinese one intact through rewriting.
        static_html = _http_get(replay.replay_url(f"{SITE}/story/static", TIMESTAMP))
        assert EN_TITLE in static_html
        assert ZH_TITLE in static_html

        # Latest capture without a timestamp and the raw (id_) payload also resolve.
        assert ZH_TITLE in _http_get(replay.replay_url(f"{SITE}/story/static"))
        raw = _http_get(replay.replay_url(f"{SITE}/story/static", TIMESTAMP, modifier="id_"))
        assert raw == STATIC_HTML

        # JS page: the title is not in its HTML, only in the DOM once the archived script ran.
        js_page_url = replay.replay_url(f"{SITE}/live/story", TIMESTAMP)
        assert JS_TITLE not in _http_get(js_page_url)
        dom = render_in_chromium(js_page_url)
        assert JS_TITLE in dom, dom[-2000:]
