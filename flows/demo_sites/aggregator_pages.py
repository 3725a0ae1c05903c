"""HTML/JSON renderers for the demo aggregator (pure functions of model + noise).

The aggregator imitates a busy bilingual news aggregator: every page carries counters,
wobbling scores, a rotating trending box and relative "Updated 2h ago" bylines, so no two
responses are byte-identical.  Extraction and dedup code downstream must see through that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from .model import Story
from .timefmt import ago, iso_utc

SITE_NAME = "AI News AI资讯"
OFFSITE_URL = "http://news.example.invalid/x"
# Linked from listings under /private/: matches the story pattern, so a pattern-following
# crawler meets it, and robots.txt must stop it.
PREVIEW_SLUG = "benchmark-contamination-audit"
# Every listing page links this story as an "Editor's pick" through a trailing-slash URL
# with tracking parameters (a URL variant that must map back to /story/<slug>).
PICK_SLUG = "cloud-export-battleground"
PICK_QUERY = "utm_campaign=x&ref=home"
FAULT_PAGES = ("flaky", "rate-limited", "slow", "reset", "malformed", "bomb", "huge", "truncated")


@dataclass
class Noise:
    """Per-request variation: the view count and which way the scores wobble."""

    views: int
    trending: list[Story]

    def score(self, base: int, position: int) -> int:
        return base + (1 if (self.views + position) % 2 else -1)


def story_path(story: Story) -> str:
    if story.kind == "live":
        return f"/live/{story.slug}"
    if story.kind == "fault":
        return f"/fault/{story.slug}"
    return f"/story/{story.slug}"


def _json_ld(story: Story, url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title["en"],
        "alternativeHeadline": story.title["zh"],
        "description": story.dek["en"],
        "datePublished": iso_utc(story.published),
        "dateModified": iso_utc(story.updated),
        "author": {"@type": "Person", "name": story.author},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "inLanguage": ["en", "zh"],
        "keywords": ", ".join(story.tags),
        "mainEntityOfPage": url,
    }
    # "</" must not appear inside a <script> element.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _trending(noise: Noise) -> str:
    items = "".join(
        f'<li><a href="{story_path(s)}">{escape(s.title["en"])}</a></li>' for s in noise.trending
    )
    return f'<aside class="trending"><h3>Trending 热门</h3><ol>{items}</ol></aside>'


def _header() -> str:
    return (
        '<header class="site"><a class="brand" href="/">AI News <span lang="zh">AI资讯</span></a>'
        ' <nav><a href="/">Latest</a> <a href="/feed.xml">RSS</a></nav></header>'
    )


def _ul(items: list[str], lang: str) -> str:
    return f'<ul lang="{lang}">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def story_page(story: Story, now, base_url: str, noise: Noise) -> bytes:
    url = base_url + story_path(story)
    title_en, title_zh = escape(story.title["en"]), escape(story.title["zh"])
    pub_en, _ = ago(now, story.published)
    upd_en, upd_zh = ago(now, story.updated)
    updated = ""
    if story.updated > story.published:
        updated = (
            f' · <span class="updated">Updated {upd_en}</span> / '
            f'<span class="updated" lang="zh">更新于 {upd_zh}</span>'
        )
    scores = "".join(
        f'<div class="score"><span class="n">{noise.score(base, i)}</span> {label}</div>'
        for i, (base, label) in enumerate(
            zip(story.scores, ("Hot 热度", "Quality 质量", "Impact 影响力"), strict=False)
        )
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in story.key_data
    )
    analysis_en = "".join(f"<p>{escape(p['en'])}</p>" for p in story.paragraphs)
    analysis_zh = "".join(f"<p>{escape(p['zh'])}</p>" for p in story.paragraphs)
    faq = "".join(
        f'<dt lang="en">{escape(f["q"]["en"])}</dt><dd lang="en">{escape(f["a"]["en"])}</dd>'
        f'<dt lang="zh">{escape(f["q"]["zh"])}</dt><dd lang="zh">{escape(f["a"]["zh"])}</dd>'
        for f in story.faq
    )
    corrections = "".join(
        f'<p class="correction" lang="en">Correction: {escape(c["en"])}</p>'
        f'<p class="correction" lang="zh">更正：{escape(c["zh"])}</p>'
        for c in story.corrections
    )
    if corrections:
        corrections = f'<section class="corrections">{corrections}</section>'
    tags = " ".join(f'<span class="tag">{escape(t)}</span>' for t in story.tags)
    dek_en = escape(story.dek["en"])
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title_en} | {SITE_NAME}</title>
<meta name="description" content="{dek_en}">
<link rel="canonical" href="{url}">
<link rel="amphtml" href="/amp/story/{story.slug}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="AI News">
<meta property="og:title" content="{title_en}">
<meta property="og:description" content="{dek_en}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{iso_utc(story.published)}">
<meta property="article:modified_time" content="{iso_utc(story.updated)}">
<script type="application/ld+json">{_json_ld(story, url)}</script>
</head>
<body>
{_header()}
<main>
<article class="story">
<div class="byline"><span class="ago">{pub_en}</span>{updated}
 <span class="views" title="views">{noise.views}</span></div>
<h1 lang="en">{title_en}</h1>
<h2 lang="zh">{title_zh}</h2>
<p class="dek" lang="en">{dek_en}</p>
<p class="dek" lang="zh">{escape(story.dek["zh"])}</p>
<div class="scores">{scores}</div>
<section class="tldr" lang="en"><h3>TL;DR</h3>{_ul(story.tldr.get("en", []), "en")}</section>
<section class="key-data"><h3>Key Data <span lang="zh">核心数据</span></h3>
<table><thead><tr><th>Entity</th><th>Key fact</th><th>Figure</th></tr></thead>
<tbody>{rows}</tbody></table></section>
<section class="analysis" lang="en"><h3>Deep Analysis</h3>{analysis_en}</section>
<section class="tldr" lang="zh"><h3>TL;DR</h3>{_ul(story.tldr.get("zh", []), "zh")}</section>
<section class="analysis" lang="zh"><h3>深度解读</h3>{analysis_zh}</section>
{corrections}
<section class="faq"><h3>FAQ <span lang="zh">常见问题</span></h3><dl>{faq}</dl></section>
<p class="disclaimer">Disclaimer: generated for tests.
 <span lang="zh">免责声明：测试内容。</span></p>
<div class="tags">{tags}</div>
</article>
{_trending(noise)}
<section id="comments"><h3>Comments</h3><p>Comments load later.</p></section>
</main>
</body>
</html>
"""
    return html.encode("utf-8")


def amp_page(story: Story, now, base_url: str, noise: Noise) -> bytes:
    paragraphs = "".join(
        f'<p lang="en">{escape(p["en"])}</p><p lang="zh">{escape(p["zh"])}</p>'
        for p in story.paragraphs
    )
    html = f"""<!doctype html>
<html amp lang="en">
<head>
<meta charset="utf-8">
<title>{escape(story.title["en"])} | {SITE_NAME}</title>
<link rel="canonical" href="{base_url}/story/{story.slug}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<style amp-boilerplate>body{{visibility:visible}}</style>
</head>
<body>
<h1 lang="en">{escape(story.title["en"])}</h1>
<h2 lang="zh">{escape(story.title["zh"])}</h2>
<div class="byline">{ago(now, story.published)[0]} · <span class="views">{noise.views}</span></div>
<section class="tldr">{_ul(story.tldr.get("en", []), "en")}{_ul(story.tldr.get("zh", []), "zh")}
</section>
{paragraphs}
</body>
</html>
"""
    return html.encode("utf-8")


def live_shell(slug: str, base_url: str) -> bytes:
    """No story text at all: only /static/live.js can fill the page in."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Live coverage | AI News</title>
<link rel="canonical" href="{base_url}/live/{escape(slug)}">
<script src="/static/live.js" defer></script>
<script src="http://ads.example.invalid/tracker.js" async></script>
</head>
<body>
{_header()}
<main><article id="live" data-slug="{escape(slug)}"><p class="loading">Loading…</p></article></main>
</body>
</html>
""".encode()


LIVE_JS = b"""// Renders a live story from /api/story/<slug>.json (the HTML shell has no text).
(function () {
  var root = document.getElementById('live');
  var slug = root.getAttribute('data-slug');
  function el(tag, text, lang) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (lang) node.setAttribute('lang', lang);
    return node;
  }
  fetch('/api/story/' + encodeURIComponent(slug) + '.json')
    .then(function (r) { return r.json(); })
    .then(function (s) {
      root.textContent = '';
      root.appendChild(el('h1', s.title.en, 'en'));
      root.appendChild(el('h2', s.title.zh, 'zh'));
      ['en', 'zh'].forEach(function (lang) {
        var ul = el('ul', undefined, lang);
        ul.className = 'tldr';
        (s.tldr[lang] || []).forEach(function (t) { ul.appendChild(el('li', t)); });
        root.appendChild(ul);
      });
      s.paragraphs.forEach(function (p) {
        root.appendChild(el('p', p.en, 'en'));
        root.appendChild(el('p', p.zh, 'zh'));
      });
      (s.corrections || []).forEach(function (c) {
        root.appendChild(el('p', 'Correction: ' + c.en, 'en'));
        root.appendChild(el('p', '\\u66f4\\u6b63\\uff1a' + c.zh, 'zh'));
      });
      var views = el('span', String(s.views));
      views.className = 'views';
      root.appendChild(views);
      document.title = s.title.en + ' | AI News';
    });
})();
"""


def story_json(story: Story, noise: Noise) -> bytes:
    data = {
        "slug": story.slug,
        "title": story.title,
        "dek": story.dek,
        "tldr": story.tldr,
        "paragraphs": story.paragraphs,
        "corrections": [{"en": c["en"], "zh": c["zh"]} for c in story.corrections],
        "tags": story.tags,
        "datePublished": iso_utc(story.published),
        "dateModified": iso_utc(story.updated),
        "views": noise.views,
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def listing_page(
    stories: list[Story],
    page: int,
    pages: int,
    now,
    base_url: str,
    noise: Noise,
    pick: Story | None = None,
) -> bytes:
    canonical = base_url + ("/" if page == 1 else f"/page/{page}")
    head_links, nav = [], []
    if page > 1:
        prev = "/" if page == 2 else f"/page/{page - 1}"
        head_links.append(f'<link rel="prev" href="{prev}">')
        nav.append(f'<a rel="prev" href="{prev}">Previous 上一页</a>')
    if page < pages:
        head_links.append(f'<link rel="next" href="/page/{page + 1}">')
        nav.append(f'<a rel="next" href="/page/{page + 1}">Next 下一页</a>')
    items = []
    for s in stories:
        path = story_path(s)
        items.append(
            f'<li class="item"><a class="title" href="{path}">{escape(s.title["en"])}</a>'
            f' <span lang="zh">{escape(s.title["zh"])}</span>'
            f'<p class="dek">{escape(s.dek["en"])}</p>'
            f'<span class="ago">{ago(now, s.published)[0]}</span>'
            f' <a class="share" href="{path}?utm_source=newsletter&amp;utm_medium=email">'
            "Newsletter</a>"
            f' <a class="comments" href="{path}#comments">Comments</a></li>'
        )
    if pick is not None:
        href = escape(f"{story_path(pick)}/?{PICK_QUERY}")
        pick_html = (
            f'<p class="pick">Editor\'s pick 编辑推荐: <a href="{href}">'
            f"{escape(pick.title['en'])}</a></p>"
        )
    else:
        pick_html = ""
    lab = ""
    if page == 1:
        faults = "".join(f'<li><a href="/fault/{name}">{name}</a></li>' for name in FAULT_PAGES)
        lab = f'<section class="lab"><h3>Reliability lab</h3><ul>{faults}</ul></section>'
        if stories:
            lab += f'<p class="archive"><a href="/old/{stories[-1].slug}">From the archive</a></p>'
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{SITE_NAME} — page {page}</title>
<link rel="canonical" href="{canonical}">
{"".join(head_links)}
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head>
<body>
{_header()}
<main>
<h1>Latest AI news <span lang="zh">最新AI资讯</span></h1>
<p class="online">{noise.views} readers online</p>
<ul class="stories">{"".join(items)}</ul>
{pick_html}
<nav class="pagination">{" ".join(nav)}</nav>
{lab}
{_trending(noise)}
</main>
<footer><a href="{OFFSITE_URL}">Partner news</a> · <a href="/private/drafts">Editor drafts</a>
 · <a href="/private/story/{PREVIEW_SLUG}">Preview</a>
 · <a href="/feed.xml">RSS</a> · <a href="/sitemap.xml">Sitemap</a></footer>
</body>
</html>
"""
    return html.encode("utf-8")


def simple_page(title: str, text: str) -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>\n"
    ).encode()
