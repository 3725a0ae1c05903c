"""Page blocks that become structured fields, not body text: TL;DR, FAQ, key data, scores.

A block is recognised generically by its class or its heading ("TL;DR", "Key points 要点",
"FAQ 常见问题", "Key Data"); a site profile can name it with a CSS selector instead. Every
element used here is detached from the tree afterwards, so it never reaches the body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import html as lxml_html

from .language import detect_language
from .rules import select

_TLDR = re.compile(
    r"tl;?dr|key ?points|key takeaways|takeaways|highlights|in brief|at a glance|the gist"
    r"|要点|摘要|太长不看|划重点|速览|一图读懂",
    re.I,
)
_FAQ = re.compile(r"\bfaq\b|frequently asked|常见问题|问答", re.I)
_KEY_DATA = re.compile(r"key[ -]?data|key figures|by the numbers|核心数据|关键数据|数据一览", re.I)
_SCORES = re.compile(r"(^|[-_ ])(scores?|ratings?)($|[-_ ])", re.I)
_SCORE_LABELS = {"热度": "hot", "质量": "quality", "影响力": "impact", "重要性": "importance"}
_BLOCKS = ("section", "div", "aside", "ul", "ol", "dl", "table")


def text_of(element) -> str:
    return " ".join(element.text_content().split())


KINDS = ("tldr", "faq", "key_data", "scores")
_PATTERNS = {"tldr": _TLDR, "faq": _FAQ, "key_data": _KEY_DATA}
# Headings say more than class names: a list headed "The short version" or "Summary" is a
# TL;DR, while a class named "summary" is as often a dek.
_TLDR_HEADING = re.compile(
    _TLDR.pattern + r"|short version|in short|quick (?:take|read)|\bsummary\b|核心|概要|一分钟",
    re.I,
)
_HEADING_PATTERNS = {**_PATTERNS, "tldr": _TLDR_HEADING}


def find_blocks(tree, rules: dict[str, list[str]] | None = None) -> dict[str, list]:
    """Elements holding each kind of block ('tldr', 'faq', 'key_data', 'scores'): a kind with
    a profile rule is read from its selectors, the others are recognised in one walk over the
    page's block elements (one walk, not one per kind: on a real page that is most of the cost).
    Within a kind, a block inside an earlier block of that kind is not a block of its own."""
    rules = rules or {}
    found: dict[str, list] = {
        kind: [el for sel in rules[kind] for el in select(tree, sel)]
        for kind in KINDS
        if rules.get(kind)
    }
    generic = [kind for kind in KINDS if kind not in found]
    found.update({kind: [] for kind in generic})
    if not generic:
        return found
    taken: dict[str, set] = {kind: set() for kind in generic}  # the proxies in `found`
    any_taken: set = set()
    for el in tree.iter(_BLOCKS):  # document order: a block comes before anything inside it
        inside = {a for a in el.iterancestors() if a in any_taken} if any_taken else set()
        named = _kinds_named((el.get("class") or "") + " " + (el.get("id") or ""))
        heading = None
        for kind in generic:
            if inside & taken[kind]:
                continue
            if kind == "scores":
                hit = "scores" in named and bool(re.search(r"\d", text_of(el)))
            elif kind in named:
                hit = True
            else:
                heading = _heading(el) if heading is None else heading
                hit = bool(heading) and bool(_HEADING_PATTERNS[kind].search(heading))
            if not hit and kind == "tldr" and el.tag in _LISTS:
                label = _label_of(el)
                if label is not None:
                    found[kind].append(label)  # "划重点：" then the list, loose in the article
                    hit = True
            if hit:
                found[kind].append(el)
                taken[kind].add(el)
                any_taken.add(el)
    return found


@lru_cache(maxsize=16384)
def _kinds_named(classes: str) -> frozenset[str]:
    """The kinds of block a class and id string names. Pages and sites repeat their class names,
    so each distinct string is matched once."""
    words = classes.replace("-", " ")
    named = {kind for kind, pattern in _PATTERNS.items() if pattern.search(words)}
    return frozenset(named | ({"scores"} if _SCORES.search(classes) else set()))


def _label_of(listing):
    """The short line right before a list, when it names a TL;DR ('划重点：', 'Key points:')."""
    label = listing.getprevious()
    while label is not None and not isinstance(label.tag, str):
        label = label.getprevious()
    if label is None or label.tag in _BLOCKS or len(label) > 2:
        return None
    text = text_of(label)
    return label if len(text) <= 40 and _TLDR_HEADING.search(text) else None


def _heading(el) -> str:
    """The block's own heading: its first element when that is a heading (or a short line
    heading a list: templates set headings in a <div> or <p> too), with any other heading among
    its direct children (a bilingual block heads each language's list)."""
    first = next((c for c in el if isinstance(c.tag, str)), None)
    if first is None:
        return ""
    if first.tag not in _HEADING_TAGS:
        # A label and its list, nothing else: "划重点：" before a list inside the article's own
        # container heads the list, not the container.
        rest = [c for c in el if isinstance(c.tag, str) and c is not first]
        if len(first) > 2 or not rest or len(rest) > 3 or any(c.tag not in _LISTS for c in rest):
            return ""
        text = text_of(first)
        return text if len(text) <= 40 else ""
    return " ".join(text_of(c) for c in el if isinstance(c.tag, str) and c.tag in _HEADING_TAGS)


_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "strong")
_LISTS = ("ul", "ol")


def read_tldr(blocks) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"en": [], "zh": []}
    for block in blocks:
        for item in block.iter("li"):
            text = text_of(item)
            if _all_link(item, text):
                continue  # a teaser of another story, not a point of this one
            lang = detect_language(text)
            if text and lang in out and text not in out[lang]:
                out[lang].append(text)
    return out


def _all_link(item, text: str) -> bool:
    links = "".join(text_of(a) for a in item.iter("a"))
    return bool(links) and len(links.replace(" ", "")) >= len(text.replace(" ", ""))


def read_faq(blocks) -> list[dict[str, str]]:
    """Question/answer pairs, EN and ZH of the same entry merged when they follow each other."""
    items: list[tuple[str, str, str]] = []  # (lang, question, answer)
    for block in blocks:
        question = None
        for el in block.iter("dt", "dd", "h3", "h4", "h5", "summary", "p"):
            text = text_of(el)
            if not text or _FAQ.fullmatch(text.split(" ")[0]) or el is block:
                continue
            if el.tag in ("dt", "h4", "h5", "summary") or (
                el.tag == "h3" and not _FAQ.search(text)
            ):
                question = text
            elif question is not None:
                items.append((detect_language(question) or "en", question, text))
                question = None
    entries: list[dict[str, str]] = []
    for lang, question, answer in items:
        lang = "zh" if lang == "zh" else "en"
        if not entries or f"question_{lang}" in entries[-1]:
            entries.append({})
        entries[-1][f"question_{lang}"] = question
        entries[-1][f"answer_{lang}"] = answer
    return entries


def read_key_data(blocks) -> list[list[str]]:
    rows = []
    for block in blocks:
        for row in block.iter("tr"):
            if row.find("th") is not None and row.find("td") is None:
                continue  # a header row names the columns; it is not data
            cells = [text_of(c) for c in row if isinstance(c.tag, str)]
            if any(cells):
                rows.append(cells)
    return rows


def read_scores(blocks) -> dict[str, int]:
    """{"hot": 80, ...} from items like "80 Hot 热度"; the label's first Latin word names it."""
    scores: dict[str, int] = {}
    for block in blocks:
        items = [c for c in block if isinstance(c.tag, str)] or [block]
        for item in items:
            text = text_of(item)
            number = re.search(r"\d+(?:\.\d+)?", text)
            label = re.sub(r"\d+(?:\.\d+)?", " ", text).strip()
            name = _score_name(label)
            if number and name:
                value = float(number.group())
                scores[name] = int(value) if value.is_integer() else value
    return scores


def _score_name(label: str) -> str:
    if word := re.search(r"[A-Za-z][A-Za-z ]*", label):
        return "_".join(word.group().lower().split())
    return next((name for zh, name in _SCORE_LABELS.items() if zh in label), "")


def detach(elements) -> None:
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree() if isinstance(el, lxml_html.HtmlElement) else parent.remove(el)
