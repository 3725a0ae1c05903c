"""Values that move by themselves, taken out of the text that fingerprints compare.

A furniture line can reach the content merged into a paragraph (markup without block
boundaries: text in one <div> with <br>s, a byline run into the lede), where no line filter
(furniture.py) can take it out again. The fingerprints that decide versions then leave out the
values that move by themselves, wherever they stand: relative times with their label and
byline, a label with its date, machine timestamps, the copyright year, credits, and counts or
scores with their label. The record keeps the text as shown.
"""

from __future__ import annotations

import re

from .dates import RELATIVE_TIME, may_hold_relative_time

_LABEL = (
    r"(?:(?:last\s+)?(?:updated|published|posted|modified)\s*(?:on|at)?\s*[:：]?\s*"
    r"|(?:更新|发布|发表)(?:于|时间)?\s*[:：]?\s*)"
)
_LIVE_RELATIVE = re.compile(
    r"(?:(?:\b|(?<=[a-z])(?=B))[Bb][Yy]\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}"
    r"\s*[·|•,–—/-]?\s*)?"
    rf"{_LABEL}?"
    rf"(?:{RELATIVE_TIME.pattern}"
    r"|(?:\byesterday\b|\btoday\b|昨天|今天|前天)(?:\s*(?:at\s*)?\d{1,2}:\d{2})?)",
    re.I,
)
# a time shown with its label ("Updated Nov. 21, 2026 9:12", "更新于 2026/11/22 04:51")
_LIVE_DATED = re.compile(
    _LABEL + r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
    r"(?:\s*(?:at\s*)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[ap]\.?m\.?)?)?",
    re.I,
)
_LIVE_COPYRIGHT = re.compile(r"©\s*(?:\d{4}\s*[-–]\s*)?\d{4}")
_LIVE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
# a credit run into the text ("Source: Tech Desk", "责任编辑：王磊")
_LIVE_CREDIT = re.compile(
    r"(?:\bsource|\beditor|责任编辑|编辑|来源)\s*[:：]\s*"
    r"(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?|[a-z]+(?:\s+[a-z]+)?|[\u4e00-\u9fff]{1,8})",
    re.I,
)
_COUNT_WORDS = (
    r"views?|reads?|readers|comments?|replies|likes?|shares?|reactions|claps|votes|watching"
    r"|viewers|人看过|人参与|人在看|次阅读|次浏览|阅读量?|浏览量?|评论|跟帖|点?赞|分享|转发|收藏|在看"
)
_SCORE_WORDS = r"hot|quality|impact|score|rating|热度|质量|影响力?|人气|评分|得分|指数"
_ICONS = "\u2190-\u21ff\u2600-\u27bf\U0001f300-\U0001faff"
_COUNT_VALUE = r"\d[\d,.]*(?![\d,.]*\s*[年月日号点时])\s*(?:[kmw万亿](?![a-z]))?\+?"
# Run on the lower-cased text (see _COUNT_HINT); the spans it finds are cut from the text.
_LIVE_COUNT = re.compile(
    rf"\d[\d,.]*\s*(?:[kmw万亿](?![a-z]))?\+?\s*人?\s*次?\s*(?:{_COUNT_WORDS}|评价)\b"
    rf"|\b(?:{_COUNT_WORDS}|{_SCORE_WORDS})(?:数|量|值)?\s*[:：(（]?\s*{_COUNT_VALUE}[)）]?"
    # a count behind an icon: "👍 1,118", "↗ 144", "💬 23"
    rf"|[{_ICONS}]\ufe0f?\s*\d[\d,.]*\s*(?:[kmw万亿](?![a-z]))?"
)
# Each mask runs only on text holding one of its words (most paragraphs hold none). The words
# are looked for in the lower-cased text without re.I, since Python's regular expressions skip
# ahead by a pattern's first characters only when case is significant.
_COUNT_HINT = re.compile(f"{_COUNT_WORDS}|{_SCORE_WORDS}|评价|[{_ICONS}]")
_DATED_HINT = re.compile(r"updated|published|posted|modified|更新|发布|发表")
_CREDIT_HINT = re.compile(r"source|editor|来源|编辑")
_DAY_HINT = re.compile(r"yesterday|today|昨天|今天|前天")
_DIGIT = re.compile(r"\d")
_AFTER_MASK = re.compile(r"^[\s·|•,–—-]+|(?<=\s)[·|•,–—-]+(?=\s)|[\s·|•,–—-]+$")


def _cut(pattern: re.Pattern, text: str) -> str:
    """`text` without the spans `pattern` finds in it lower-cased (where lower-casing keeps
    every position, as it does for all but a few letters; else nothing is cut)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return text
    pieces, start = [], 0
    for m in pattern.finditer(lowered):
        pieces.append(text[start : m.start()])
        start = m.end()
    return " ".join([*pieces, text[start:]]) if pieces else text


def without_live_values(text: str) -> str:
    """The text with relative times and counts taken out (for fingerprints only)."""
    masked, lowered = text, text.lower()
    if may_hold_relative_time(text) or _DAY_HINT.search(lowered):
        masked = _LIVE_RELATIVE.sub(" ", masked)
    if _DATED_HINT.search(lowered):
        masked = _LIVE_DATED.sub(" ", masked)
    if "©" in text:
        masked = _LIVE_COPYRIGHT.sub(" ", masked)
    if "T" in text:
        masked = _LIVE_ISO.sub(" ", masked)  # a machine timestamp shown as it is
    if _CREDIT_HINT.search(lowered):
        masked = _LIVE_CREDIT.sub(" ", masked)
    if _DIGIT.search(text) and _COUNT_HINT.search(lowered):
        masked = _cut(_LIVE_COUNT, masked)
    if masked == text:
        return text
    return " ".join(_AFTER_MASK.sub(" ", " ".join(masked.split())).split())
