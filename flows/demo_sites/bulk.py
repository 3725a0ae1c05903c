"""The bulk demo site: thousands of small deterministic bilingual stories for benchmarks.

It has to sustain a few hundred requests per second on two cores while a crawler hammers
it, so every page is rendered once (per process) from a seeded generator and cached.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import re
from datetime import datetime, timedelta
from html import escape

from .clock import START
from .feeds import robots, rss, urlset
from .httpcore import DemoHandler
from .timefmt import iso_utc

log = logging.getLogger(__name__)

PER_LIST = 50
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

_LIST = re.compile(r"^/list/(\d+)$")
_STORY = re.compile(r"^/s/(\d+)$")

_SUBJECTS = [
    ("A frontier lab", "一家前沿实验室"),
    ("A chip start-up", "一家芯片初创公司"),
    ("An open-source collective", "一个开源社区"),
    ("A cloud provider", "一家云服务商"),
    ("A university team", "一个大学团队"),
    ("A national regulator", "一家国家监管机构"),
]
_ACTIONS = [
    ("released a smaller reasoning model", "发布了一款更小的推理模型"),
    ("cut API prices for long-context requests", "下调了长上下文请求的API价格"),
    ("published a safety evaluation", "发布了一份安全评估"),
    ("opened a new data centre", "启用了一座新的数据中心"),
    ("announced an agent framework", "宣布了一个智能体框架"),
    ("proposed new disclosure rules", "提出了新的披露规则"),
]
_SENTENCES = [
    ("Analysts said the move reflects falling inference costs.", "分析人士称此举反映成本下降。"),
    ("Developers will be able to try it from next week.", "开发者从下周起即可试用。"),
    ("The company did not disclose the size of the training run.", "该公司没有披露训练规模。"),
    ("Competitors are expected to respond within weeks.", "预计竞争对手将在几周内回应。"),
    ("Independent researchers have not yet verified the results.", "独立研究人员尚未验证结果。"),
    ("Energy use remains the main concern for local officials.", "能源消耗仍是当地官员的关切。"),
    ("Early users reported fewer errors on coding tasks.", "早期用户反映编程错误更少。"),
    ("The announcement came a day before an industry conference.", "消息在行业大会前一天发布。"),
]


class BulkSite:
    name = "bulk"

    def __init__(self, clock, stories: int) -> None:
        self.clock = clock
        self.stories = stories
        self.lists = max(1, -(-stories // PER_LIST))

    def published(self, n: int) -> datetime:
        return START - timedelta(minutes=7 * n)

    def title(self, n: int) -> tuple[str, str]:
        subject = _SUBJECTS[n % len(_SUBJECTS)]
        action = _ACTIONS[(n // len(_SUBJECTS)) % len(_ACTIONS)]
        return f"{subject[0]} {action[0]} (#{n})", f"{subject[1]}{action[1]}（第{n}号）"

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one instance per server, lives as long
    def story(self, n: int, base_url: str) -> bytes:
        rng = random.Random(n)
        title_en, title_zh = self.title(n)
        paras = []
        while sum(len(p) for p in paras) < 3900:
            pair = [rng.choice(_SENTENCES) for _ in range(4)]
            paras.append(f'<p lang="en">{escape(" ".join(s[0] for s in pair))}</p>\n')
            paras.append(f'<p lang="zh">{escape("".join(s[1] for s in pair))}</p>\n')
        digest = hashlib.sha1(str(n).encode()).hexdigest()[:12]
        html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title_en)}</title>
<link rel="canonical" href="{base_url}/s/{n}">
<meta property="article:published_time" content="{iso_utc(self.published(n))}">
</head><body>
<article data-id="{digest}">
<h1 lang="en">{escape(title_en)}</h1>
<h2 lang="zh">{escape(title_zh)}</h2>
<time datetime="{iso_utc(self.published(n))}">{self.published(n):%Y-%m-%d %H:%M} UTC</time>
{"".join(paras)}</article>
<footer><a href="/">Home</a></footer>
</body></html>
"""
        return html.encode("utf-8")

    @functools.lru_cache(maxsize=1024)  # noqa: B019
    def listing(self, page: int) -> bytes:
        first = (page - 1) * PER_LIST + 1
        last = min(self.stories, page * PER_LIST)
        items = "".join(
            f'<li><a href="/s/{n}">{escape(self.title(n)[0])}</a></li>\n'
            for n in range(first, last + 1)
        )
        nav = f'<a rel="next" href="/list/{page + 1}">Next</a>' if page < self.lists else ""
        head_next = f'<link rel="next" href="/list/{page + 1}">' if page < self.lists else ""
        return (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Bulk news page {page}</title>{head_next}</head><body>\n"
            f'<ul class="stories">\n{items}</ul>\n<nav>{nav}</nav></body></html>\n'
        ).encode()

    def handle(self, h: DemoHandler) -> None:
        path = h.route
        base = h.server.base_url
        if path == "/" or (m := _LIST.match(path)):
            page = 1 if path == "/" else int(m.group(1))
            if 1 <= page <= self.lists:
                h.send_page(self.listing(page), HTML, last_modified=START)
                return
        elif m := _STORY.match(path):
            n = int(m.group(1))
            if 1 <= n <= self.stories:
                h.send_page(self.story(n, base), HTML, last_modified=self.published(n))
                return
        elif path == "/robots.txt":
            h.send_page(robots([], base + "/sitemap.xml"), "text/plain; charset=utf-8")
            return
        elif path == "/sitemap.xml":
            urls = ((f"{base}/s/{n}", self.published(n)) for n in range(1, self.stories + 1))
            h.send_page(urlset(urls), XML, last_modified=START)
            return
        elif path == "/feed.xml":
            items = [
                (self.title(n)[0], f"{base}/s/{n}", self.title(n)[1], self.published(n))
                for n in range(1, min(self.stories, PER_LIST) + 1)
            ]
            body = rss("Bulk news", base + "/", items)
            h.send_page(body, "application/rss+xml; charset=utf-8", last_modified=START)
            return
        h.send_simple(404, b"not found\n")
