"""The readable article text, as paragraphs, with page furniture and live noise left out.

Generic noise (trending boxes, share buttons, view counters, bylines with "2h ago") is cut
from the tree before trafilatura picks the main text; what trafilatura keeps is then sorted
line by line (`split_furniture`): lines that are only times, counts, calls to action or credits
are furniture, whatever their markup (archive/extract/furniture.py).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import lru_cache

from lxml import etree
from trafilatura.core import bare_extraction
from trafilatura.settings import Extractor, use_config
from trafilatura.utils import sanitize_tree
from trafilatura.xml import (
    delete_element,
    keeps_empty,
    remove_empty_elements,
    strip_double_tags,
)

from . import furniture
from .class_words import holds_word
from .dates import RELATIVE_TIME, may_hold_relative_time
from .rules import select

# Words in a class or id that mark a block as furniture rather than article text.
NOISE_WORDS = {
    "trending", "popular", "mostread", "share", "sharing", "social", "views", "viewcount",
    "comments", "comment", "ago", "breadcrumb", "breadcrumbs", "related", "newsletter",
    "byline", "dateline", "timestamp", "pagination", "advert", "advertisement", "sponsored",
    "disclaimer",
}  # fmt: skip
_names_noise = holds_word(NOISE_WORDS)
_NEVER_NOISE = ("html", "body", "main", "article")  # the page itself, whatever its class
_COUNTER = re.compile(
    r"^[\d,.\s]+(?:[kKmMwW万])?\s*(?:views?|reads?|comments?|likes?|shares?|次?阅读|浏览|评论|点赞|人看过)?$"
)
PROSE_PARAGRAPH = 150  # characters
PROSE_PARAGRAPHS = 3
FAST_MIN_BLOCKS = 3  # fewer blocks from the fast path: run trafilatura's full cascade
_LEFTOVER = re.compile(r"^(?:updated|更新于|发布于|published|posted)?[\s:：·|/]*$", re.I)


def drop_noise(tree, extra_selectors: list[str] | None = None) -> None:
    """Remove furniture in place: navigation-like blocks by class/id words, and `drop` rules.

    A class word is only a hint: "advertisement-off-canvas-pusher" or "article-body
    pagination-first" wrap the whole article, so a block that holds article prose (see
    `holds_prose`) is never dropped on its class alone. `drop` rules are obeyed as written.
    """
    doomed = []
    for el in tree.iter(etree.Element):
        classes, element_id = el.get("class"), el.get("id")
        if classes is None and element_id is None:
            continue
        if _names_noise(f"{classes or ''} {element_id or ''}") and el.tag not in _NEVER_NOISE:
            if not holds_prose(el):
                doomed.append(el)
    for selector in extra_selectors or []:
        doomed.extend(select(tree, selector))
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


# Blocks that hold the article's paragraphs: what sits between their paragraphs is either more
# article or furniture placed inside it (a promo, a counter, a related-links list).
_PARAGRAPH_HOLDERS = etree.XPath("//*[count(p) >= 2]")
LINK_SHARE = 0.7  # a block whose text is mostly link text is a list of teasers


def drop_inline_furniture(tree) -> list[dict[str, str]]:
    """Remove, in place, the blocks between an article's paragraphs that are furniture by what
    they say (a furniture line: furniture.line_role) or by what they are (mostly links: related
    and trending lists), whatever their markup; returns the furniture lines removed.

    trafilatura would merge such a block into a neighbouring paragraph when they share a parent
    without a block boundary (a quote, a figure caption), where no line filter can take it out
    again. Only the children of paragraph holders are read, a few dozen elements a page."""
    found, doomed = [], []
    for holder in _PARAGRAPH_HOLDERS(tree):
        for child in holder.iterchildren(etree.Element):
            text = " ".join(child.text_content().split())
            if not text or len(text) > furniture.MAX_LINE * 3:
                continue
            role = furniture.line_role(text) if len(text) <= furniture.MAX_LINE else None
            if role is None and child.tag != "p" and _mostly_links(child, text):
                role = "links"
            if role is None and len(text) <= 2 * furniture.MAX_LINE and _asks_for_action(child):
                role = furniture.PROMO
            if role is not None:
                found.append({"role": role, "text": text})
                doomed.append(child)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return [line for line in found if line["role"] != "links"]


def _asks_for_action(el) -> bool:
    """A short block with a button or a form, or a link whose own text is a call to action
    ('Subscribe', 'Sign up'): a promo, whatever its text says. Article text has no buttons."""
    if next(el.iter("button", "form", "input", "select"), None) is not None:
        return True
    if el.tag == "p":
        return False  # a paragraph ending in "Read more" is still the paragraph
    return any(furniture.line_role(a.text_content()) == furniture.PROMO for a in el.iter("a"))


def _mostly_links(el, text: str) -> bool:
    links = [" ".join(a.text_content().split()) for a in el.iter("a")]
    if len(links) < 2:
        return False
    return sum(len(t) for t in links) >= LINK_SHARE * len(text)


def holds_prose(el) -> bool:
    """Several paragraphs of running text: article content, whatever the block is called.
    Teasers in a "related" or "trending" box are a line or two each, well below this."""
    long_paragraphs = [n for n in el.iter("p") if len(n.text_content()) >= PROSE_PARAGRAPH]
    return len(long_paragraphs) >= PROSE_PARAGRAPHS


# Code and style sheets: never text in any of trafilatura's stages (JSON-LD, which its baseline
# reads an articleBody from, stays). trafilatura copies the tree three or four times per page
# before cleaning them out of each copy; on real pages they are much of the markup.
# AMP's ad elements are ads by definition, whatever their fallback text says.
_CODE = etree.XPath(
    "//script[not(@type='application/ld+json')] | //style"
    " | //amp-ad | //amp-embed | //amp-sticky-ad | //amp-auto-ads"
)


def drop_code(tree) -> None:
    """Remove scripts (JSON-LD aside), style sheets and AMP ad slots in place, keeping the text
    after them."""
    for el in _CODE(tree):
        el.drop_tree()


def main_text(tree, url: str | None = None, dense_script: bool = False) -> list[str]:
    """Paragraphs (and subheadings) of the main text, in page order.

    `dense_script`: the page is mostly Chinese, where a character carries about a word, so
    trafilatura's length thresholds (counted in characters) are scaled down to match.
    """
    # The fast path (trafilatura's own extractor only) is as good as the full cascade on
    # ordinary article pages (article-extraction-benchmark F1 0.965 against 0.962) at about
    # half the cost; its fallback comparison with readability/jusText earns its keep where the
    # main extractor struggles: Chinese pages (on zh-news-gne the fast path keeps navigation
    # on 4 of 62 pages), and pages where it found next to nothing or one undivided block.
    main = None if dense_script else _extracted_main(tree, url, dense_script, fast=True)
    if main is None or len(main) < FAST_MIN_BLOCKS:
        main = _extracted_main(tree, url, dense_script, fast=False)
    if main is None:
        return []
    # Text loose in <main> (trafilatura leaves a paragraph without <p> as the tail of the
    # heading before it) is a paragraph of its own.
    paragraphs = [_squash(main.text)]
    for el in main:
        if el.tag == "head" and is_section_label(_clean(el)):
            pass
        elif el.tag == "list":
            paragraphs.extend(_clean(item) for item in el.iter("item"))
        elif el.tag == "table":
            paragraphs.extend(" | ".join(map(_clean, row)) for row in el.iter("row"))
        else:
            paragraphs.append(_clean(el))
        paragraphs.append(_squash(el.tail))
    return [p for p in paragraphs if p]


def _extracted_main(tree, url: str | None, dense_script: bool, fast: bool):
    """trafilatura's main text as a <main> element of blocks, or None. bare_extraction is what
    trafilatura.extract runs; its XML output step is replayed on the tree (`_as_main`) instead of
    serialising and parsing it again (~0.45 ms a page). bare_extraction copies a
    tree it is handed."""
    options = copy.copy(_options(dense_script, fast))
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")  # as Extractor does
    document = bare_extraction(tree, options=options)
    return None if document is None else _as_main(document.body)


def _as_main(body):
    """What trafilatura's XML output does to the extracted body (determine_returnstring and
    control_xml_output), without serialising the tree and parsing it back: drop empty elements,
    merge doubled tags, clean the text, NFC."""
    for element in body.iter("*"):
        if len(element) == 0 and not element.text and not element.tail and not keeps_empty(element):
            delete_element(element, keep_tail=False)
    strip_double_tags(body)
    remove_empty_elements(body)
    sanitize_tree(body)
    for element in body.iter("*"):
        if element.text:
            element.text = unicodedata.normalize("NFC", element.text)
        if element.tail:
            element.tail = unicodedata.normalize("NFC", element.tail)
        _space_children(element)
    body.tag = "main"
    return body


def _space_children(element) -> None:
    """Children holding all the text of their parent are separate blocks: pretty-printed XML
    puts a line break between them (lxml indents an element without mixed content), so their
    words never run together."""
    if len(element) == 0 or (element.text and element.text.strip()):
        return
    if any(child.tail and child.tail.strip() for child in element):
        return
    element.text = "\n"
    for child in element:
        child.tail = "\n"


@lru_cache(maxsize=4)
def _options(dense_script: bool, fast: bool) -> Extractor:
    """Built once: reading the settings into an Extractor costs more than copying one."""
    return Extractor(
        config=_config(dense_script),
        output_format="xml",
        fast=fast,
        comments=False,
        tables=True,  # tables in the prose are content; key-data tables are gone by now
        images=False,
        dedup=False,
    )


@lru_cache(maxsize=2)
def _config(dense_script: bool):
    config = use_config()
    if dense_script:
        for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE"):
            value = config.getint("DEFAULT", key)
            config.set("DEFAULT", key, str(max(1, value // 3)))
    return config


def body_from_selectors(tree, selectors: list[str]) -> list[str]:
    """A profile's `body` rule: every matched element is one paragraph."""
    paragraphs = [_clean(el) for sel in selectors for el in select(tree, sel)]
    return [p for p in paragraphs if p]


def _clean(el) -> str:
    """Text of an element on one line; a line break (<lb/>) separates words, as it shows."""
    for lb in el.iter("lb"):
        lb.tail = " " + (lb.tail or "")
    return _squash("".join(el.itertext()))


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def is_section_label(heading: str) -> bool:
    """'Deep Analysis', '深度解读': a block's label, not a subheading that carries content."""
    return len(heading.split()) <= 2 and len(heading) <= 24


def split_furniture(lines: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    """(content lines, furniture) of the main text: every line whose words make it furniture
    (furniture.line_role) leaves the content, kept with its role so nothing is silently lost."""
    content, found = [], []
    for line in lines:
        role = furniture.line_role(line) or ("metric" if is_noise(line) else None)
        if role is None:
            content.append(line)
        else:
            found.append({"role": role, "text": line})
    return content, found


def is_noise(line: str) -> bool:
    """A line that is only a counter, a relative time or an empty 'Updated' label."""
    if _COUNTER.match(line):
        return True
    if not may_hold_relative_time(line):
        return False
    stripped = RELATIVE_TIME.sub(" ", line)
    return stripped != line and bool(_LEFTOVER.match(stripped.strip()))
