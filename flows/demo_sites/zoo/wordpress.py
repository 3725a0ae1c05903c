"""A WordPress blog with Polylang, Jetpack and Yoast, as a theme in the underscores family
renders it: one post per language at /en/<slug>/ and /zh/<slug>/, joined by hreflang.

Furniture, all of it inside or next to the post the way WordPress puts it there: a Jetpack
newsletter block *inside* ``entry-content`` between paragraphs (rotating copy), ``sharedaddy``
buttons with counts, ``jp-relatedposts`` reshuffled on every request, "12 Comments" and a
comment list that grows with the clock, a Popular-posts widget with view counts and a
WP-Super-Cache comment with the render time.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from urllib.parse import quote, unquote

from ..clock import START
from ..feeds import rss
from ..timefmt import iso_utc
from .layout import ZooLayout
from .newsroom import ZooStory
from .wordpress_stories import COMMENTS, STORIES

LANGS = {"en": ("en-US", "en_US"), "zh": ("zh-CN", "zh_CN")}
WORDS = {
    "en": {
        "posted": "Posted on", "by": "by", "share": "Share this:", "related": "Related",
        "comments": "{n} Comments", "popular": "Popular posts", "views": "{n} views",
        "takeaways": "Key takeaways", "reply": "Reply", "says": "says:",
        "correction": "Correction:", "in": "In", "home": "Home", "other": "中文 (中国)",
        "search": "Search", "tagged": "Tagged", "categorized": "Categorized as",
        "leave": "Leave a comment", "tagline": "Independent notes on open AI",
    },
    "zh": {
        "posted": "发布于", "by": "作者", "share": "分享到：", "related": "相关文章",
        "comments": "{n} 条评论", "popular": "热门文章", "views": "{n} 次浏览",
        "takeaways": "要点速览", "reply": "回复", "says": "说道：",
        "correction": "更正：", "in": "分类", "home": "首页", "other": "English",
        "search": "搜索", "tagged": "标签", "categorized": "分类",
        "leave": "发表评论", "tagline": "关于开放AI的独立笔记",
    },
}  # fmt: skip
NEWSLETTER = {
    "en": [
        ("Get the Friday digest", "Join {n} readers who get our weekly round-up of open models."),
        ("Never miss a post", "One email a week, no spam. {n} people already subscribe."),
        ("Like what you read?", "Support independent writing: {n} subscribers and counting."),
    ],
    "zh": [
        ("订阅周五简报", "加入{n}位读者，每周收到开放模型精选。"),
        ("不错过每一篇", "每周一封邮件，绝无垃圾信息。已有{n}人订阅。"),
        ("喜欢这篇文章？", "支持独立写作：订阅者已达{n}人。"),
    ],
}
SHARES = [("twitter", "X"), ("facebook", "Facebook"), ("linkedin", "LinkedIn"),
          ("reddit", "Reddit"), ("email", "Email")]  # fmt: skip


def _date(moment, lang: str) -> str:
    if lang == "zh":
        return f"{moment.year}年{moment.month}月{moment.day}日"
    return moment.strftime("%B %-d, %Y")


def _k(n: int) -> str:
    return f"{n / 1000:.1f}K" if n >= 1000 else str(n)


class WordPressSite(ZooLayout):
    name = "wordpress"
    site_name = "Open Weights Weekly"
    site_name_zh = "开放权重周刊"

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    # -- URLs --------------------------------------------------------------------------------
    def path(self, story: ZooStory, lang: str) -> str:
        slug = story.slug if lang == "en" else quote(story.extra["zh_slug"]).lower()
        return f"/{lang}/{slug}/"

    def canonical_path(self, story: ZooStory) -> str:
        return self.path(story, "en")

    def story_paths(self, story: ZooStory) -> list[str]:
        return [self.path(story, "en"), self.path(story, "zh")]

    def _by_slug(self, lang: str, slug: str) -> ZooStory | None:
        slug = unquote(slug)
        for story in self.newsroom.all():
            if (story.slug if lang == "en" else story.extra["zh_slug"]) == slug:
                return story
        return None

    def routes(self):
        return [
            (r"^/$", lambda h, m: h.redirect("/en/", 302)),
            (r"^/(en|zh)/$", self._home),
            (r"^/(en|zh)/feed/$", self._feed),
            (r"^/(en|zh)/([^/]+)/$", self._post),
            (r"^/(en|zh)/([^/]+)$", lambda h, m: h.redirect(h.route + "/", 301)),
            (r"^/wp-sitemap\.xml$", self._sitemap_index),
            (r"^/wp-sitemap-posts-post-1\.xml$", self._sitemap),
            (r"^/robots\.txt$", self._robots),
        ]

    # -- pages -------------------------------------------------------------------------------
    def _post(self, h, m) -> None:
        lang, slug = m.groups()
        story = self.visible(h, self._by_slug(lang, slug))
        if story is None:
            return
        tick = self.furniture.tick()
        with self.newsroom.lock:
            html = self._post_page(story, lang, h.server.base_url, tick)
        self.send_html(h, html, last_modified=story.updated, compress=True)

    def _head(self, title: str, lang: str, base: str, extra: str) -> str:
        return f"""<!doctype html>
<html lang="{LANGS[lang][0]}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{title}</title>
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1' />
{extra}
<link rel='dns-prefetch' href='//stats.wp.invalid' />
<link rel="alternate" type="application/rss+xml" title="{self.site_name} &raquo; Feed" href="{base}/{lang}/feed/" />
<link rel='stylesheet' id='wp-block-library-css' href='{base}/wp-includes/css/dist/block-library/style.min.css?ver=6.7.1' media='all' />
<link rel='stylesheet' id='jetpack_css-css' href='{base}/wp-content/plugins/jetpack/css/jetpack.css?ver=14.1' media='all' />
<link rel="https://api.w.org/" href="{base}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.7.1" />
</head>"""

    def _masthead(self, lang: str, other_href: str) -> str:
        w = WORDS[lang]
        other_lang = "zh" if lang == "en" else "en"
        name = self.site_name if lang == "en" else f"{self.site_name} {self.site_name_zh}"
        return f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="/{lang}/" rel="home">{name}</a></p>
<p class="site-description">{w["tagline"]}</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<div class="menu-primary-container"><ul id="primary-menu" class="menu">
<li id="menu-item-12" class="menu-item menu-item-type-custom"><a href="/{lang}/">{w["home"]}</a></li>
<li id="menu-item-13" class="lang-item lang-item-{other_lang}"><a lang="{LANGS[other_lang][0]}" hreflang="{LANGS[other_lang][0]}" href="{other_href}">{w["other"]}</a></li>
</ul></div></nav>
</header>"""

    def _sidebar(self, lang: str, tick) -> str:
        w = WORDS[lang]
        live = self.live_stories()
        items = "".join(
            f'<li><a href="{self.path(s, lang)}" class="bump-view" data-bump-view="tp">'
            f'{escape(s.title[lang])}</a> <span class="views">'
            f"{w['views'].format(n=f'{tick.counter(900 + 137 * i, 3):,}')}</span></li>"
            for i, s in enumerate(tick.shuffle(live, 4, salt=3))
        )
        return f"""<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="/{lang}/"><label><span class="screen-reader-text">{w["search"]}</span><input type="search" class="search-field" name="s"></label><input type="submit" class="search-submit" value="{w["search"]}"></form></section>
<section id="top-posts-2" class="widget widget_top-posts"><h2 class="widget-title">{w["popular"]}</h2><ul class="widgets-list-layout no-grav">{items}</ul></section>
</aside>"""

    def _colophon(self, tick) -> str:
        stamp = tick.now.strftime("%Y-%m-%d %H:%M:%S")
        return f"""<footer id="colophon" class="site-footer"><div class="site-info">
&copy; {tick.now.year} {self.site_name} &middot; <a href="https://wordpress.invalid/">Powered by WordPress</a>
<span class="sep"> | </span>Theme: Inkwell by Lumen Themes.</div></footer>
</div><!-- #page -->
<script src='http://stats.wp.invalid/e-202647.js' defer></script>
</body>
</html>
<!-- Dynamic page generated in {0.2 + (tick.n % 17) / 40:.3f} seconds. -->
<!-- Cached page generated by WP-Super-Cache on {stamp} -->
"""

    def _comments(self, story: ZooStory, lang: str, tick) -> tuple[int, str]:
        """The comments visible now: three at the clock's start, one more every 50 minutes."""
        offset = story.extra["post_id"] % len(COMMENTS)
        shown = []
        for i in range(len(COMMENTS)):
            at = START + timedelta(minutes=50 * (i - 2)) + timedelta(minutes=offset)
            if at <= tick.now:
                author, en, zh = COMMENTS[(i + offset) % len(COMMENTS)]
                shown.append((i, at, author, en if lang == "en" else zh))
        w = WORDS[lang]
        items = "".join(
            f'<li id="comment-{story.extra["post_id"] * 10 + i}" class="comment even thread-even">'
            f'<article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
            f'<b class="fn">{escape(author)}</b> <span class="says">{w["says"]}</span></div>'
            f'<div class="comment-metadata"><time datetime="{iso_utc(at)}">{_date(at, lang)} '
            f"{at.strftime('%-I:%M %p')}</time></div></footer>"
            f'<div class="comment-content"><p>{escape(text)}</p></div>'
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
            f'href="?replytocom={story.extra["post_id"] * 10 + i}#respond">{w["reply"]}</a></div>'
            f"</article></li>"
            for i, at, author, text in shown
        )
        title = w["comments"].format(n=len(shown))
        block = (
            f'<div id="comments" class="comments-area"><h2 class="comments-title">{title}</h2>'
            f'<ol class="comment-list">{items}</ol>'
            f'<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">'
            f"{w['leave']}</h3></div></div>"
        )
        return len(shown), block

    def _post_page(self, story: ZooStory, lang: str, base: str, tick) -> str:
        w = WORDS[lang]
        other = "zh" if lang == "en" else "en"
        url = base + self.path(story, lang)
        title = escape(story.title[lang])
        published, modified = iso_utc(story.published), iso_utc(story.updated)
        n_comments, comments = self._comments(story, lang, tick)
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "@id": f"{url}#article",
                    "isPartOf": {"@id": url},
                    "author": {"name": story.author, "@id": f"{base}/#/schema/person/{story.author.split()[0].lower()}"},
                    "headline": story.title[lang],
                    "datePublished": published.replace("Z", "+00:00"),
                    "dateModified": modified.replace("Z", "+00:00"),
                    "mainEntityOfPage": {"@id": url},
                    "wordCount": sum(len(p[lang].split()) for p in story.paragraphs),
                    "commentCount": n_comments,
                    "publisher": {"@id": f"{base}/#organization"},
                    "articleSection": [story.extra["category"][0 if lang == "en" else 1]],
                    "inLanguage": LANGS[lang][0],
                },
                {
                    "@type": "WebPage",
                    "@id": url,
                    "url": url,
                    "name": f"{story.title[lang]} - {self.site_name}",
                    "datePublished": published.replace("Z", "+00:00"),
                    "dateModified": modified.replace("Z", "+00:00"),
                    "inLanguage": LANGS[lang][0],
                },
                {"@type": "Organization", "@id": f"{base}/#organization",
                 "name": self.site_name, "url": f"{base}/"},
            ],
        }  # fmt: skip
        ld = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
        head_extra = f"""<link rel="canonical" href="{url}" />
<meta name="description" content="{escape(story.dek[lang])}" />
<meta property="og:locale" content="{LANGS[lang][1]}" />
<meta property="og:locale:alternate" content="{LANGS[other][1]}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{title}" />
<meta property="og:description" content="{escape(story.dek[lang])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{self.site_name}" />
<meta property="article:published_time" content="{published.replace("Z", "+00:00")}" />
<meta property="article:modified_time" content="{modified.replace("Z", "+00:00")}" />
<meta name="twitter:card" content="summary_large_image" />
<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>
<link rel="alternate" href="{base}{self.path(story, "en")}" hreflang="en-US" />
<link rel="alternate" href="{base}{self.path(story, "zh")}" hreflang="zh-CN" />
<link rel="alternate" href="{base}{self.path(story, "en")}" hreflang="x-default" />"""

        paragraphs = [f"<p>{escape(p[lang])}</p>" for p in story.paragraphs]
        heading, body = NEWSLETTER[lang][tick.n % len(NEWSLETTER[lang])]
        newsletter = (
            '<div class="wp-block-group newsletter-signup has-pale-cyan-blue-background-color '
            'has-background is-layout-constrained wp-block-group-is-layout-constrained">'
            f'<h3 class="wp-block-heading">{heading}</h3>'
            f"<p>{body.format(n=f'{tick.counter(48200, 3):,}')}</p>"
            '<div class="wp-block-jetpack-subscriptions__container"><form action="#" method="post" '
            'class="jetpack-subscription-form"><input type="email" name="email" placeholder="Email">'
            '<button type="submit" class="wp-block-button__link">Subscribe</button></form></div></div>'
        )
        paragraphs.insert(min(2, len(paragraphs)), newsletter)
        takeaways = ""
        if story.tldr.get(lang):
            items = "".join(f"<li>{escape(t)}</li>" for t in story.tldr[lang])
            takeaways = (
                '<div class="wp-block-group is-style-key-takeaways is-layout-flow">'
                f'<h2 class="wp-block-heading">{w["takeaways"]}</h2>'
                f'<ul class="wp-block-list">{items}</ul></div>'
            )
        corrections = "".join(
            f'<p class="has-small-font-size"><em><strong>{w["correction"]}</strong> '
            f"{escape(c[lang])}</em></p>"
            for c in story.corrections
        )
        shares = "".join(
            f'<li class="share-{key}"><a rel="nofollow noopener noreferrer" '
            f'class="share-{key} sd-button share-icon" href="{self.path(story, lang)}?share={key}&amp;nb=1" '
            f'target="_blank" title="Click to share on {label}"><span>{label}</span>'
            + (f'<span class="share-count">{_k(tick.counter(40 + 311 * i, 1 + i))}</span>' if key != "email" else "")
            + "</a></li>"
            for i, (key, label) in enumerate(SHARES)
        )  # fmt: skip
        others = [s for s in self.live_stories() if s.slug != story.slug]
        related = "".join(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{s.extra["post_id"]}" '
            f'data-post-format="false"><h4 class="jp-relatedposts-post-title">'
            f'<a class="jp-relatedposts-post-a" href="{self.path(s, lang)}" title="{escape(s.title[lang])}" '
            f'data-position="{i}">{escape(s.title[lang])}</a></h4>'
            f'<p class="jp-relatedposts-post-excerpt">{escape(s.dek[lang])}</p>'
            f'<p class="jp-relatedposts-post-date">{_date(s.published, lang)}</p>'
            f'<p class="jp-relatedposts-post-context">{w["in"]} &quot;{s.extra["category"][0 if lang == "en" else 1]}&quot;</p></div>'
            for i, s in enumerate(tick.shuffle(others, 3))
        )  # fmt: skip
        category = story.extra["category"][0 if lang == "en" else 1]
        tags = ", ".join(
            f'<a href="/{lang}/tag/{t.lower().replace(" ", "-")}/" rel="tag">{escape(t)}</a>'
            for t in story.tags
        )
        updated_time = (
            f'<time class="updated" datetime="{modified.replace("Z", "+00:00")}">'
            f"{_date(story.updated, lang)}</time>"
        )
        return f"""{self._head(f"{title} &#8211; {self.site_name}", lang, base, head_extra)}
<body class="post-template-default single single-post postid-{story.extra["post_id"]} single-format-standard wp-embed-responsive">
{self._masthead(lang, self.path(story, other))}
<div id="content" class="site-content"><main id="primary" class="site-main">
<article id="post-{story.extra["post_id"]}" class="post-{story.extra["post_id"]} post type-post status-publish format-standard hentry category-{category.lower()}">
<header class="entry-header">
<h1 class="entry-title">{title}</h1>
<div class="entry-meta"><span class="posted-on">{w["posted"]} <a href="{self.path(story, lang)}" rel="bookmark"><time class="entry-date published" datetime="{published.replace("Z", "+00:00")}">{_date(story.published, lang)}</time>{updated_time}</a></span><span class="byline"> {w["by"]} <span class="author vcard"><a class="url fn n" href="/{lang}/author/{story.author.split()[0].lower()}/">{escape(story.author)}</a></span></span></div>
</header>
<div class="entry-content">
{takeaways}
{chr(10).join(paragraphs)}
{corrections}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">{w["share"]}</h3><div class="sd-content"><ul>{shares}</ul></div></div></div>
<div id='jp-relatedposts' class='jp-relatedposts'><h3 class="jp-relatedposts-headline"><em>{w["related"]}</em></h3><div class="jp-relatedposts-items jp-relatedposts-items-visual jp-relatedposts-grid">{related}</div></div>
</div><!-- .entry-content -->
<footer class="entry-footer"><span class="cat-links">{w["categorized"]} <a href="/{lang}/category/{category.lower()}/" rel="category tag">{category}</a></span><span class="tags-links"> {w["tagged"]} {tags}</span><span class="comments-link"> <a href="{self.path(story, lang)}#comments">{w["comments"].format(n=n_comments)}<span class="screen-reader-text"> on {title}</span></a></span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links"><div class="nav-previous"><a href="/{lang}/" rel="prev">&larr; {w["home"]}</a></div></div></nav>
{comments}
</main>
{self._sidebar(lang, tick)}
</div>
{self._colophon(tick)}"""

    def _home(self, h, m) -> None:
        lang = m.group(1)
        tick = self.furniture.tick()
        base = h.server.base_url
        w = WORDS[lang]
        with self.newsroom.lock:
            posts = "".join(
                f'<article id="post-{s.extra["post_id"]}" class="post-{s.extra["post_id"]} post type-post status-publish hentry">'
                f'<header class="entry-header"><h2 class="entry-title"><a href="{self.path(s, lang)}" rel="bookmark">{escape(s.title[lang])}</a></h2>'
                f'<div class="entry-meta"><span class="posted-on">{w["posted"]} <time class="entry-date published">{_date(s.published, lang)}</time></span></div></header>'
                f'<div class="entry-summary"><p>{escape(s.dek[lang])} <a class="more-link" href="{self.path(s, lang)}">Continue reading</a></p></div></article>'
                for s in self.live_stories()
            )  # fmt: skip
            other = "/zh/" if lang == "en" else "/en/"
            head_extra = (
                f'<link rel="canonical" href="{base}/{lang}/" />'
                f'<link rel="alternate" href="{base}/en/" hreflang="en-US" />'
                f'<link rel="alternate" href="{base}/zh/" hreflang="zh-CN" />'
            )
            html = f"""{self._head(self.site_name, lang, base, head_extra)}
<body class="home blog wp-embed-responsive hfeed">
{self._masthead(lang, other)}
<div id="content" class="site-content"><main id="primary" class="site-main">{posts}</main>
{self._sidebar(lang, tick)}</div>
{self._colophon(tick)}"""
        self.send_html(h, html, last_modified=self.listing_modified(), compress=True)

    def _feed(self, h, m) -> None:
        lang = m.group(1)
        base = h.server.base_url
        items = [
            (s.title[lang], base + self.path(s, lang), s.dek[lang], s.published)
            for s in self.live_stories()
        ]
        body = rss(self.site_name, f"{base}/{lang}/", items)
        h.send_page(
            body, "application/rss+xml; charset=UTF-8", last_modified=self.listing_modified()
        )

    def _sitemap_index(self, h, m) -> None:
        base = h.server.base_url
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>\n"
        ).encode()
        h.send_page(body, "application/xml; charset=UTF-8")

    def _sitemap(self, h, m) -> None:
        urls = "".join(
            f"<url><loc>{escape(u)}</loc><lastmod>{iso_utc(t).replace('Z', '+00:00')}</lastmod></url>"
            for u, t in self.sitemap_urls(h.server.base_url)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        ).encode()
        h.send_page(body, "application/xml; charset=UTF-8", last_modified=self.listing_modified())

    def _robots(self, h, m) -> None:
        body = (
            "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {h.server.base_url}/wp-sitemap.xml\n"
        ).encode()
        h.send_page(body, "text/plain; charset=utf-8")
