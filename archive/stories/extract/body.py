"""The readable article text, as paragraphs, with page furniture and live noise left out.

Generic noise (trending boxes, share buttons, view counters, bylines with "2h ago") is cut
from the tree before trafilatura picks the main text; what trafilatura keeps is then sorted
line by line (`split_furniture`): lines that are only times, counts, calls to action or credits
are furniture, whatever their markup (archive/stories/extract/furniture.py).
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
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
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


# Lists of teasers anywhere on the page: a list of three or more items, or a block with three
# or more links among its children or grandchildren (related, trending, "more from" boxes).
_LINK_LISTS = etree.XPath(
    "//body//ul[count(li) >= 3] | //body//ol[count(li) >= 3]"
    " | //body//*[count(a) >= 3] | //body//*[count(*/a) >= 3]"
)


def drop_link_lists(tree) -> None:
    """Remove, in place, the blocks whose text is mostly link text (teasers of other stories,
    menus), wherever they are: trafilatura keeps such a list when it sits inside the article's
    container, and a related list reshuffled per request then moves the body. A block that
    holds prose is kept, whatever its links."""
    doomed = []
    for el in _LINK_LISTS(tree):
        if el.tag in _NEVER_NOISE or el.tag == "p":
            continue
        text = " ".join(el.text_content().split())
        if text and _mostly_links(el, text) and not holds_prose(el):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _asks_for_action(el) -> bool:
    """A short block with a button or a form, or a link whose own text is a call to action
    ('Subscribe', 'Sign up'): a promo, whatever its text says. Article text has no buttons."""
    if next(el.iter("button", "form", "input", "select"), None) is not None:
        return True
    links = list(el.iter("a"))
    if el.tag == "p":
        # A paragraph is a promo only when it ends with its call to action ("... Subscribe");
        # one with a "Read more" link inside its prose is still the paragraph.
        last = links[-1] if links else None
        return (
            last is not None
            and not (last.tail or "").strip()
            and last.getparent() is el
            and furniture.line_role(last.text_content()) == furniture.PROMO
            and len(_text(el)) <= furniture.MAX_LINE
        )
    return any(furniture.line_role(a.text_content()) == furniture.PROMO for a in links)


def _text(el) -> str:
    return " ".join(el.text_content().split())


def _mostly_links(el, text: str) -> bool:
    """Mostly link text, and not a line of prose besides: a container whose navigation
    dwarfs the article in it is still the article's container."""
    links = [" ".join(a.text_content().split()) for a in el.iter("a")]
    if len(links) < 2:
        return False
    linked = sum(len(t) for t in links)
    # Ranks and counts beside the links ("1. <a>…</a> 18.1万") are not text of their own.
    unlinked = len(_NOT_WORDS.sub("", text)) - len(_NOT_WORDS.sub("", "".join(links)))
    return linked >= LINK_SHARE * (linked + max(0, unlinked)) and unlinked < PROSE_PARAGRAPH


_NOT_WORDS = re.compile(r"[\d\W_万千亿]+")


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
    paragraphs = [p for p in _blocks(main) if p]
    if _undivided(paragraphs):
        return text_blocks(tree) or paragraphs
    return with_continuations(tree, paragraphs)


_PARAGRAPH_STARTING = etree.XPath("(//body//p[starts-with(normalize-space(.), $start)])[1]")
_SAME_CONTAINERS = etree.XPath("//body//*[local-name() = $tag][@class = $cls]")
CONTINUATION_START = 60  # characters of a paragraph that find it in the page


def with_continuations(tree, paragraphs: list[str]) -> list[str]:
    """The paragraphs, with those of the article's continuation blocks that trafilatura left
    out: templates cut a long story into several containers of one class between ad slots
    (`div.article__body` three times), and trafilatura keeps only the first. Found from the
    container of the first long paragraph it kept; other content is never added."""
    first = next((p for p in paragraphs if len(p) >= PROSE_PARAGRAPH), None)
    if first is None:
        return paragraphs
    try:
        found = _PARAGRAPH_STARTING(tree, start=first[:CONTINUATION_START])
    except ValueError:  # lxml refuses control characters in an XPath value
        return paragraphs
    container = found[0].getparent() if found else None
    cls = container.get("class") if container is not None else None
    if not cls:
        return paragraphs
    containers = _SAME_CONTAINERS(tree, tag=container.tag, cls=cls)
    if len(containers) < 2:
        return paragraphs
    known, before, after = set(paragraphs), [], []
    side = before
    for block in containers:
        if block is container:
            side = after
            continue
        for p in block.iterchildren("p"):
            text = _squash(p.text_content())
            if text and text not in known:
                known.add(text)
                side.append(text)
    return before + paragraphs + after


def _blocks(container) -> list[str]:
    """The text of trafilatura's blocks in order; a quote holding paragraphs of its own (a
    page whose story sits in a <blockquote>) gives them one by one."""
    paragraphs = [_squash(container.text)]
    for el in container:
        if el.tag == "head" and is_section_label(_clean(el)):
            pass
        elif el.tag == "list":
            paragraphs.extend(_clean(item) for item in el.iter("item"))
        elif el.tag == "table":
            paragraphs.extend(" | ".join(map(_clean, row)) for row in el.iter("row"))
        elif el.tag == "quote" and any(c.tag in _QUOTED_BLOCKS for c in el):
            paragraphs.extend(_blocks(el))
        else:
            paragraphs.extend(_lines(el))
        paragraphs.append(_squash(el.tail))
    return paragraphs


_QUOTED_BLOCKS = {"p", "list", "head", "quote", "table"}
LONG_BLOCK = 300  # characters: a block this long made of <br>-separated lines is paragraphs
UNDIVIDED = 1500  # characters in one block with no structure: an extractor's fallback dump
TOO_LITTLE = 120  # characters of main text: the extractor found next to nothing


def _lines(el) -> list[str]:
    """A block's text: one line, or one per <br> when a long block is made of lines (article
    text in one <div> with <br>s between paragraphs, as older CMSs write it)."""
    if el.find(".//lb") is None or len("".join(el.itertext())) < LONG_BLOCK:
        return [_clean(el)]
    for lb in el.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return [_squash(line) for line in "".join(el.itertext()).split("\n")]


def _undivided(paragraphs: list[str]) -> bool:
    """trafilatura found next to nothing but furniture, or one undivided dump of the page."""
    content = [p for p in paragraphs if furniture.line_role(p) is None]
    total = sum(len(p) for p in content)
    return total < TOO_LITTLE or (len(content) == 1 and total > UNDIVIDED)


_BLOCK_TAGS = {"p", "div", "section", "article", "td", "li", "blockquote", "dd", "main", "body",
               "ul", "ol", "table", "tbody", "tr", "form", "header", "footer", "nav", "aside",
               "h1", "h2", "h3", "h4", "h5", "h6", "figure", "center"}  # fmt: skip
_OUTSIDE_TEXT = {"nav", "header", "footer", "aside", "select", "button", "h1"}
MIN_BLOCK_HAN, MIN_BLOCK_CHARS = 15, 60
# Over the whole document: a page with a second <html> element (seen on a government site) has
# its article there, where walking the first root's descendants never goes.
_LEAF_CANDIDATES = etree.XPath(
    " | ".join(
        f"//{tag}"
        for tag in sorted(_BLOCK_TAGS - {"body", "main", "ul", "ol", "table", "tbody", "tr"})
    )
)


def text_blocks(tree) -> list[str]:
    """The page's text blocks, in order, where trafilatura found nothing usable: each element
    holding only inline content (text, spans, links, <br>s) with a line of prose in it, outside
    navigation, headers and footers, whatever the tags (WeChat's <section>s, a portal's bare
    <p>s). A fallback for pages no extractor reads, not a rival to trafilatura."""
    found = []
    for el in _LEAF_CANDIDATES(tree):
        if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
            continue  # not a leaf block: its own blocks are read instead
        if any(a.tag in _OUTSIDE_TEXT for a in el.iterancestors()) or el.tag in _OUTSIDE_TEXT:
            continue
        text = _squash(el.text_content())
        han = len(_HAN.findall(text))
        if han >= MIN_BLOCK_HAN or (not han and len(text) >= MIN_BLOCK_CHARS):
            found.append(text)
    return found


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
