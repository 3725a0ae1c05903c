"""Page furniture told from content by what a line says, whatever its markup.

Class names are a site's private vocabulary; the words of a furniture line are not. A line that
is only times, counts and the labels around them ("Updated 3h ago · 更新于 3小时前",
"1,234 views · 56 comments", "Hot 热度 88", "阅读 5.2万"), a call to action ("Sign up for
our newsletter", "下载APP，阅读更多精彩内容") or a credit ("© 2026 Example Media", "责任编辑：张三")
says nothing about the story, and it is exactly what moves between two captures of an unchanged
page.

`line_role` reads one line: it strips what a furniture line is made of (time expressions,
numbers, a lexicon of labels, a byline's name, separators) and looks at what is left. A line
with a time or a number and next to nothing else is furniture; anything with the shape of a
sentence is content, however short. Only short lines are read at all: no article paragraph is
ever judged by this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .dates import RELATIVE_TIME

TIME, METRIC, PROMO, CREDIT, LABEL = "time", "metric", "promo", "credit", "label"

MAX_LINE = 160  # characters: longer lines are content, whatever words they hold
MAX_HAN = 48  # Han characters: likewise for Chinese lines
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# -- times ---------------------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?"
_TIMES = re.compile(
    "|".join(
        (
            RELATIVE_TIME.pattern,
            r"\b(?:yesterday|today|tonight|last (?:week|month|year)|this (?:morning|week))\b",
            # "2h", "1d", "45 min": a byline's compact age
            r"(?<![\w.])\d{1,3}\s?(?:s|m|mins?|h|hrs?|d|w|wk|mo|y|yr)(?![\w])",
            r"昨天|今天|前天|今日|昨日|刚刚|刚才|上午|下午|凌晨|晚间|早间|周[一二三四五六日天]|星期[一二三四五六日天]",
            # 2026-11-21, 2026/11/21 09:12:30, 2026年11月21日 09:12, 11月21日, 11-21 09:12
            # 2026-11-20T10:50:00Z, the machine form some templates show as it is
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
            r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?",
            r"(?<![\d.])\d{1,2}\s*[-/]\s*\d{1,2}(?![\d.])|\d{1,2}\s*月\s*\d{1,2}\s*日?",
            # Nov. 21, 2026 / 21 November 2026 / November 2026
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?\b",
            rf"\b{_MONTH}\s+\d{{4}}\b",
            rf"\b{_WEEKDAY}(?=[\s,]|$)",
            # 09:12, 9:12:30 a.m., 9 pm, 10:32 ET
            r"\b\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*(?:[ap]\.?m\.?)?",
            r"\b\d{1,2}\s*[ap]\.?m\.?(?!\w)",
            r"\d{1,2}\s*[点时]\s*\d{0,2}\s*分?",
            r"\b(?:gmt|utc|[ecmp][sd]?t|bst|cet|cest|hkt|sgt|jst|kst)(?:\s*[+-]\s*\d{1,2})?\b",
            r"北京时间",
        )
    ),
    re.I,
)

# -- numbers: counts, scores, ratings --------------------------------------------------------
_NUMBER = re.compile(
    r"(?<![\w.])[+-]?\d[\d,.\s]*(?:\d)?\s*(?:[kKmMbB]\+?|[万亿千百]\+?|w\+?)?(?:\s*%|\s*/\s*\d+)?"
    r"(?![A-Za-z])|[★☆⭐]+"
)

# -- labels: what sits next to the times and counts of a furniture line -----------------------
_EN_LABELS = frozenset(
    """updated update published posted modified edited last first originally on at by and
    views view viewed reads read reading readers comments comment commented replies reply
    likes like liked shares share shared reactions reaction claps votes vote ratings rating
    rated score scores points point hot heat quality impact importance trending popularity
    popular min mins minute minutes hour hours hr hrs sec secs second seconds day days week
    weeks watching watchers viewers followers follower subscribers retweets tweets saves saved
    bookmarks downloads plays listens listen words word time date est estimated approx
    about of total live now ago new updates update ranked rank no
    am pm a.m p.m edt est pdt pst cst cdt gmt utc bst""".split()
)
_ZH_LABELS = sorted(
    """更新于 更新时间 最后更新 更新 发布于 发布时间 发布 发表于 发表 时间 日期 来源 阅读量 阅读数
    阅读 浏览量 浏览 条评论 评论数 评论 跟帖 人参与 参与 点赞数 点赞 赞 分享 转发 收藏 在看 热度
    质量 影响力 重要性 人气 人看过 观看 播放 次 人 条 篇 万 亿 约 字 分钟 预计 阅读时间 作者 记者
    编辑 责任编辑 撰文 北京时间 直播 正在 实时 新 排名 第 名 位 分 于 评分 人评价 评价 影响 热度值
    得分 指数 分数 星 数 量 值""".split(),
    key=len,
    reverse=True,
)
_ZH_LABEL = re.compile("|".join(map(re.escape, _ZH_LABELS)))
_BYLINE = re.compile(
    r"\b[Bb]y\s+(?:[A-Z][\w'’.-]*\s*(?:and\s+)?){1,4}"
    r"|(?:作者|记者|编辑|撰文|文|图|来源)\s*[:：|/]?\s*[\u4e00-\u9fff·]{2,4}"
)
_SENTENCE_END = frozenset("。！？.!?")
_TIME_LABELS_ONLY = re.compile(
    r"(?:\s*(?:(?:last\s+)?(?:updated|modified|edited)|posted|published|first published"
    r"|(?:更新|发布|发表|修改)(?:于|时间)?|时间|日期)\s*(?:on|at)?\s*[:：·|/]?\s*)+",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*|[\u3400-\u9fff]+")

# -- calls to action and credits ---------------------------------------------------------------
_PROMO_START = re.compile(
    r"^(?:sign\s*(?:up|in)\b|log\s*in\b|subscribe\b|register\b|join (?:us|now|today|our|the)\b"
    r"|download (?:our|the|now)\b|get (?:our|the) (?:app|newsletter)|follow us\b"
    r"|share (?:this|on|via)\b|read (?:more|next|the full|full)\b|continue reading\b"
    r"|click (?:here|to)\b|tap (?:here|to)\b|listen to this\b|watch (?:now|more|the video)\b"
    r"|learn more\b|find out more\b|(?:sponsored|advertisement|promoted|partner content)\b"
    r"|(?:广告|推广|赞助)\s|enjoy(?:ed|ing)? (?:this|the) (?:story|article)|support (?:our|us)\b"
    r"|start (?:your |a )?(?:free )?trial|try (?:it )?(?:for )?free"
    r"|become an? (?:member|subscriber)"
    r"|support (?:our|us|independent)\b|don'?t miss\b|never miss\b|already a subscriber"
    r"|have a (?:news )?tip|got a tip|unlock\b|upgrade (?:now|to)\b|story continues below"
    r"|(?:related|recommended|see also|also read|more from|more on this|editor'?s picks?"
    r"|most (?:read|popular|viewed|shared)|trending(?: now)?|popular (?:now|posts|stories)"
    r"|延伸阅读|相关阅读|推荐阅读|相关新闻|相关链接|相关报道|猜你喜欢|阅读更多)"
    r"\s*[:：])",
    re.I,
)
_PROMO_LABEL = re.compile(
    r"^(?:advertisement|advert|ad|ads|sponsored(?: content)?|promoted|partner content"
    r"|related(?: (?:stories|articles|posts|news|coverage|content|reading))?"
    r"|recommended(?: for you)?"
    r"|see also|also read|more stories|more news|you may also like|read next|up next|what'?s next"
    r"|trending(?: now| stories)?|most (?:read|popular|viewed|shared)|popular(?: now| posts)?"
    r"|editor'?s picks?|top stories|latest news|share|share this(?: article| story)?|comments?"
    r"|广告|推广|赞助|相关(?:阅读|推荐|文章|新闻|报道|链接)?|推荐阅读|延伸阅读|猜你喜欢|热门(?:文章|推荐|新闻)?"
    r"|热点排行|排行榜|精彩推荐|大家都在看|分享到?|登录|注册|登录\s*[|/]?\s*注册|返回顶部|上一篇|下一篇"
    r"|join(?: now| us)?|订阅|关注|下载|赞助内容|广告内容|contribute|donate|get tickets|play"
    r"|register(?: now)?|buy now|shop now|了解详情|立即报名|报名|打开|查看详情)$",
    re.I,
)
_PROMO_ANYWHERE = re.compile(
    r"newsletter|in your inbox|app store|google play|free trial|\bsubscribe\b.*\b(?:you|your|our)\b"
    r"|\b(?:you|your|our)\b.*\bsubscribe\b|下载\s*(?:app|客户端)|打开\s*(?:app|客户端)|扫码|扫描二维码"
    r"|关注(?:我们|公众号|微信|官方)|点击(?:关注|订阅|下载|查看|阅读|进入)|阅读原文|阅读全文|长按识别"
    r"|更多精彩|立即(?:下载|订阅|注册|登录|购买|体验|报名)|免费试用|开通会员|加入会员|订阅(?:我们|本刊|频道)"
    r"|\b(?:sign|log) in to\b|independent journalism|make a (?:contribution|donation)"
    r"|注册即送|注册领取|快捷登录|请登录|登录后(?:查看|阅读|评论|参与|领取)"
    r"|^【(?:活动|广告|推广|赞助)】|报名开启|名额有限",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|all rights reserved|版权(?:所有|声明)|未经(?:授权|许可)"
    r"|本文(?:来源|转载|系|为)|来源\s*[:：]|source\s*[:：]|责任编辑|编辑\s*[:：]|原标题\s*[:：]"
    r"|图片来源|图\s*[:：]|photo(?: credit)?\s*[:：]|image(?: credit)?\s*[:：]|credit\s*[:：]"
    r"|editor\s*[:：]|(?:edited|reporting|additional reporting|photo|photos) by\b"
    r"|主办单位|承办单位|运行维护|网站标识码|[京沪粤浙苏]?ICP[备证]|公网安备"
    r"|(?:getty images|ap photo|afp|reuters|xinhua)\b)"
    r"|all rights reserved|版权所有|©|免责声明|本文仅代表作者|do not necessarily reflect",
    re.I,
)


@lru_cache(maxsize=16384)
def line_role(text: str) -> str | None:
    """TIME, METRIC, PROMO, CREDIT or LABEL (a breadcrumb, a kicker) for a furniture line; None
    for content.

    Memoised: a site repeats its furniture on every page, and a page asks about a line more
    than once (body, summary and title candidates)."""
    line = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if not line or len(line) > MAX_LINE or len(_HAN.findall(line)) > MAX_HAN:
        return None
    if _PROMO_LABEL.match(line.rstrip(" :：»›>…")) or _PROMO_START.match(line):
        return PROMO
    if _PROMO_ANYWHERE.search(line) and _few_words(line, 24):
        return PROMO
    if _CREDIT.search(line) and _few_words(line, 20):
        return CREDIT
    if _TIME_LABELS_ONLY.fullmatch(line):
        return TIME  # the label of a time shown elsewhere ("Posted", "发布于")
    if _is_trail(line) or _LONE_WORD.fullmatch(line):
        return LABEL
    if _ADDRESS.fullmatch(line):
        return CREDIT  # a bare URL or e-mail address: a link's target, or a contact
    return _counted_line(line) or _furniture_segments(line)


_SEGMENT_SEPARATORS = re.compile(r"\s*[|·•｜]\s*|\s{2,}|　")


def _furniture_segments(line: str) -> str | None:
    """A line of several furniture pieces side by side ('发布于 | 来源：界面新闻', a menu):
    furniture when every piece is furniture of its own."""
    parts = [p for p in _SEGMENT_SEPARATORS.split(line) if p]
    spaced = False
    if len(parts) < 2 and _HAN.search(line):
        # Chinese lines set their pieces apart with a space ('发布于 来源：界面新闻'); a space
        # also sits around every Latin word of a sentence, so lone words prove nothing here.
        parts, spaced = [p for p in line.split() if p], True
    if len(parts) < 2:
        return None
    roles = [line_role(p) for p in parts]
    if not all(roles) or (spaced and LABEL in roles):
        return None
    return TIME if TIME in roles else roles[0]


# One word alone on a line, a menu's or a box's label ("Categorias", "Share", "相关"): no
# sentence, so never an edit's place.
_LONE_WORD = re.compile(r"[A-Za-zÀ-ÿ]{1,24}|[\u4e00-\u9fff]{1,4}")
_TRAIL_SEPARATORS = re.compile(r"\s+[·›>»/|]\s+")
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,30}", re.I)


def _is_trail(line: str) -> bool:
    """A breadcrumb or a kicker: 'Home › Tech › AI', 'Chips · 芯片', a few names in a row."""
    parts = _TRAIL_SEPARATORS.split(line)
    if len(parts) < 2 or len(line) > 48 or any(c.isdigit() for c in line):
        return False
    return all(
        (len(_HAN.findall(p)) <= 4 if _HAN.search(p) else len(p.split()) <= 2) for p in parts
    )


def _few_words(line: str, limit: int) -> bool:
    return len(line.split()) <= limit and len(_HAN.findall(line)) <= limit * 2


def _counted_line(line: str) -> str | None:
    """TIME or METRIC when the line is times or counts with only labels and a name beside."""
    rest, times = _TIMES.subn(" ", line)
    rest, numbers = _NUMBER.subn(" ", rest)
    if not times and not numbers:
        # The label of a time shown elsewhere ("Posted", "Last updated", "发布于"): the time
        # itself was another element.
        return TIME if _TIME_LABELS_ONLY.fullmatch(line) else None
    rest = _BYLINE.sub(" ", _ADDRESS.sub(" ", rest))
    rest = _ZH_LABEL.sub(" ", rest)
    words = [w for w in _WORD.findall(rest) if w.lower().strip(".'’-") not in _EN_LABELS]
    if times:
        # What may stand beside a time: a name (the author's, the site's), nothing that reads
        # as a sentence. Proper nouns are capitalised; a sentence has lower-case words.
        latin = [w for w in words if not _HAN.match(w)]
        han = sum(len(w) for w in words if _HAN.match(w))
        sentence = line[-1] in _SENTENCE_END and len(latin) + han > 2
        if len(latin) <= 3 and all(w[0].isupper() for w in latin) and han <= 6 and not sentence:
            return TIME
        return None
    # Counts alone: at most one unknown label beside them, a name ("Buzz 72", "人气 88"), never
    # a lower-case word ("5 new models" is a subheading).
    if not words:
        return METRIC
    if len(words) == 1 and len(line) <= 32:
        word = words[0]
        if (_HAN.match(word) and len(word) <= 4) or (word[0].isupper() and len(word) <= 12):
            return METRIC
    return None


_METRIC_PAIR = re.compile(
    r"(?P<label>[A-Za-z][A-Za-z ]{1,20}?|[\u4e00-\u9fff]{1,5})\s*[:：]?\s*(?P<value>\d[\d,.]*)"
    r"\s*(?P<unit>[万亿]|[kKmMw](?![A-Za-z]))?"
    r"|(?P<value2>\d[\d,.]*)\s*(?P<unit2>[万亿]|[kKmMw](?![A-Za-z]))?\s*(?P<label2>[A-Za-z][A-Za-z]{1,20}|[\u4e00-\u9fff]{1,5})"
)
_ZH_METRIC_NAMES = {
    "阅读": "reads", "阅读量": "reads", "浏览": "views", "浏览量": "views", "评论": "comments",
    "条评论": "comments", "跟帖": "comments", "参与": "participants", "人参与": "participants",
    "点赞": "likes", "赞": "likes", "分享": "shares", "转发": "shares", "收藏": "saves",
    "在看": "watching", "热度": "hot", "质量": "quality", "影响力": "impact",
    "重要性": "importance", "人气": "popularity", "观看": "views", "播放": "plays",
}  # fmt: skip
_UNITS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "万": 1e4, "w": 1e4, "亿": 1e8}


def read_metrics(line: str) -> dict[str, int | float]:
    """{"views": 1234, "comments": 56} from a METRIC line, for the scores time series. Labels
    are named by their first English word, or by the Chinese label's meaning; a pair whose label
    has no name is left out (the line itself is still furniture)."""
    found: dict[str, int | float] = {}
    for m in _METRIC_PAIR.finditer(unicodedata.normalize("NFKC", line)):
        label = (m.group("label") or m.group("label2") or "").strip()
        raw = (m.group("value") or m.group("value2") or "").replace(",", "").rstrip(".")
        unit = m.group("unit") or m.group("unit2")
        name = _metric_name(label)
        if not name or not raw:
            continue
        try:
            value = float(raw) * _UNITS.get(unit or "", 1)
        except ValueError:
            continue
        found.setdefault(name, int(value) if value.is_integer() else value)
    return found


_EN_METRIC_NAMES = frozenset(
    """views reads readers comments replies likes shares reactions claps votes ratings rating
    score points hot quality impact importance popularity watching viewers followers
    subscribers retweets saves bookmarks downloads plays listens""".split()
)


def _metric_name(label: str) -> str:
    if _HAN.match(label):
        return next((n for zh, n in _ZH_METRIC_NAMES.items() if zh in label), "")
    words = label.lower().split()
    if not words:
        return ""
    word = {
        "view": "views",
        "comment": "comments",
        "like": "likes",
        "share": "shares",
        "vote": "votes",
        "reply": "replies",
        "read": "reads",
    }.get(words[0], words[0])
    return word if word in _EN_METRIC_NAMES else ""
