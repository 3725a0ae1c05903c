"""HTML renderers for the demo translated-news site (deterministic: same model, same bytes).

Nothing here may depend on the request or the clock, only on the story model, so that
unchanged pages are byte-identical and revisit/dedup logic has something exact to match.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape

from .model import Story
from .timefmt import BEIJING, iso_beijing

SITE_NAME = "Bilingual Tech Review 双语科技评论"
# The one article whose print view the listing links (/print/articles/<slug> exists for all).
PRINT_SLUG = "chatbot-ads-backlash"


def primary_path(story: Story) -> str:
    if story.kind == "split":
        return f"/en/{story.slug}"
    if story.kind == "gbk":
        return f"/zh/{story.slug}"
    return f"/articles/{story.slug}"


def story_paths(story: Story) -> list[str]:
    """Every URL a story is published under (sitemaps list them all but the mobile one)."""
    if story.kind == "split":
        return [f"/en/{story.slug}", f"/zh/{story.slug}"]
    return [primary_path(story)]


def _when(moment) -> str:
    stamp = iso_beijing(moment)
    shown = moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return f'<time datetime="{stamp}">{shown} GMT+8</time>'


def _json_ld(story: Story, url: str, langs: list[str]) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title["en"] or story.title["zh"],
        "alternativeHeadline": story.title["zh"],
        "description": story.dek["en"] or story.dek["zh"],
        "datePublished": iso_beijing(story.published),
        "dateModified": iso_beijing(story.updated),
        "author": {"@type": "Person", "name": story.author},
        "publisher": {"@type": "Organization", "name": "Bilingual Tech Review"},
        "inLanguage": langs if len(langs) > 1 else langs[0],
        "keywords": ", ".join(story.tags),
        "mainEntityOfPage": url,
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _byline(story: Story) -> str:
    line = f'<p class="byline">By <span class="author">{escape(story.author)}</span> · '
    line += _when(story.published)
    if story.updated > story.published:
        line += f' · Updated <span class="modified">{_when(story.updated)}</span>'
    return line + "</p>"


def _extras(story: Story, langs: tuple[str, ...]) -> tuple[str, str]:
    """(key-points box, corrections) in the requested languages; empty when there are none."""
    tag = {"en": "en", "zh": "zh-CN"}
    points = "".join(
        f'<ul lang="{tag[lang]}">'
        + "".join(f"<li>{escape(t)}</li>" for t in story.tldr.get(lang, []))
        + "</ul>"
        for lang in langs
        if story.tldr.get(lang)
    )
    if points:
        points = f'<aside class="key-points"><h2>Key points 要点</h2>{points}</aside>'
    prefix = {"en": "Correction: ", "zh": "更正："}
    corrections = "".join(
        f'<p class="correction" lang="{tag[lang]}">{prefix[lang]}{escape(c[lang])}</p>'
        for c in story.corrections
        for lang in langs
    )
    return points, corrections


def build_manifest(seed: str, assets: int = 220) -> str:
    """Hashed asset names with SRI digests, like a real front-end build inlines.

    Real article pages weigh tens of kilobytes, mostly incompressible hashes; without that
    weight a revisit record would cost as much as re-archiving the page, and byte-savings
    tests of incremental crawls would measure nothing.  Deterministic per ``seed``.
    """
    entries = {}
    for i in range(assets):
        digest = hashlib.sha384(f"{seed}:{i}".encode()).digest()
        name = f"/static/chunks/{digest[:8].hex()}.js"
        entries[name] = "sha384-" + base64.b64encode(digest).decode()
    data = json.dumps({"buildId": hashlib.sha1(seed.encode()).hexdigest(), "assets": entries})
    return f'<script type="application/json" id="__BUILD_MANIFEST__">{data}</script>'


def _page(lang: str, head: str, body: str, charset: str = "utf-8", seed: str = "") -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if charset != "utf-8"
        else '<meta charset="utf-8">'
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
{meta}
{head}
<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
</head>
<body>
<header class="masthead"><a href="/">{SITE_NAME}</a></header>
{body}
<footer><a href="/">Home 首页</a> · <a href="/atom.xml">Atom</a></footer>
{build_manifest(seed or head)}
</body>
</html>
"""


def article_page(story: Story, base_url: str) -> bytes:
    url = f"{base_url}/articles/{story.slug}"
    mobile = f"{base_url}/m/articles/{story.slug}"
    title_en, title_zh = escape(story.title["en"]), escape(story.title["zh"])
    points, corrections = _extras(story, ("en", "zh"))
    paragraphs = "\n".join(
        f'<p lang="en">{escape(p["en"])}</p>\n<p lang="zh-CN">{escape(p["zh"])}</p>'
        for p in story.paragraphs
    )
    head = f"""<title>{title_en} | {title_zh}</title>
<meta name="description" content="{escape(story.dek["en"])}">
<link rel="canonical" href="{url}">
<link rel="alternate" media="only screen and (max-width: 640px)" href="{mobile}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title_en}">
<meta property="og:url" content="{url}">
<script type="application/ld+json">{_json_ld(story, url, ["en", "zh-CN"])}</script>"""
    body = f"""<article>
<h1 lang="en">{title_en}</h1>
<h2 lang="zh-CN" class="title-zh">{title_zh}</h2>
<p class="dek" lang="en">{escape(story.dek["en"])}</p>
<p class="dek" lang="zh-CN">{escape(story.dek["zh"])}</p>
{_byline(story)}
{points}
<div class="body">
{paragraphs}
</div>
{corrections}
</article>"""
    return _page("en", head, body, seed=story.slug).encode("utf-8")


def print_page(story: Story, base_url: str) -> bytes:
    """The article page byte for byte, minus its rel=canonical (a print view that forgot it).

    Identical content under a second URL with nothing in the markup tying the two together
    except that content (og:url and JSON-LD still name /articles/, as in the article page).
    """
    page = article_page(story, base_url)
    canonical = f'<link rel="canonical" href="{base_url}/articles/{story.slug}">\n'.encode()
    return page.replace(canonical, b"", 1)


def mobile_page(story: Story, base_url: str) -> bytes:
    title_en = escape(story.title["en"])
    points, corrections = _extras(story, ("en", "zh"))
    paragraphs = "\n".join(
        f'<p lang="en">{escape(p["en"])}</p><p lang="zh-CN">{escape(p["zh"])}</p>'
        for p in story.paragraphs
    )
    head = f"""<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_en}</title>
<link rel="canonical" href="{base_url}/articles/{story.slug}">"""
    body = f"""<article class="m">
<h1 lang="en">{title_en}</h1>
<h2 lang="zh-CN">{escape(story.title["zh"])}</h2>
{_byline(story)}
{points}
{paragraphs}
{corrections}
</article>"""
    return _page("en", head, body, seed="m/" + story.slug).encode("utf-8")


def single_language_page(story: Story, lang: str, base_url: str) -> bytes:
    """One language of a split story (hreflang-linked) or the GBK story (Chinese only)."""
    html_lang = "en" if lang == "en" else "zh-CN"
    url = f"{base_url}/{lang}/{story.slug}"
    title = escape(story.title[lang])
    points, corrections = _extras(story, (lang,))
    paragraphs = "\n".join(f'<p lang="{html_lang}">{escape(p[lang])}</p>' for p in story.paragraphs)
    alternates = ""
    if story.kind == "split":
        alternates = (
            f'<link rel="alternate" hreflang="en" href="{base_url}/en/{story.slug}">\n'
            f'<link rel="alternate" hreflang="zh-CN" href="{base_url}/zh/{story.slug}">\n'
            f'<link rel="alternate" hreflang="x-default" href="{base_url}/en/{story.slug}">'
        )
    head = f"""<title>{title}</title>
<meta name="description" content="{escape(story.dek[lang])}">
<link rel="canonical" href="{url}">
{alternates}
<script type="application/ld+json">{_json_ld(story, url, [html_lang])}</script>"""
    other = ""
    if story.kind == "split":
        other_lang = "zh" if lang == "en" else "en"
        label = "阅读中文版" if lang == "en" else "Read in English"
        other = f'<p class="other-language"><a href="/{other_lang}/{story.slug}">{label}</a></p>'
    body = f"""<article>
<h1 lang="{html_lang}">{title}</h1>
<p class="dek" lang="{html_lang}">{escape(story.dek[lang])}</p>
{_byline(story)}
{other}
{points}
<div class="body">
{paragraphs}
</div>
{corrections}
</article>"""
    if story.kind == "gbk":
        text = _page(html_lang, head, body, charset="gbk", seed=lang + story.slug)
        return text.encode("gbk", errors="xmlcharrefreplace")
    return _page(html_lang, head, body, seed=lang + story.slug).encode("utf-8")


def listing_page(stories: list[Story], page: int, pages: int, base_url: str) -> bytes:
    canonical = base_url + ("/" if page == 1 else f"/?page={page}")
    head_links, nav = [], []
    if page > 1:
        prev = "/" if page == 2 else f"/?page={page - 1}"
        head_links.append(f'<link rel="prev" href="{prev}">')
        nav.append(f'<a rel="prev" href="{prev}">Newer 较新</a>')
    if page < pages:
        head_links.append(f'<link rel="next" href="/?page={page + 1}">')
        nav.append(f'<a rel="next" href="/?page={page + 1}">Older 较早</a>')
    items = []
    for s in stories:
        links = f'<a href="{primary_path(s)}">{escape(s.title["en"] or s.title["zh"])}</a>'
        if s.kind == "split":
            links += f' <a href="/zh/{s.slug}" lang="zh-CN">{escape(s.title["zh"])}</a>'
        else:
            links += f' <span lang="zh-CN">{escape(s.title["zh"])}</span>'
        if s.kind == "article" and s.slug == PRINT_SLUG:
            links += f' <a class="print" href="/print/articles/{s.slug}">Print 打印</a>'
        items.append(
            f'<li>{links}<p class="dek">{escape(s.dek["en"] or s.dek["zh"])}</p>'
            f"{_when(s.published)}</li>"
        )
    head = f"""<title>{SITE_NAME}</title>
<link rel="canonical" href="{canonical}">
{"".join(head_links)}"""
    body = f"""<main>
<ul class="articles">
{chr(10).join(items)}
</ul>
<nav class="pagination">{" ".join(nav)}</nav>
<p class="coming"><a href="/drafts/next-week">Coming next week 下周预告</a>
 · <a href="/drafts/articles/voice-cloning-rules">Preview 预览</a></p>
</main>"""
    return _page("en", head, body, seed=f"listing-{page}").encode("utf-8")


def simple_page(title: str, text: str) -> bytes:
    return _page("en", f"<title>{escape(title)}</title>", f"<p>{escape(text)}</p>").encode()
