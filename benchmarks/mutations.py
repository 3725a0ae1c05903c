"""Two captures of one real page that differ only in furniture, or by one real edit.

The furniture makers imitate what news sites put around a story and change between two crawls
(relative times, counters, promos, related and trending lists, sign-in bars, credit lines); the
edit makers imitate what editors change (a sentence, a paragraph, a headline, a TL;DR bullet, a
correction). Each maker is seeded per (page, kind), so a run is reproducible, and varies its
markup per page (tag, hashed-looking class names, position), as real templates do.
Used by benchmarks/truth_mutations.py and tests/test_truth_mutations.py.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from random import Random

import lxml.html
from lxml import etree

CAPTURE_GAP = timedelta(hours=2)  # capture B is taken this long after capture A
_BASE_CLOCK = datetime(2026, 11, 21, tzinfo=UTC)
_ET = timezone(timedelta(hours=-5))  # US Eastern in November
_BEIJING = timezone(timedelta(hours=8))
_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_OFF_ARTICLE = {"nav", "footer", "header", "aside", "a", "button", "figcaption"}
# Site footers and notices, not story paragraphs (the Chinese pages have no ground truth).
_NOTICES = ("免责声明", "声明：", "版权声明", "版权所有", "本文仅代表作者", "责任编辑", "ICP备",
            "公网安备", "技术支持：", "上一篇", "下一篇", "赞赏", "©", "Copyright",
            "All rights reserved", "views and opinions expressed", "do not necessarily reflect",
            "Email the writer", "SecureDrop")  # fmt: skip
# Frequent English words that Portuguese, Italian, German and Indonesian prose rarely uses.
_ENGLISH_WORDS = frozenset(
    "the of and to in is that for it with was on are be by this have from at his her they not"
    " but an or which you we has had were their will its".split()
)


class Skip(Exception):
    """The page has nothing this kind can be applied to (e.g. no main-text paragraphs)."""


@dataclass(frozen=True)
class Page:
    """A corpus page, decoded, with what the makers need to know about it."""

    page_id: str
    lang: str  # "en" or "zh": the language of the page's own text and of the edits
    url: str
    html: str
    truth: str | None = None  # the English ground-truth article body
    other_titles: tuple[str, ...] = ()  # headlines of other pages, for related/trending lists

    @property
    def captured_at(self) -> tuple[datetime, datetime]:
        """Capture times of A and B: a seeded time of day, then two hours later."""
        minutes = Random(f"{self.page_id}:clock").randrange(24 * 60)
        first = _BASE_CLOCK + timedelta(minutes=minutes)
        return first, first + CAPTURE_GAP


@dataclass(frozen=True)
class Pair:
    """Two captures of one page and what a change detector should see between them."""

    page_id: str
    kind: str
    url: str
    captured_at: tuple[datetime, datetime]
    a: bytes
    b: bytes
    expected_field: str | None  # None: furniture only, no version should be made
    detail: dict = field(default_factory=dict)  # what was changed, for diagnosis and tests


# --- decoding and serialising -------------------------------------------------------------


def decode_page(raw: bytes) -> str:
    """The page's text, from its real encoding: several pages declare gb2312 but are UTF-8, so
    UTF-8 is tried first and the declared charset only when the bytes are not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(raw[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else "cp1252"
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        name = "gb18030"  # what browsers do: gb2312 pages use GBK characters
    try:
        return raw.decode(name, errors="replace")
    except LookupError:
        return raw.decode("cp1252", errors="replace")


def parse(text: str) -> etree._Element:
    parser = lxml.html.HTMLParser(encoding="utf-8")
    return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)


def serialise(doc: etree._Element) -> bytes:
    """UTF-8 bytes with one `<meta charset="utf-8">`: the page's own charset declarations are
    dropped, because the text was decoded and is re-encoded."""
    for meta in doc.iter("meta"):
        equiv = (meta.get("http-equiv") or "").lower()
        if meta.get("charset") is not None or equiv == "content-type":
            meta.drop_tree()
    head = doc.find("head")
    if head is None:
        head = etree.Element("head")
        doc.insert(0, head)
    meta = etree.Element("meta", charset="utf-8")
    meta.tail = "\n"
    head.insert(0, meta)
    return lxml.html.tostring(doc.getroottree(), encoding="unicode").encode("utf-8")


def normalise(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def is_english(text: str) -> bool:
    """Mostly ASCII letters: the English corpus holds a few Russian and Japanese pages."""
    letters = _LETTER.findall(text)
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.9 * len(letters)


def is_chinese(text: str) -> bool:
    return len(_HAN.findall(text)) >= 4


def is_english_prose(text: str) -> bool:
    """English sentences, not just Latin letters: the English corpus also holds Portuguese,
    Italian, German and Indonesian pages, whose text newsarc files under no English field."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 8:
        return is_english(text)
    return is_english(text) and sum(w in _ENGLISH_WORDS for w in words) >= 0.1 * len(words)


def in_language(text: str, lang: str) -> bool:
    return is_english_prose(text) if lang == "en" else is_chinese(text)


def page_title(text: str) -> str:
    """The headline part of a page's `<title>` (site names after | - _ dropped)."""
    found = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if not found:
        return ""
    title = html.unescape(normalise(re.sub(r"<[^>]+>", "", found.group(1))))
    parts = re.split(r"\s+[|\-–—]\s+|_|｜", title)
    return max(parts, key=len).strip()


# --- where things go on a page -------------------------------------------------------------


@dataclass
class Anatomy:
    """The parts of one parsed capture that furniture and edits are placed against."""

    body: etree._Element
    headline: etree._Element | None  # the visible <h1> of the story
    paragraphs: list[etree._Element]  # main-text <p>s, in document order
    container: etree._Element | None  # the element holding most of them

    def block(self, paragraph: etree._Element) -> etree._Element:
        """The paragraph, or the quote or box holding it inside the story's container: new
        things go beside it, not inside an embedded tweet or pull quote."""
        block = paragraph
        while block.getparent() is not None and block.getparent() is not self.container:
            block = block.getparent()
        return paragraph if block.getparent() is None else block


def anatomy(doc: etree._Element, page: Page) -> Anatomy:
    body = doc.find("body")
    if body is None:
        body = etree.SubElement(doc, "body")
    paragraphs = _main_paragraphs(doc, page)
    parents = Counter(p.getparent() for p in paragraphs)
    container = parents.most_common(1)[0][0] if parents else None
    return Anatomy(body, _headline(doc), paragraphs, container)


def _off_article(element: etree._Element) -> bool:
    return any(
        a.tag in _OFF_ARTICLE or _EMBED.search(f"{a.get('class', '')} {a.get('id', '')}")
        for a in element.iterancestors()
    )


# Posts of other services embedded in a story (a tweet, an Instagram post) and captions: the
# ground truth counts their text, but a newsroom's edit of its story never rewrites them.
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
_EMBED = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|fb-post|caption", re.I)


def _main_paragraphs(doc: etree._Element, page: Page) -> list[etree._Element]:
    """English: <p>s of 80+ characters whose text is in the ground-truth body. Chinese (no
    ground truth): <p>s of 30+ Han characters under the parent that holds most of them.
    Neither in an embedded post or a caption, nor a text the page shows twice (a TL;DR that
    repeats a paragraph): removing that paragraph would leave its text on the page."""
    shown = normalise(" ".join(_VISIBLE_TEXT(doc)))
    candidates = [
        p
        for p in doc.iter("p")
        if not _off_article(p) and shown.count(normalise(p.text_content())[:120]) < 2
    ]
    if page.lang == "en":
        truth = normalise(page.truth)
        return [
            p
            for p in candidates
            if len(text := normalise(p.text_content())) >= 80 and text in truth
        ]
    return _chinese_paragraphs(candidates)


def _chinese_paragraphs(candidates: list[etree._Element]) -> list[etree._Element]:
    """<p>s of 30+ Han characters under the smallest element (up to three levels up) that
    holds most of them, at least two; disclaimers, list items and repeated widget texts are
    left out."""
    texts = Counter(normalise(p.text_content()) for p in candidates)
    long = [
        p
        for p in candidates
        if len(_HAN.findall(text := normalise(p.text_content()))) >= 30
        and texts[text] == 1
        and not any(notice in text for notice in _NOTICES)
        and p.getparent().tag != "li"  # a list of teasers or Q&A, not paragraphs
    ]
    holders: Counter = Counter()
    for paragraph in long:
        holders.update(list(paragraph.iterancestors())[:3])
    if not holders or max(holders.values()) < 2:
        return []
    most = max(holders.values())
    container = max(
        (a for a, n in holders.items() if n == most), key=lambda a: len(list(a.iterancestors()))
    )
    return [p for p in long if container in p.iterancestors()]


def _headline(doc: etree._Element) -> etree._Element | None:
    """The <h1> that repeats the page's title; else the first <h1> with text."""
    h1s = [h for h in doc.iter("h1") if normalise(h.text_content())]
    title = normalise(doc.findtext(".//title") or "")
    for h1 in h1s:
        if normalise(h1.text_content()) in title:
            return h1
    return h1s[0] if h1s else None


@dataclass(frozen=True)
class Insert:
    """A piece of furniture: where it goes and its markup in capture A and in capture B."""

    spot: str  # see SPOTS
    html: tuple[str, str]  # '' means the slot is empty in that capture
    where: float = 0.5  # for "between": how far down the main text


SPOTS = ("under_headline", "article_top", "between", "after_body", "after_article",
         "sidebar", "body_top", "body_bottom")  # fmt: skip


def place(parts: Anatomy, insert: Insert, capture: int) -> None:
    """Insert one capture's furniture at its spot (falling back to the nearest spot the page
    has: no <h1> means the top of the main text, no main text means the page's body)."""
    markup = insert.html[capture]
    if not markup:
        return
    element = lxml.html.fragment_fromstring(markup)
    if insert.spot == "sidebar":  # a rail beside the story, as most news templates have
        rail = etree.Element("aside")
        rail.append(element)
        element = rail
    element.tail = "\n"
    _put(parts, insert.spot, insert.where, element)


def _put(parts: Anatomy, spot: str, where: float, element: etree._Element) -> None:
    paragraphs = parts.paragraphs
    if spot == "under_headline" and parts.headline is not None:
        parts.headline.addnext(element)
    elif spot in ("under_headline", "article_top") and paragraphs:
        parts.block(paragraphs[0]).addprevious(element)
    elif spot == "between" and len(paragraphs) >= 2:
        index = min(int(where * (len(paragraphs) - 1)), len(paragraphs) - 2)
        parts.block(paragraphs[index]).addnext(element)
    elif spot in ("between", "after_body") and paragraphs:
        parts.block(paragraphs[-1]).addnext(element)
    elif spot in ("after_article", "sidebar") and _beside_body(parts.container, parts.body):
        parts.container.addnext(element)
    elif spot in ("body_top", "under_headline", "article_top"):
        parts.body.insert(0, element)
    else:
        parts.body.append(element)


def _beside_body(container: etree._Element | None, body: etree._Element) -> bool:
    return container is not None and container is not body and container.getparent() is not None


# --- markup ---------------------------------------------------------------------------------

_ALNUM = string.ascii_letters + string.digits


def class_name(rng: Random) -> str:
    """A hashed-looking class, as CSS-in-JS and CSS modules emit (`css-1x9q7k`, `sc-bdfBwQ`)."""
    form = rng.randrange(5)
    if form == 0:
        return "c-" + "".join(rng.choices("0123456789abcdef", k=4))
    if form == 1:
        return "css-" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=6))
    if form == 2:
        return "sc-" + "".join(rng.choices(string.ascii_letters, k=6))
    if form == 3:
        return "_" + "".join(rng.choices(_ALNUM, k=5))
    return "x" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=7))


def class_attr(rng: Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return ""
    names = [class_name(rng) for _ in range(2 if roll > 0.8 else 1)]
    return f' class="{" ".join(names)}"'


@dataclass(frozen=True)
class Markup:
    """One template's markup for a furniture block, drawn once and used for both captures."""

    outer: str
    outer_attr: str
    layout: str  # "joined" (one text), "spans" (a child per part), "list" (ul/li)
    inner_attr: str
    separator: str
    heading_tag: str
    heading_attr: str

    def render(self, parts: list[str], heading: str = "") -> str:
        """`parts` and `heading` are HTML (already escaped)."""
        outer, layout = self.outer, self.layout
        if outer == "ul" and not heading:
            layout = "items"  # a bare list: its items are the parts
        elif outer in ("p", "span", "ul") and (heading or layout == "list"):
            outer = "div"
        top = f"<{self.heading_tag}{self.heading_attr}>{heading}</{self.heading_tag}>"
        inner = top if heading else ""
        if layout == "items":
            inner += "".join(f"<li{self.inner_attr}>{p}</li>" for p in parts)
        elif layout == "joined":
            inner += self.separator.join(parts)
        elif layout == "spans":
            inner += " ".join(f"<span{self.inner_attr}>{p}</span>" for p in parts)
        else:
            items = "".join(f"<li{self.inner_attr}>{p}</li>" for p in parts)
            inner += f"<ul>{items}</ul>"
        return f"<{outer}{self.outer_attr}>{inner}</{outer}>"


def draw_markup(
    rng: Random,
    outers: tuple[str, ...] = ("div", "p", "span", "section", "aside"),
    layouts: tuple[str, ...] = ("joined", "spans", "list"),
) -> Markup:
    return Markup(
        outer=rng.choice(outers),
        outer_attr=class_attr(rng),
        layout=rng.choice(layouts),
        inner_attr=class_attr(rng),
        separator=rng.choice((" · ", " | ", " ", " • ", " / ")),
        heading_tag=rng.choice(("h2", "h3", "h4", "div", "strong")),
        heading_attr=class_attr(rng),
    )


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def link(rng: Random, page: Page, text: str) -> str:
    slug = "-".join(re.findall(r"[a-z0-9]+", text.lower())[:6]) or str(rng.randrange(10**6))
    host = re.sub(r"^https?://([^/]+).*$", r"\1", page.url)
    return f'<a href="https://{host}/news/{slug}-{rng.randrange(10**5)}">{esc(text)}</a>'


def pick(rng: Random, page: Page, english: list, chinese: list, bilingual: list | None = None):
    """A text (or form) in the page's language, sometimes bilingual as on EN/ZH sites."""
    pool = list(english if page.lang == "en" else chinese)
    if bilingual and rng.random() < 0.3:
        pool = list(bilingual)
    return rng.choice(pool)


# --- texts ----------------------------------------------------------------------------------

NAMES_EN = ["Jane Smith", "Daniel Okafor", "Priya Raman", "Tom Becker", "Lucía Fernández",
            "Wei Zhang", "Sarah O'Neill", "Mark Hoffmann"]  # fmt: skip
NAMES_ZH = ["王磊", "李娜", "陈晨", "刘洋", "赵敏", "周婷", "孙浩", "杨帆"]
SOURCES_EN = ["Reuters", "AP", "Bloomberg", "AFP", "Tech Desk", "staff reports"]
SOURCES_ZH = ["新华社", "人民网", "央视新闻", "澎湃新闻", "中国新闻网", "界面新闻", "科技日报"]
PUBLISHERS_EN = ["Northwind Media", "Harbor Press Group", "Meridian News Group", "Bluefin Digital"]
PUBLISHERS_ZH = ["星海传媒", "东方数字媒体", "华夏网络科技有限公司", "新视界传媒"]
HEADLINES_EN = [
    "OpenAI rival raises $400 million to build smaller language models",
    "EU lawmakers agree on rules for general-purpose AI systems",
    "Chipmaker shares jump as data-centre demand outpaces supply",
    "Researchers unveil open model that runs on a single laptop GPU",
    "Hospitals test AI scribes to cut doctors' paperwork",
    "Why robotics start-ups are betting on foundation models",
    "Court rules AI-generated images cannot be copyrighted",
    "Search traffic to news sites falls as chatbots answer questions",
    "Startup claims breakthrough in battery life for edge AI chips",
    "Universities rethink exams in the age of AI assistants",
]
HEADLINES_ZH = [
    "国产大模型密集发布，算力需求持续攀升", "多地出台人工智能产业扶持政策",
    "AI芯片企业完成新一轮融资", "人形机器人走进工厂，量产仍面临挑战",
    "教育部：加强人工智能通识教育", "自动驾驶出租车在多个城市扩大试点",
    "生成式AI监管新规正式实施", "科研团队发布开源多模态模型",
    "AI助手进入医院，医生文书负担有望减轻", "数据中心用电量激增引发关注",
]  # fmt: skip


def headlines(page: Page) -> list[str]:
    """Other pages' headlines in the page's language, then stock AI-news headlines."""
    stock = HEADLINES_EN if page.lang == "en" else HEADLINES_ZH
    return list(dict.fromkeys([*page.other_titles, *stock]))


def big_number(n: int, lang: str) -> str:
    """View counts as sites print them: 1,234 / 12.3K / 5.2万."""
    if lang == "zh":
        return f"{n / 10000:.1f}万" if n >= 10000 else str(n)
    if n >= 10000:
        return f"{n / 1000:.1f}K"
    return f"{n:,}"


# --- relative and absolute times --------------------------------------------------------


def ago_en_short(minutes: int) -> str:
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes}m ago"
    return f"{minutes // 60}h ago" if minutes < 1440 else f"{minutes // 1440}d ago"


def ago_en_long(minutes: int) -> str:
    if minutes < 1:
        return "Just now"
    if minutes < 60:
        return "1 minute ago" if minutes == 1 else f"{minutes} minutes ago"
    if minutes < 1440:
        hours = minutes // 60
        return "1 hour ago" if hours == 1 else f"{hours} hours ago"
    return "Yesterday" if minutes < 2880 else f"{minutes // 1440} days ago"


def ago_en_bare(minutes: int) -> str:
    if minutes < 60:
        return f"{max(minutes, 1)}m"
    return f"{minutes // 60}h" if minutes < 1440 else f"{minutes // 1440}d"


def ago_zh(minutes: int) -> str:
    if minutes < 1:
        return "刚刚"
    if minutes < 60:
        return f"{minutes}分钟前"
    return f"{minutes // 60}小时前" if minutes < 1440 else f"{minutes // 1440}天前"


def calendar_zh(event: datetime, now: datetime) -> str:
    """今天 09:12 / 昨天 14:20 / 11-19 08:00, in Beijing time."""
    event, now = event.astimezone(_BEIJING), now.astimezone(_BEIJING)
    days = (now.date() - event.date()).days
    prefix = {0: "今天", 1: "昨天"}.get(days, event.strftime("%m-%d"))
    return f"{prefix} {event:%H:%M}"


AgeForm = Callable[[datetime, datetime], str]


def _minutes(event: datetime, now: datetime) -> int:
    return int((now - event).total_seconds() // 60)


AGE_FORMS_EN: dict[str, AgeForm] = {
    "en_short": lambda e, n: ago_en_short(_minutes(e, n)),
    "en_long": lambda e, n: ago_en_long(_minutes(e, n)),
    "en_bare": lambda e, n: ago_en_bare(_minutes(e, n)),
    "en_updated": lambda e, n: "Updated " + ago_en_long(_minutes(e, n)).lower(),
}
AGE_FORMS_ZH: dict[str, AgeForm] = {
    "zh_ago": lambda e, n: ago_zh(_minutes(e, n)),
    "zh_updated": lambda e, n: "更新于 " + ago_zh(_minutes(e, n)),
    "zh_calendar": calendar_zh,
}
AGE_FORMS_BILINGUAL: dict[str, AgeForm] = {
    "bilingual": lambda e, n: (
        f"Updated {ago_en_short(_minutes(e, n))} · 更新于 {ago_zh(_minutes(e, n))}"
    ),
}


def absolute_time(moment: datetime, form: str) -> str:
    """A published/updated stamp in one of the formats sites print."""
    et, bj = moment.astimezone(_ET), moment.astimezone(UTC).astimezone(_BEIJING)
    utc = moment.astimezone(UTC)
    if form == "en_ap":
        clock = f"{et.hour % 12 or 12}:{et:%M} {'a.m.' if et.hour < 12 else 'p.m.'}"
        return f"{et:%b}. {et.day}, {et.year} {clock} ET"
    if form == "en_gmt":
        return f"{utc:%a} {utc.day} {utc:%b %Y %H.%M} GMT"
    if form == "en_iso":
        return f"{utc:%Y-%m-%dT%H:%MZ}"
    if form == "en_long":
        return f"{et:%B} {et.day}, {et.year} at {et.hour % 12 or 12}:{et:%M %p} EST"
    if form == "zh_cn":
        return f"{bj.year}年{bj.month}月{bj.day}日 {bj:%H:%M}"
    if form == "zh_sec":
        return f"{bj:%Y/%m/%d %H:%M:%S}"
    return f"{bj:%Y-%m-%d %H:%M}"


def time_tag(rng_roll: float, moment: datetime, text: str) -> str:
    """Half the sites wrap a time in <time datetime=...>; the attribute is absolute."""
    if rng_roll < 0.5:
        return esc(text)
    return f'<time datetime="{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}">{esc(text)}</time>'


# --- furniture makers -------------------------------------------------------------------


def relative_time(rng: Random, page: Page) -> Insert:
    """'Updated 3h ago · 更新于 3小时前' under the headline: the same moment, aged two hours in
    B and sometimes printed in another form ('刚刚' then '2小时前', '今天 22:10' then '昨天')."""
    first, second = page.captured_at
    own = AGE_FORMS_EN if page.lang == "en" else AGE_FORMS_ZH
    forms = {**own, **AGE_FORMS_BILINGUAL}
    form_a = rng.choice([*sorted(own), "bilingual"])
    form_b = form_a if rng.random() < 0.7 else rng.choice(sorted(forms))
    for attempt in range(100):  # renderings that differ ('1 day ago' can stay '1 day ago')
        if attempt >= 5:  # e.g. '今天 09:12' twice when no midnight falls between captures
            form_b = rng.choice(sorted(forms))
        age = rng.choice([0, rng.randint(2, 59), rng.randint(60, 1439), rng.randint(1440, 2880)])
        event = first - timedelta(minutes=age, seconds=rng.randrange(60))
        if forms[form_a](event, first) != forms[form_b](event, second):
            break
    byline = ""
    if rng.random() < 0.4:
        name = rng.choice(NAMES_EN if page.lang == "en" else NAMES_ZH)
        bylines = [f"By {name}", name] if page.lang == "en" else [name, f"作者：{name}"]
        byline = esc(rng.choice(bylines))
    markup = draw_markup(rng, layouts=("joined", "spans"))
    roll = rng.random()

    def capture(form: str, now: datetime) -> str:
        stamp = time_tag(roll, event, forms[form](event, now))
        return markup.render([byline, stamp] if byline else [stamp])

    spot = rng.choice(["under_headline"] * 3 + ["article_top"])
    return Insert(spot, (capture(form_a, first), capture(form_b, second)))


def dateline(rng: Random, page: Page) -> Insert:
    """'Published Nov. 21, 2026 9:12 a.m. ET' / '2026-11-21 09:12 来源：新华社': B carries an
    'Updated' stamp that moved although nothing else did (sites re-stamp on republish)."""
    first, second = page.captured_at
    published = first - timedelta(minutes=rng.randint(30, 2880))
    updated = first + timedelta(minutes=rng.randint(1, 119))
    if page.lang == "en":
        form = rng.choice(["en_ap", "en_gmt", "en_iso", "en_long"])
        labels = rng.choice(
            [
                ("Published", "Updated"),
                ("Posted", "Last updated"),
                ("Published 发布于", "Updated 更新于"),
            ]
        )
        source = ""
    else:
        form = rng.choice(["zh_dash", "zh_cn", "zh_sec"])
        labels = rng.choice([("发布时间：", "更新时间："), ("发布于 ", "更新于 "), ("", "更新 ")])
        source = esc(f"来源：{rng.choice(SOURCES_ZH)}") if rng.random() < 0.6 else ""
    keep_published = rng.random() < 0.5
    markup = draw_markup(rng)
    roll = rng.random()

    def stamp(label: str, moment: datetime) -> str:
        return f"{esc(label.strip())} {time_tag(roll, moment, absolute_time(moment, form))}".strip()

    a = [stamp(labels[0], published)]
    b = [stamp(labels[1], updated)]
    if keep_published:
        b.insert(0, a[0])
    if source:
        a.append(source)
        b.append(source)
    spot = rng.choice(["under_headline", "under_headline", "article_top", "after_body"])
    return Insert(spot, (markup.render(a), markup.render(b)))


def counters(rng: Random, page: Page) -> Insert:
    """'1,234 views · 56 comments' / '阅读 5.2万 · 评论 123 · 点赞 45': counts that only grow."""
    views = rng.choice([rng.randint(40, 900), rng.randint(1000, 9999), rng.randint(10**4, 10**6)])
    counts = [views, rng.randint(0, 400), rng.randint(0, 2000), rng.randint(0, 300)]
    later = [c + rng.randint(1, max(2, c // 3)) for c in counts]
    labels = (
        rng.choice(
            [
                ("{} views", "{} comments", "{} likes", "{} shares"),
                ("👁 {}", "💬 {}", "👍 {}", "↗ {}"),
                ("Views {}", "Comments {}", "Likes {}", "Shares {}"),
            ]
        )
        if page.lang == "en"
        else rng.choice(
            [
                ("阅读 {}", "评论 {}", "点赞 {}", "转发 {}"),
                ("阅读量：{}", "评论数：{}", "赞 {}", "收藏 {}"),
                ("{}人阅读", "{}条评论", "{}人点赞", "{}次分享"),
            ]
        )
    )
    shown = sorted(rng.sample(range(4), rng.randint(1, 3)))
    markup = draw_markup(rng, outers=("div", "p", "span", "ul", "section"))

    def capture(values: list[int]) -> str:
        return markup.render(
            [esc(labels[i].format(big_number(values[i], page.lang))) for i in shown]
        )

    spot = rng.choice(["under_headline", "sidebar", "after_body", "after_article"])
    return Insert(spot, (capture(counts), capture(later)))


def scores(rng: Random, page: Page) -> Insert:
    """'Hot 热度 88 · Quality 质量 75', 'Rating 4.5/5 (1,203 ratings)': scores that wobble."""
    style = rng.randrange(4)

    def wobble(value: int, spread: int) -> int:
        return value + rng.choice([-1, 1]) * rng.randint(1, spread)

    if style == 0:
        names = rng.choice(
            [
                ("Hot 热度", "Quality 质量", "Impact 影响"),
                ("热度", "质量", "影响力"),
                ("Hot", "Quality", "Impact"),
            ]
        )
        values = [rng.randint(40, 95) for _ in names]
        texts = [
            [f"{n} {v}" for n, v in zip(names, vs, strict=True)]
            for vs in (values, [wobble(v, 4) for v in values])
        ]
    elif style == 1:
        stars, count = rng.randint(30, 49), rng.randint(50, 5000)
        later = (stars + rng.choice([-1, 1]), count + rng.randint(3, 60))
        texts = [
            [
                f"Rating {s / 10:.1f}/5 ({c:,} ratings)"
                if page.lang == "en"
                else f"评分 {s / 5:.1f} （{c}人评价）"
            ]
            for s, c in ((stars, count), later)
        ]
    elif style == 2:
        score = rng.randint(100, 5000)
        label = "Trending score" if page.lang == "en" else "热度值"
        texts = [[f"{label}: {score:,}"], [f"{label}: {score + rng.randint(5, 900):,}"]]
    else:
        stars = rng.randint(3, 4)
        value, count = rng.randint(30, 49), rng.randint(20, 900)
        later = (wobble(value, 2), count + rng.randint(1, 40))
        texts = [
            [f"{'★' * stars}{'☆' * (5 - stars)} {v / 10:.1f} ({c})"]
            for v, c in ((value, count), later)
        ]
    markup = draw_markup(rng)
    spot = rng.choice(["under_headline", "sidebar", "after_body", "article_top"])
    return Insert(spot, tuple(markup.render([esc(t) for t in ts]) for ts in texts))


def related_shuffle(rng: Random, page: Page) -> Insert:
    """A 'Related stories' / '相关阅读' list of other headlines, reshuffled and partly replaced
    by the time of the second capture (recommendation engines re-rank per request)."""
    pool = headlines(page)
    chosen = rng.sample(pool, min(len(pool), 7))
    first = chosen[:5]
    second = first[:]
    for slot in rng.sample(range(5), rng.randint(1, 2)):
        second[slot] = chosen[5 + (slot % 2)] if len(chosen) > 5 else second[slot]
    rng.shuffle(second)
    if second == first:
        second = second[1:] + second[:1]
    heading = pick(
        rng,
        page,
        ["Related", "Related stories", "More on this story", "You may also like", "Read next"],
        ["相关阅读", "相关新闻", "猜你喜欢", "推荐阅读", "延伸阅读"],
    )
    markup = draw_markup(rng, outers=("div", "section", "aside"), layouts=("list", "spans"))
    hrefs = {title: link(rng, page, title) for title in chosen}
    spot = rng.choice(["after_body", "between", "sidebar", "after_article"])
    return Insert(
        spot,
        tuple(markup.render([hrefs[t] for t in items], esc(heading)) for items in (first, second)),
        rng.random(),
    )


PROMOS_EN = [
    ("Sign up for The Download, our AI newsletter: the week's most important stories, every "
     "Friday.", "Sign up"),
    ("Subscribe now: unlimited access for $1 a week for your first year. Cancel anytime.",
     "Subscribe"),
    ("Get the app: read offline, save stories and get breaking news alerts.", "Download"),
    ("Join us at AI Summit 2026, Dec. 3-4 in San Francisco. Early-bird tickets end Friday.",
     "Get tickets"),
    ("Advertisement. Scale your models with Cirrus GPU Cloud: 30% off your first month.",
     "Learn more"),
    ("Listen to this article · 6 min. Powered by text-to-speech.", "Play"),
    ("Enjoying this story? Support independent journalism with a one-off contribution.",
     "Contribute"),
]  # fmt: skip
PROMOS_ZH = [
    ("下载APP，阅读更多精彩内容", "立即下载"),
    ("扫码关注公众号，获取最新AI资讯", "关注"),
    ("点击订阅，每日推送科技要闻", "订阅"),
    ("广告 云端GPU算力限时特惠，新用户首月五折", "了解详情"),
    ("【活动】2026人工智能开发者大会报名开启，名额有限", "立即报名"),
    ("打开APP，查看高清大图与更多评论", "打开"),
]


def promo(rng: Random, page: Page, index: int) -> str:
    """One promo in one of the shapes sites use, 'Read more: <headline>' included."""
    pool = PROMOS_EN if page.lang == "en" else PROMOS_ZH
    if index >= len(pool):
        label = "Read more:" if page.lang == "en" else "延伸阅读："
        title = headlines(page)[index % len(headlines(page))]
        return f"<p{class_attr(rng)}><strong>{label}</strong> {link(rng, page, title)}</p>"
    text, action = pool[index]
    cta = f'<a href="https://subscribe.example.com/{index}"{class_attr(rng)}>{esc(action)}</a>'
    shape = rng.randrange(3)
    if shape == 0:
        return f"<div{class_attr(rng)}><p>{esc(text)}</p>{cta}</div>"
    if shape == 1:
        return f"<aside{class_attr(rng)}><span>{esc(text)}</span> {cta}</aside>"
    return f"<p{class_attr(rng)}>{esc(text)} {cta}</p>"


def promo_rotation(rng: Random, page: Page) -> Insert:
    """A promo between two paragraphs of the story, rotated per request from a pool of
    newsletter, subscription, app, event and ad slots (and sometimes left unfilled)."""
    count = len(PROMOS_EN if page.lang == "en" else PROMOS_ZH) + 2
    first, second = rng.sample(range(count), 2)
    a, b = promo(Random(rng.random()), page, first), promo(Random(rng.random()), page, second)
    roll = rng.random()
    if roll < 0.15:
        a = ""
    elif roll < 0.3:
        b = ""
    spot = rng.choice(["between"] * 4 + ["after_body"])
    return Insert(spot, (a, b), rng.random())


def trending(rng: Random, page: Page) -> Insert:
    """A ranked 'Trending' / '24小时热榜' box with read counts; other stories an hour later."""
    pool = headlines(page)
    items = rng.sample(pool, min(len(pool), 10))
    heading = pick(
        rng,
        page,
        ["Trending", "Most read", "Most popular", "Trending now"],
        ["热门排行", "24小时热榜", "热点推荐", "排行榜"],
    )
    markup = draw_markup(rng, outers=("div", "section", "aside"), layouts=("list", "spans"))
    counts = sorted((rng.randint(500, 200000) for _ in range(10)), reverse=True)
    hrefs = {title: link(rng, page, title) for title in items}

    def box(titles: list[str], values: list[int]) -> str:
        rows = [
            f"{rank}. {hrefs[t]} <span>{big_number(v, page.lang)}</span>"
            for rank, (t, v) in enumerate(zip(titles, values, strict=False), 1)
        ]
        return markup.render(rows, esc(heading))

    later = items[2:7] if len(items) >= 7 else items[::-1]
    spot = rng.choice(["sidebar", "body_bottom", "after_article"])
    return Insert(spot, (box(items[:5], counts[:5]), box(later, counts[5:])))


SIGNIN_EN = ["Sign in | Subscribe — $1 for 3 months", "Already a subscriber? Log in",
             "Good morning. Sign in to get your personalised briefing.",
             "Limited time: 50% off your first year. Subscribe", "Register for free | Sign in",
             "Subscribe for $4.99/month · Cancel anytime"]  # fmt: skip
SIGNIN_ZH = ["登录 | 注册", "欢迎您，请登录", "注册即送30天会员", "晚上好，登录后查看更多",
             "新用户注册领取专属福利", "手机号快捷登录"]  # fmt: skip


def signin_bar(rng: Random, page: Page) -> Insert:
    """The subscribe / sign-in / greeting bar at the top of the page, with another offer or
    greeting in each capture (A/B-tested offers, time-of-day greetings)."""
    pool = SIGNIN_EN if page.lang == "en" else SIGNIN_ZH
    first, second = rng.sample(pool, 2)
    markup = draw_markup(rng, outers=("div", "section", "p"), layouts=("joined", "spans"))
    href = ' href="https://accounts.example.com/login"'

    def bar(text: str) -> str:
        return markup.render([f"<a{href}>{esc(part)}</a>" for part in re.split(r" \| ", text)])

    return Insert("body_top", (bar(first), bar(second)))


def share_bar(rng: Random, page: Page) -> Insert:
    """Share buttons with their counts ('Share 1.2K', '分享到：微信 微博 (123)')."""
    networks = (
        ["Twitter", "Facebook", "LinkedIn", "Email", "Copy link"]
        if page.lang == "en"
        else ["微信", "微博", "QQ空间", "复制链接"]
    )
    label = pick(rng, page, ["Share", "Share this article", "Share:"], ["分享到：", "分享"])
    total = rng.randint(0, 5000)
    later = total + rng.randint(1, 300)
    markup = draw_markup(rng, outers=("div", "section", "ul", "aside"), layouts=("list", "spans"))

    def bar(count: int) -> str:
        buttons = [
            f'<a href="https://share.example.com/{n.lower()}">{esc(n)}</a>' for n in networks
        ]
        return markup.render([f"{esc(label)} {big_number(count, page.lang)}", *buttons])

    spot = rng.choice(["under_headline", "article_top", "after_body"])
    return Insert(spot, (bar(total), bar(later)))


def credit_lines(rng: Random, page: Page) -> Insert:
    """Copyright, source and editor lines at the bottom: '© 2025 X Media' then '© 2026',
    '责任编辑：王磊' then '李娜' (the template's year and the desk editor of the hour)."""
    if page.lang == "en":
        publisher = rng.choice(PUBLISHERS_EN)
        lines = [
            (
                f"© 2025 {publisher}. All rights reserved.",
                f"© 2026 {publisher}. All rights reserved.",
            ),
            tuple(f"Source: {s}" for s in rng.sample(SOURCES_EN, 2)),
            tuple(f"Editor: {n}" for n in rng.sample(NAMES_EN, 2)),
        ]
    else:
        publisher = rng.choice(PUBLISHERS_ZH)
        lines = [
            (f"© 2025 {publisher} 版权所有", f"© 2026 {publisher} 版权所有"),
            tuple(f"来源：{s}" for s in rng.sample(SOURCES_ZH, 2)),
            tuple(f"责任编辑：{n}" for n in rng.sample(NAMES_ZH, 2)),
        ]
    shown = rng.sample(lines, rng.randint(1, 3))
    markup = draw_markup(rng, outers=("div", "p", "section", "footer"))
    spot = rng.choice(["after_body", "after_body", "body_bottom", "after_article"])
    return Insert(spot, tuple(markup.render([esc(line[i]) for line in shown]) for i in (0, 1)))


FURNITURE: dict[str, Callable[[Random, Page], Insert]] = {
    "relative_time": relative_time,
    "dateline": dateline,
    "counters": counters,
    "scores": scores,
    "related_shuffle": related_shuffle,
    "promo_rotation": promo_rotation,
    "trending": trending,
    "signin_bar": signin_bar,
    "share_bar": share_bar,
    "credit_lines": credit_lines,
}


# --- rewording ------------------------------------------------------------------------------

SWAPS_EN = [("said", "told reporters"), ("says", "argues"), ("will", "could"),
            ("would", "might"), ("new", "latest"), ("also", "additionally"), ("more", "further"),
            ("many", "numerous"), ("big", "large"), ("important", "crucial"), ("company", "firm"),
            ("people", "individuals"), ("help", "assist"),
            ("but", "though"), ("because", "since"),
            ("very", "highly"), ("first", "initial"), ("launches", "unveils"),
            ("announces", "reveals"), ("after", "following"),
            ("get", "obtain"), ("make", "create")]  # fmt: skip
SWAPS_ZH = [("表示", "指出"), ("目前", "当前"), ("已经", "已"), ("进行", "开展"), ("发展", "推进"),
            ("重要", "关键"), ("认为", "称"), ("公司", "企业"), ("可以", "能够"), ("问题", "难题"),
            ("今年", "本年度"), ("提高", "提升"), ("主要", "首要"), ("同时", "与此同时"),
            ("通过", "借助"), ("需要", "亟需"), ("一些", "部分"), ("非常", "十分"),
            ("开始", "着手"), ("发布", "推出"), ("宣布", "公布"), ("记者", "本报记者")]  # fmt: skip
_SENTENCE = {
    "en": re.compile(r"[^.!?]+(?:[.!?]+[\"”’)]*|$)"),
    "zh": re.compile(r"[^。！？]+[。！？]*"),
}


def reword(text: str, rng: Random, lang: str, headline: bool = False) -> str:
    """The text with a few words of one sentence changed, as an editor rewords a line: a
    synonym or two, else a corrected number, else an attribution or a qualifier added."""
    sentences = [m for m in _SENTENCE[lang].finditer(text) if m.group().strip()]
    rng.shuffle(sentences)
    for sentence in sentences:
        found = _swaps(sentence.group(), lang)
        if found:
            new = sentence.group()
            for start, end, replacement in sorted(_disjoint(rng, found), reverse=True):
                new = new[:start] + replacement + new[end:]
            return text[: sentence.start()] + new + text[sentence.end() :]
    number = list(re.finditer(r"\d+", text))
    if number:
        m = rng.choice(number)
        return text[: m.start()] + str(int(m.group()) + rng.randint(1, 9)) + text[m.end() :]
    if lang == "zh":
        return (
            rng.choice(["最新：", "快讯：", "据悉，"] if headline else ["据悉，", "据了解，"])
            + text
        )
    body = text.rstrip()
    qualifier = rng.choice([", report says", ", officials say", " amid criticism"])
    if not headline:
        qualifier = ", officials said"
    end = re.search(r"[.!?]+[\"”’)]*$", body)
    if end:
        return body[: end.start()] + qualifier + body[end.start() :] + text[len(body) :]
    return body + qualifier + text[len(body) :]


def reword_headline(text: str, rng: Random, lang: str) -> str:
    """The headline part reworded, the site name after '|', ' - ' or '_' left alone."""
    segments = re.split(r"(\s+[|\-–—]\s+|_|｜)", text)
    longest = max(range(0, len(segments), 2), key=lambda i: len(segments[i]))
    segments[longest] = reword(segments[longest], rng, lang, headline=True)
    return "".join(segments)


def _swaps(sentence: str, lang: str) -> list[tuple[int, int, str]]:
    found = []
    for word, replacement in SWAPS_EN if lang == "en" else SWAPS_ZH:
        if lang == "zh":
            found += [(m.start(), m.end(), replacement) for m in re.finditer(word, sentence)]
            continue
        for form, repl in ((word, replacement), (word.capitalize(), replacement.capitalize())):
            pattern = rf"(?<![-'’])\b{form}\b(?![-'’])"  # not "people's", "all-new"
            found += [(m.start(), m.end(), repl) for m in re.finditer(pattern, sentence)]
    return found


def _disjoint(rng: Random, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One or two non-overlapping substitutions."""
    picks: list[tuple[int, int, str]] = []
    for start, end, replacement in rng.sample(found, len(found)):
        if all(end <= s or start >= e for s, e, _ in picks):
            picks.append((start, end, replacement))
        if len(picks) == 2:
            break
    return picks


# --- edit makers ----------------------------------------------------------------------------

ADDED_SENTENCES_EN = [
    "The company did not immediately respond to a request for comment.",
    "A spokesperson declined to comment further on the matter.",
    "Shares were little changed in early trading after the announcement.",
    "Officials said more details would be released in the coming weeks.",
    "The figures have not been independently verified.",
    "Critics argue the plan leaves several key questions unanswered.",
]
ADDED_SENTENCES_ZH = [
    "截至发稿，相关公司尚未回应记者的置评请求。", "有业内人士表示，这一数据仍有待进一步核实。",
    "相关部门表示，后续细则将在近期公布。", "消息公布后，该公司股价在早盘小幅波动。",
    "多位专家认为，这一趋势仍将持续较长时间。",
]  # fmt: skip
ADDED_PARAGRAPHS_EN = [
    "In a statement released on Friday, the company said it had briefed regulators on the "
    "changes before they took effect. It added that customers would not need to take any action.",
    "Independent researchers who reviewed the findings said the results were promising but "
    "cautioned that the sample was small. A larger study is expected to report next year.",
    "The announcement comes amid growing scrutiny of how such systems are built and tested. "
    "Lawmakers in several countries have called for clearer disclosure rules.",
]
ADDED_PARAGRAPHS_ZH = [
    "记者了解到，相关方面已于本周初向监管部门报备了上述调整，并表示用户无需进行任何额外操作。"
    "业内人士预计，类似做法将在更多企业中推广。",
    "多位受访专家表示，上述研究结果值得关注，但样本量仍然偏小，结论有待更大规模的试验验证。"
    "据悉，后续研究将于明年公布。",
    "此次发布正值业界对人工智能系统安全性关注度持续上升之际。多地监管部门近期也相继出台了"
    "相关指导意见，要求企业加强信息披露。",
]
CORRECTIONS_EN = [
    "Correction: An earlier version of this article misstated the year the company was founded. "
    "It was founded in 2014, not 2015.",
    "Correction, Nov. 21: This story has been updated to correct the name of the research lab.",
    "Editor's note: An earlier version of this article incorrectly described the size of the "
    "funding round. It was $40 million.",
]
CORRECTIONS_ZH = [
    "更正：本文此前版本中有关公司成立时间的表述有误，现已更正为2014年。特此说明。",
    "【更正】此前报道中的一处融资金额有误，应为4000万元，特此更正并致歉。",
    "编者注：本文发布后对文中研究机构名称进行了更正。",
]
TLDR_EN = [
    "The model was trained only on licensed and publicly available data.",
    "Regulators are expected to respond within weeks.",
    "The company says the feature will roll out gradually to all users.",
    "Researchers caution the results have not been peer reviewed.",
    "Pricing has not been announced.",
    "The deal still needs approval from shareholders.",
]
TLDR_ZH = [
    "该模型仅使用授权数据和公开数据进行训练。", "监管部门预计将在数周内作出回应。",
    "公司表示，该功能将逐步向所有用户开放。", "研究人员提醒，相关结果尚未经过同行评审。",
    "具体定价尚未公布。", "该交易仍需获得股东批准。",
]  # fmt: skip


@dataclass(frozen=True)
class Change:
    """What an edit did: the field it should move, and the text only A has / only B has."""

    field: str  # "body", "title" or "tldr"; the page's language is added to name the field
    removed: str
    added: str
    where: str  # which element: "p[3]", "h1", "og:title", ...


EditMaker = Callable[[Random, Page, Anatomy, Anatomy], Change]


def _slots(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """The element's text nodes as (owner, 'text'|'tail'), inline markup kept as it is."""
    slots = [(element, "text")]
    for child in element.iterdescendants():
        if child.tag in ("script", "style") or not isinstance(child.tag, str):
            continue
        slots += [(child, "text"), (child, "tail")]
    return [(owner, attr) for owner, attr in slots if (getattr(owner, attr) or "").strip()]


def _longest_slot(element: etree._Element) -> tuple[etree._Element, str] | None:
    slots = _slots(element)
    return max(slots, key=lambda s: len(getattr(*s))) if slots else None


def _editable(page: Page, parts: Anatomy, min_chars: int) -> list[int]:
    """Indexes of main paragraphs in the page's language with a text node worth editing
    (never a copyright or footer notice: changing one is not an edit of the story)."""
    found = []
    for index, paragraph in enumerate(parts.paragraphs):
        slot = _longest_slot(paragraph)
        text = getattr(*slot) if slot else ""
        notice = any(n in paragraph.text_content() for n in _NOTICES)
        if len(text.strip()) >= min_chars and in_language(text, page.lang) and not notice:
            found.append(index)
    if not found:
        raise Skip("no main-text paragraph in the page's language")
    return found


def sentence_reworded(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """A few words of one sentence changed in a paragraph of the story (a silent copy edit)."""
    index = rng.choice(_editable(page, parts_b, 40 if page.lang == "en" else 20))
    owner, attr = _longest_slot(parts_b.paragraphs[index])
    old = getattr(owner, attr)
    new = reword(old, rng, page.lang)
    setattr(owner, attr, new)
    _mirror_json_ld(parts_a, parts_b, old, new)
    removed, added = _differing_span(old, new)
    return Change("body", removed, added, f"p[{index}]")


def _differing_span(old: str, new: str) -> tuple[str, str]:
    """The shortest stretch around the edit that tells the two texts apart (for tests)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    start = max(0, start - 12)
    return old[start : len(old) - max(0, end - 12)], new[start : len(new) - max(0, end - 12)]


def sentence_added(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """A sentence appended to a paragraph ('The company did not respond to a request ...')."""
    index = rng.choice(_editable(page, parts_b, 1))
    sentence = rng.choice(ADDED_SENTENCES_EN if page.lang == "en" else ADDED_SENTENCES_ZH)
    paragraph = parts_b.paragraphs[index]
    owner, attr = _slots(paragraph)[-1]
    old = getattr(owner, attr)
    body = old.rstrip()
    new = body + (" " if page.lang == "en" else "") + sentence + old[len(body) :]
    setattr(owner, attr, new)
    _mirror_json_ld(parts_a, parts_b, old, new)
    return Change("body", "", sentence, f"p[{index}]")


def paragraph_added(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """A new paragraph inserted after one of the story's paragraphs, in the same markup."""
    index = rng.choice(_editable(page, parts_b, 1))
    text = rng.choice(ADDED_PARAGRAPHS_EN if page.lang == "en" else ADDED_PARAGRAPHS_ZH)
    neighbour = parts_b.paragraphs[index]
    paragraph = etree.Element("p", dict(neighbour.attrib))
    paragraph.text = text
    paragraph.tail = "\n"
    parts_b.block(neighbour).addnext(paragraph)
    before = normalise(neighbour.text_content())
    _mirror_json_ld(parts_a, parts_b, before, before + "\n\n" + text)
    return Change("body", "", text, f"after p[{index}]")


def paragraph_removed(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """One of the story's paragraphs dropped (a passage cut after publication)."""
    if len(parts_b.paragraphs) < 3:
        raise Skip("fewer than three main-text paragraphs")
    index = rng.choice(_editable(page, parts_b, 1))
    paragraph = parts_b.paragraphs[index]
    text = normalise(paragraph.text_content())
    paragraph.drop_tree()
    _mirror_json_ld(parts_a, parts_b, text, "")
    return Change("body", text, "", f"p[{index}]")


def correction_appended(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """'Correction: An earlier version of this article misstated ...' / '更正：…' added at the
    end of the story, as a paragraph of its own (often in italics or with a bold label)."""
    _editable(page, parts_b, 1)
    text = rng.choice(CORRECTIONS_EN if page.lang == "en" else CORRECTIONS_ZH)
    label, _, rest = text.partition(":" if page.lang == "en" else "：")
    shape = rng.randrange(3)
    if shape == 0 and rest:
        inner = f"<strong>{esc(label)}:</strong>{esc(rest)}"
    elif shape == 1:
        inner = f"<em>{esc(text)}</em>"
    else:
        inner = esc(text)
    paragraph = lxml.html.fragment_fromstring(f"<p{class_attr(rng)}>{inner}</p>")
    paragraph.tail = "\n"
    last = parts_b.paragraphs[-1]
    parts_b.block(last).addnext(paragraph)
    before = normalise(last.text_content())
    _mirror_json_ld(parts_a, parts_b, before, before + "\n\n" + text)
    return Change("body", "", normalise(paragraph.text_content()), "after the last paragraph")


def headline_changed(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """The headline reworded in one place only: the visible <h1>, the <title>, og:title or
    JSON-LD `headline` (CMSs keep separate SEO and social headlines, edited separately)."""
    doc_b = parts_b.body.getroottree().getroot()
    variants = {
        name: found
        for name, found in _headlines(doc_b, parts_b).items()
        if (is_english(found) if page.lang == "en" else is_chinese(found))
    }
    if not variants:
        raise Skip("no headline in the page's language")
    variant = rng.choice(sorted(variants))
    old = variants[variant]
    if variant == "h1":
        owner, attr = _longest_slot(parts_b.headline)
        old = getattr(owner, attr)
        new = reword_headline(old, rng, page.lang)
        setattr(owner, attr, new)
    elif variant == "title":
        title = doc_b.find(".//title")
        old = title.text
        new = title.text = reword_headline(old, rng, page.lang)
    elif variant == "og:title":
        new = reword_headline(old, rng, page.lang)
        _og_title(doc_b).set("content", new)
    else:
        new = reword_headline(old, rng, page.lang)
        _rewrite_json_ld(parts_a, parts_b, lambda data: _replace_headline(data, old, new))
    removed, added = _differing_span(old, new)
    return Change("title", removed, added, variant)


def _og_title(doc: etree._Element) -> etree._Element | None:
    for meta in doc.iter("meta"):
        if "og:title" in (meta.get("property"), meta.get("name")) and meta.get("content"):
            return meta
    return None


def _headlines(doc: etree._Element, parts: Anatomy) -> dict[str, str]:
    found = {}
    if parts.headline is not None and _longest_slot(parts.headline):
        found["h1"] = normalise(parts.headline.text_content())
    title = doc.find(".//title")
    if title is not None and (title.text or "").strip():
        found["title"] = title.text
    og = _og_title(doc)
    if og is not None:
        found["og:title"] = og.get("content")
    for data in _json_ld(doc):
        headline = _find_headline(data)
        if headline:
            found["json_ld"] = headline
            break
    return found


def _find_headline(data: object) -> str | None:
    if isinstance(data, dict):
        if isinstance(data.get("headline"), str) and data["headline"].strip():
            return data["headline"]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _find_headline(item)
            if found:
                return found
    return None


def _replace_headline(data: object, old: str, new: str) -> bool:
    if isinstance(data, dict):
        if data.get("headline") == old:
            data["headline"] = new
            return True
        data = list(data.values())
    if isinstance(data, list):
        return any(_replace_headline(item, old, new) for item in data)
    return False


def tldr_changed(rng: Random, page: Page, parts_a: Anatomy, parts_b: Anatomy) -> Change:
    """A TL;DR / 要点 box of three bullets at the top of the story, one bullet edited in B."""
    pool = TLDR_EN if page.lang == "en" else TLDR_ZH
    bullets = rng.sample(pool, 3)
    changed = bullets[:]
    slot = rng.randrange(3)
    changed[slot] = reword(bullets[slot], rng, page.lang)
    heading = pick(
        rng,
        page,
        ["TL;DR", "Key points", "The short version", "In brief"],
        ["要点", "太长不看", "划重点", "核心要点"],
        ["Key points 要点"],
    )
    markup = draw_markup(rng, outers=("div", "section", "aside"), layouts=("list",))
    insert = Insert(
        rng.choice(["under_headline", "article_top"]),
        (
            markup.render([esc(b) for b in bullets], esc(heading)),
            markup.render([esc(b) for b in changed], esc(heading)),
        ),
    )
    place(parts_a, insert, 0)
    place(parts_b, insert, 1)
    removed, added = _differing_span(bullets[slot], changed[slot])
    return Change("tldr", removed, added, f"bullet {slot + 1}")


EDITS: dict[str, EditMaker] = {
    "sentence_reworded": sentence_reworded,
    "sentence_added": sentence_added,
    "paragraph_added": paragraph_added,
    "paragraph_removed": paragraph_removed,
    "headline_changed": headline_changed,
    "correction_appended": correction_appended,
    "tldr_changed": tldr_changed,
}
KINDS = (*FURNITURE, *EDITS)


# --- JSON-LD ----------------------------------------------------------------------------


def _json_ld_scripts(doc: etree._Element) -> list[etree._Element]:
    return [s for s in doc.iter("script") if "ld+json" in (s.get("type") or "").lower()]


def _json_ld(doc: etree._Element) -> list[object]:
    found = []
    for script in _json_ld_scripts(doc):
        try:
            found.append(json.loads(script.text or ""))
        except ValueError:
            continue
    return found


def _rewrite_json_ld(parts_a: Anatomy, parts_b: Anatomy, change: Callable[[object], bool]) -> bool:
    """Apply `change` to B's JSON-LD; a changed block is re-serialised the same way in both
    captures, so the two differ only by the change itself."""
    scripts_a = _json_ld_scripts(parts_a.body.getroottree().getroot())
    scripts_b = _json_ld_scripts(parts_b.body.getroottree().getroot())
    for script_a, script_b in zip(scripts_a, scripts_b, strict=True):
        try:
            data_a, data_b = json.loads(script_a.text or ""), json.loads(script_b.text or "")
        except ValueError:
            continue
        if change(data_b):
            script_a.text, script_b.text = _dump(data_a), _dump(data_b)
            return True
    return False


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def _mirror_json_ld(parts_a: Anatomy, parts_b: Anatomy, old: str, new: str) -> bool:
    """A body edit reaches the JSON-LD `articleBody` too, as when a CMS re-renders the page."""
    words = old.split()
    if not words:
        return False
    pattern = re.compile(r"\s+".join(map(re.escape, words)))

    def change(data: object) -> bool:
        if isinstance(data, dict):
            body = data.get("articleBody")
            if isinstance(body, str) and pattern.search(body):
                data["articleBody"] = pattern.sub(lambda _: new, body, count=1)
                return True
            data = list(data.values())
        if isinstance(data, list):
            return any(change(item) for item in data)
        return False

    return _rewrite_json_ld(parts_a, parts_b, change)


# --- pairs ----------------------------------------------------------------------------------


def kind_rng(page: Page, kind: str, draw: int = 0) -> Random:
    """The pair's random choices; another `draw` gives other markup, places and texts from the
    same pools (a draw the extractor was not tuned on)."""
    return Random(f"{page.page_id}:{kind}" + (f":{draw}" if draw else ""))


def make_pair(page: Page, kind: str, draw: int = 0) -> Pair:
    """Captures A and B of `page` for one kind; raises Skip when the page has no place for it.

    Furniture kinds differ only by that furniture. Edit kinds carry one or two pieces of other
    furniture too, different in A and B, since an edit has to be seen through the noise."""
    if kind in EDITS and page.lang == "en" and not is_english_prose(page.truth or ""):
        raise Skip("the page is not English prose")  # its text is in no English field
    rng = kind_rng(page, kind, draw)
    doc_a, doc_b = parse(page.html), parse(page.html)
    parts_a, parts_b = anatomy(doc_a, page), anatomy(doc_b, page)
    if kind in FURNITURE:
        inserts, edit = [FURNITURE[kind](rng, page)], None
    else:
        noise = rng.sample(sorted(FURNITURE), rng.randint(1, 2))
        inserts, edit = [FURNITURE[name](rng, page) for name in noise], EDITS[kind]
    for insert in inserts:
        place(parts_a, insert, 0)
        place(parts_b, insert, 1)
    detail: dict = {}
    expected = None
    if edit is not None:
        change = edit(rng, page, parts_a, parts_b)
        expected = f"{change.field}_{page.lang}"
        detail = {
            "where": change.where,
            "removed": change.removed,
            "added": change.added,
            "noise": noise,
        }
    a, b = serialise(doc_a), serialise(doc_b)
    return Pair(page.page_id, kind, page.url, page.captured_at, a, b, expected, detail)


def readable_strings(raw: bytes) -> str:
    """Every string a reader or a metadata parser can get from a capture: the text of the
    page (scripts and styles excluded), meta contents and JSON-LD string values."""
    doc = parse(raw.decode("utf-8"))
    strings = [meta.get("content") or "" for meta in doc.iter("meta")]
    for data in _json_ld(doc):
        strings += _strings(data)
    for element in doc.iter("script", "style"):
        element.text = ""
    strings.append(doc.text_content())
    return "\n".join(strings)


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []
