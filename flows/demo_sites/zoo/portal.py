"""A Chinese news portal in the style of the big 163/Sina/QQ article templates.

Chinese first (``h1.post_title``, ``div.post_info``, ``div.post_body``), the English title,
summary and translation after it; served as GBK with the charset only in a <meta> tag, or as
GB18030 declared in the header too.  Furniture is the portal kind: a 参与评论 counter on the
info line, an ad block between body paragraphs (its copy rotates), 责任编辑 with an editor
code, 相关推荐 reshuffled, 热点排行 with heat numbers, 阅读 5.2万, a greeting bar with the
weather and an "打开APP 阅读更多精彩" bar.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

from __future__ import annotations

from html import escape

from ..timefmt import BEIJING, iso_utc
from .layout import ZooLayout
from .newsroom import ZooStory
from .portal_stories import ADS, HOT_RANK, STORIES, WEATHER

WEEKDAYS = "一二三四五六日"


def _bj(moment) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _wan(n: int) -> str:
    return f"{n / 10000:.1f}万" if n >= 10000 else str(n)


class PortalSite(ZooLayout):
    name = "portal"
    site_name = "东方科技网"

    def __init__(self, clock) -> None:
        super().__init__(clock, STORIES)

    def canonical_path(self, story: ZooStory) -> str:
        return f"/article/{story.extra['id']}.html"

    def routes(self):
        return [
            (r"^/$", self._home),
            (r"^/article/([A-Z0-9]{16})\.html$", self._article),
            (r"^/sitemap\.xml$", self._sitemap),
            (r"^/robots\.txt$", lambda h, m: self.send_robots(h, ["/special/"], "/sitemap.xml")),
        ]

    def error_page(self, status: int) -> str:
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在_东方科技网</title>'
            '</head><body><div class="error"><h1>抱歉，您访问的页面不存在或已被删除</h1>'
            '<p><a href="/">返回首页</a></p></div></body></html>\n'
        )

    # -- furniture ---------------------------------------------------------------------------
    def _top(self, tick) -> str:
        bj = tick.now.astimezone(BEIJING)
        today = f"{bj.year}年{bj.month}月{bj.day}日 星期{WEEKDAYS[bj.weekday()]}"
        return (
            '<div class="ntes_nav_wrap"><div class="ntes-nav"><span class="ntes-nav-greet">'
            f'欢迎来到东方科技网！今天是{today}</span> <span class="weather">北京 '
            f'{tick.pick(WEATHER)}</span> <a class="ntes-nav-login" href="/special/login">登录</a>'
            ' <a href="/special/reg">注册</a> <a href="/special/app">客户端</a></div></div>'
            '<div class="N-nav-channel"><a href="/">首页</a> <a href="/">科技</a> <a href="/">智能</a>'
            ' <a href="/">财经</a> <a href="/">汽车</a></div>'
        )

    def _rank(self, tick) -> str:
        items = "".join(
            f'<li><em class="num{i + 1}">{i + 1}</em><a href="http://news.dongfang.invalid/{i}.html">'
            f'{escape(title)}</a><span class="hot">{_wan(tick.counter(52000 - i * 4100, 7 + i))}</span></li>'
            for i, title in enumerate(tick.rotate(HOT_RANK, 6))
        )  # fmt: skip
        return f'<div class="post_rank"><h3 class="title">热点排行</h3><ol>{items}</ol></div>'

    def _footer(self, tick) -> str:
        return (
            '<div class="N-footer"><p><a href="/special/about">关于我们</a> | '
            '<a href="/special/contact">联系方式</a> | <a href="/special/jobs">招聘信息</a></p>'
            f"<p>&copy;1997-{tick.now.year} 东方科技网 版权所有 京ICP证080268号</p>"
            f'<p class="gen">页面生成时间：{_bj(tick.now)} 节点 bj-{tick.n % 9}</p></div>'
        )

    # -- pages -------------------------------------------------------------------------------
    def _article(self, h, m) -> None:
        story = next((s for s in self.newsroom.all() if s.extra["id"] == m.group(1)), None)
        story = self.visible(h, story)
        if story is None:
            return
        tick = self.furniture.tick()
        with self.newsroom.lock:
            html = self._article_page(story, h.server.base_url, tick)
        charset = story.extra["charset"]
        self.send_html(
            h, html, last_modified=story.updated, charset=charset,
            declare_charset=charset != "gbk",
        )  # fmt: skip

    def _article_page(self, story: ZooStory, base: str, tick) -> str:
        charset = story.extra["charset"]
        meta = (
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
            if charset == "gbk"
            else f'<meta charset="{charset}">'
        )
        zh = [f"<p>{escape(p['zh'])}</p>" for p in story.paragraphs]
        en = [f"<p>{escape(p['en'])}</p>" for p in story.paragraphs]
        zh += [f"<p>更正：{escape(c['zh'])}</p>" for c in story.corrections]
        en += [f"<p>Correction: {escape(c['en'])}</p>" for c in story.corrections]
        ad = (
            '<div class="gg200x300"><span class="gg_label">广告</span>'
            f'<a href="http://g.dongfang.invalid/c?{tick.n}" target="_blank">{tick.pick(ADS)}</a></div>'
        )
        zh.insert(min(2, len(zh)), ad)
        others = [s for s in self.live_stories() if s.slug != story.slug]
        recommends = "".join(
            f'<li><a href="{self.canonical_path(s)}">{escape(s.title["zh"])}</a>'
            f'<span class="time">{_bj(s.published)[5:16]}</span></li>'
            for s in tick.shuffle(others)
        )
        comments = tick.counter(1180 + len(story.slug) * 13, 3)
        reads = tick.counter(51800 + len(story.slug) * 97, 41)
        keywords = ",".join(story.tags)
        return f"""<!DOCTYPE HTML>
<html>
<head>
{meta}
<title>{escape(story.title["zh"])}_东方科技网</title>
<meta name="keywords" content="{escape(keywords)}" />
<meta name="description" content="{escape(story.dek["zh"])}" />
<meta name="author" content="东方科技网" />
<meta name="Copyright" content="东方科技网版权所有" />
<meta name="publishdate" content="{_bj(story.published)}" />
<meta property="article:published_time" content="{iso_utc(story.published)}" />
<link rel="stylesheet" href="/static/css/post_2026.css?v=20261118" />
<script>var _ntes_nacc = "tech"; var docid = "{story.extra["id"]}";</script>
</head>
<body>
{self._top(tick)}
<div class="container clearfix">
<div class="post_main">
<div class="post_crumb"><a href="/">东方科技网</a> &gt; <a href="/">科技频道</a> &gt; 正文</div>
<h1 class="post_title">{escape(story.title["zh"])}</h1>
<h2 class="post_subtitle">{escape(story.title["en"])}</h2>
<div class="post_info">{_bj(story.published)}　来源: <a href="/" class="source">{escape(story.extra["source"])}</a>　<a class="post_top_tie_count" href="/special/tie/{story.extra["id"]}">参与 {comments} 评论</a></div>
<div class="post_content">
<div class="post_summary"><p>摘要：{escape(story.dek["zh"])}</p><p>Summary: {escape(story.dek["en"])}</p></div>
<div class="post_body">
{chr(10).join(zh)}
{chr(10).join(en)}
</div>
<div class="post_statement">特别声明：本文为东方科技网合作媒体授权转载，仅代表作者观点。</div>
<div class="post_author">本文来源：{escape(story.extra["source"])}　作者：{escape(story.author)}　<span class="ep-editor">责任编辑：{escape(story.extra["editor"])}</span></div>
<div class="post_read"><span class="post_read_num">阅读 {_wan(reads)}</span> <span class="post_like">赞 {tick.counter(310, 2)}</span></div>
</div>
<div class="post_recommends js-tab-mod"><h3>相关推荐</h3><ul>{recommends}</ul></div>
<div class="post_comment_wrap"><a href="/special/tie/{story.extra["id"]}">查看全部 {comments} 条跟贴</a></div>
</div>
<div class="post_side">{self._rank(tick)}</div>
</div>
<div class="js-open-app open_app_bar"><a href="/special/app">打开APP 阅读更多精彩</a></div>
{self._footer(tick)}
</body>
</html>
"""

    def _home(self, h, m) -> None:
        tick = self.furniture.tick()
        with self.newsroom.lock:
            items = "".join(
                f'<div class="news_item"><h3><a href="{self.canonical_path(s)}">{escape(s.title["zh"])}</a></h3>'
                f'<p class="en">{escape(s.title["en"])}</p><p class="summary">{escape(s.dek["zh"])}</p>'
                f'<span class="time">{_bj(s.published)}</span> <span class="tie">{tick.counter(300 + i * 77, 2)}跟贴</span></div>'
                for i, s in enumerate(self.live_stories())
            )  # fmt: skip
            html = f"""<!DOCTYPE HTML>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>东方科技网_科技频道</title>
<meta name="keywords" content="科技,人工智能,大模型" />
</head>
<body>
{self._top(tick)}
<div class="container"><div class="news_list">{items}</div><div class="side">{self._rank(tick)}</div></div>
{self._footer(tick)}
</body>
</html>
"""
        self.send_html(h, html, last_modified=self.listing_modified(), charset="gbk",
                       declare_charset=False)  # fmt: skip

    def _sitemap(self, h, m) -> None:
        urls = "".join(
            f"<url><loc>{escape(u)}</loc><lastmod>{iso_utc(t)}</lastmod>"
            "<changefreq>daily</changefreq></url>"
            for u, t in self.sitemap_urls(h.server.base_url)
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        ).encode()
        h.send_page(body, "text/xml", last_modified=self.listing_modified())
