"""One captured page -> one ExtractedStory: a pure function of (URL, bytes, capture time).

No network, no database, no clock: re-extracting the same capture always gives the same
record, which is what reindexing from the WARCs relies on.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, tzinfo
from functools import cache

from lxml import etree
from lxml import html as lxml_html

from archive.warc.extract_rules import ExtractRules, normalise_rules

from . import bilingual, body, furniture, sections
from .class_words import holds_word
from .dates import (
    CHINA,
    RELATIVE_TIME,
    find_dates,
    htmldate_guess,
    is_updated_label,
    may_hold_relative_time,
    parse_date,
    relative_times,
)
from .decode import decode_html
from .language import detect_language
from .metadata import PageMetadata, ld_keywords, ld_text, read_metadata
from .rules import select
from .titles import headline_variants, read_titles

_names_dek = holds_word(
    ("dek", "deck", "standfirst", "summary", "subtitle", "subhead", "lead", "excerpt")
)
MAX_DEK = 500  # characters
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# What XML cannot hold: C0 controls but tab, LF and CR (a browser shows nothing for them; VT and
# FF are spaces), halves of UTF-16 pairs and the two non-characters (decoding damage: U+FFFD).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SAFE = {
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x20)]),
    0x0B: " ",
    0x0C: " ",
    **dict.fromkeys([*range(0xD800, 0xE000), 0xFFFE, 0xFFFF], "\ufffd"),
}
_PUBLISHED_KEYS = ("article:published_time", "og:published_time", "pubdate", "publishdate",
                   "datepublished", "publish_date", "date", "dc.date")  # fmt: skip
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "lastmod")
# The HTML parser gives a script or style element its text as one child and never an element
# inside, so a text node's parent is the only script or style it can be in: checking the parent
# is the same test as checking every ancestor, without walking up from each node.
_BODY_TEXT = "//body//text()[not(parent::script) and not(parent::style)]"
_body_texts = etree.XPath(_BODY_TEXT, smart_strings=False)
# The first body text node equal to $text: of the nodes equal to it, only these few are tested
# for a script or style around them.
_first_body_text_equal = etree.XPath(
    "(//body//text()[. = $text][not(parent::script) and not(parent::style)])[1]"
)


@dataclass
class ExtractedStory:
    url: str
    canonical_url: str
    encoding: str
    language_alternates: dict[str, str] = field(default_factory=dict)
    title_en: str | None = None
    title_zh: str | None = None
    summary_en: str | None = None
    summary_zh: str | None = None
    tldr_en: list[str] = field(default_factory=list)
    tldr_zh: list[str] = field(default_factory=list)
    body_en: list[str] = field(default_factory=list)
    body_zh: list[str] = field(default_factory=list)
    # Paragraphs in any other language (a Japanese or Russian page, a quoted passage): kept,
    # never silently dropped, so the record still holds everything the article says.
    body_other: list[str] = field(default_factory=list)
    paragraph_pairs: list[tuple[str, str]] = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    scores: dict[str, int | float] = field(default_factory=dict)
    key_data: list[list[str]] = field(default_factory=list)
    faq: list[dict[str, str]] = field(default_factory=list)
    # Every headline the page gives, per language ({"en": [...], "zh": [...]}): the title, the
    # claims (JSON-LD, og, <title>) and the first h1; the title's fingerprint covers them all.
    headlines: dict[str, list[str]] = field(default_factory=dict)
    # Lines of the page that are furniture, not content ({"role": "time"|"metric"|"promo"|
    # "credit", "text": ...}): kept so a reader can see what was left out, never compared.
    furniture: list[dict[str, str]] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        """Plain JSON types (datetimes as ISO 8601 UTC) for `newsarc extract` and fixtures."""
        # What dataclasses.asdict gives, without its generic deep copy: every container is
        # copied one level down (all values are strings and numbers), the caller may mutate it.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("language_alternates", "scores"):
            data[key] = dict(data[key])
        for key in ("tldr_en", "tldr_zh", "body_en", "body_zh", "body_other", "tags"):
            data[key] = list(data[key])
        data["key_data"] = [list(row) for row in self.key_data]
        data["faq"] = [dict(entry) for entry in self.faq]
        data["furniture"] = [dict(entry) for entry in self.furniture]
        data["headlines"] = {lang: list(texts) for lang, texts in self.headlines.items()}
        for key in ("published_at", "updated_at"):
            if data[key] is not None:
                data[key] = data[key].isoformat().replace("+00:00", "Z")
        data["paragraph_pairs"] = [list(pair) for pair in self.paragraph_pairs]
        return data


def extract(
    url: str,
    body_bytes: bytes,
    captured_at: datetime,
    headers: dict[str, str] | None = None,
    rules: ExtractRules | None = None,
) -> ExtractedStory:
    """Extract the story from one capture. `captured_at` (the WARC-Date) anchors "2h ago";
    `rules` are a site profile's CSS selectors per field (see rules.py)."""
    rules_by_field = normalise_rules(rules)
    text, encoding = decode_html(body_bytes, headers)
    tree = _parse(text)
    meta = read_metadata(tree, url)
    zone = CHINA if _is_chinese_page(tree, meta) else UTC
    story = ExtractedStory(
        url=url,
        canonical_url=meta.canonical_url or meta.meta.get("og:url") or url,
        encoding=encoding,
        language_alternates=meta.alternates,
    )
    _read_dates(story, tree, meta, captured_at, zone, rules_by_field)
    _read_structured_blocks(story, tree, meta, rules_by_field)
    deks = _read_titles_and_summaries(story, tree, meta, rules_by_field)
    story.author = _first_text(tree, rules_by_field.get("author")) or _author(tree, meta)
    story.tags = _tags(tree, meta, rules_by_field.get("tags"))
    body.drop_noise(tree, rules_by_field.get("drop"))
    body.drop_code(tree)
    body.drop_link_lists(tree)
    inline = body.drop_inline_furniture(tree)
    if "body" in rules_by_field:
        paragraphs = body.body_from_selectors(tree, rules_by_field["body"])
    else:
        paragraphs = body.main_text(tree, url, dense_script=zone is CHINA)
    paragraphs, story.furniture = body.split_furniture(paragraphs)
    story.furniture[:0] = inline
    _add_metrics(story)
    labelled = bilingual.label(_without_known_fields(paragraphs, story, deks))
    story.body_en, story.body_zh = bilingual.by_language(labelled)
    story.body_other = bilingual.other_languages(labelled)
    story.paragraph_pairs = bilingual.align(labelled)
    return story


def _parse(text: str):
    """Comments and processing instructions are dropped while parsing: a comment inside a
    paragraph would otherwise cut its text in two for trafilatura (as its own loader does).

    Characters XML cannot hold go first: lxml parses them into text but refuses them in any
    text set later (dropping an element joins its tail to its neighbour's), and a lone surrogate
    (a charset such as UTF-7 can decode to one) cuts the parse short."""
    if _NOT_XML.search(text):
        text = text.translate(_XML_SAFE)
    text = _XML_DECLARATION.sub("", text) or "<html></html>"
    try:
        return lxml_html.document_fromstring(text, parser=_html_parser())
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring("<html><body></body></html>")


_parsers = threading.local()  # an lxml parser must not be shared between threads


def _html_parser() -> lxml_html.HTMLParser:
    """lxml.html's parser, with every element an `HtmlElement` chosen in C; one per thread.

    lxml.html picks each element's class in Python (form fields get their own classes), and
    that call runs whenever an element is touched from Python, here and in trafilatura, which
    works on a copy of this tree: a few microseconds per element. Nothing here uses the form
    classes, so the plain element class, chosen without leaving C, does the same job faster.
    """
    if (parser := getattr(_parsers, "parser", None)) is not None:
        return parser
    parser = _parsers.parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, collect_ids=False
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


def _is_chinese_page(tree, meta: PageMetadata) -> bool:
    if meta.html_lang:
        return meta.html_lang.lower().startswith("zh")
    return detect_language(meta.title_tag or "") == "zh"


# -- dates -------------------------------------------------------------------------------------
def _read_dates(story, tree, meta: PageMetadata, captured_at, zone: tzinfo, rules) -> None:
    ld = meta.json_ld
    published = _rule_date(tree, rules.get("published"), captured_at, zone)
    updated = _rule_date(tree, rules.get("updated"), captured_at, zone)
    published = published or parse_date(ld_text(ld, "datePublished"), zone)
    updated = updated or parse_date(ld_text(ld, "dateModified"), zone)
    published = published or _first_date(meta.meta.get(k) for k in _PUBLISHED_KEYS)
    updated = updated or _first_date(meta.meta.get(k) for k in _MODIFIED_KEYS)
    for value, context in meta.times:
        moment = parse_date(value, zone)
        if is_updated_label(context):
            updated = updated or moment
        else:
            published = published or moment
    body_texts = cache(lambda: _body_texts(tree))  # the tree does not change in here
    if published is None or updated is None:
        rel_published, rel_updated = _relative_byline(tree, captured_at, body_texts)
        published = published or rel_published
        updated = updated or rel_updated
    if published is None:
        # Footers carry copyright years and "rendered at" stamps, never the story's date.
        published = next(iter(find_dates(_visible_text(_unfooted_texts(tree)), zone)), None)
    if published is None:
        published = htmldate_guess(tree, captured_at, zone)
    story.published_at = published
    story.updated_at = updated if updated and (not published or updated >= published) else None


_unfooted_texts = etree.XPath(
    "//body//text()[not(parent::script) and not(parent::style) and not(ancestor::footer)]",
    smart_strings=False,
)


def _rule_date(tree, selectors, captured_at, zone):
    for el in _select(tree, selectors):
        value = el.get("datetime") or el.get("content") or sections.text_of(el)
        moment = parse_date(value, zone) or relative_times(value, captured_at)[0]
        if moment is not None:
            return moment
    return None


def _first_date(values):
    return next((d for d in (parse_date(v) for v in values if v) if d), None)


def _relative_byline(tree, captured_at, body_texts):
    """The first element whose text is a relative time, read together with its siblings.
    `body_texts()` gives the tree's body text nodes as plain strings."""
    if not may_hold_relative_time(tree.text_content()):
        return None, None  # no text node can hold one either
    # Plain strings to search (an lxml "smart" string per text node would make an element
    # proxy for each); the one node that matches is then fetched by its text: an earlier node
    # with the same text would have matched first.
    texts = body_texts()
    hit = next(
        (i for i, text in enumerate(texts)
         if may_hold_relative_time(text) and RELATIVE_TIME.search(text)),
        None,
    )  # fmt: skip
    if hit is None:
        return None, None
    holder = _body_text_node(tree, texts[hit], hit).getparent()
    line = holder.getparent() if holder.getparent() is not None else holder
    return relative_times(sections.text_of(line), captured_at)


def _body_text_node(tree, text: str, index: int):
    """The body text node `index`, holding `text`, found by that text (only nodes equal to it
    are checked for a script around them), or by its position when the text cannot be an XPath
    value (lxml refuses control characters in one)."""
    try:
        return _first_body_text_equal(tree, text=text)[0]
    except ValueError:
        return tree.xpath(f"({_BODY_TEXT})[{index + 1}]")[0]


def _visible_text(texts: list[str], limit: int = 20000) -> str:
    return " ".join(n.strip() for n in texts if n.strip())[:limit]


# -- TL;DR, FAQ, key data, scores ----------------------------------------------------------
def _read_structured_blocks(story, tree, meta: PageMetadata, rules) -> None:
    blocks = sections.find_blocks(tree, rules)
    found = sections.read_tldr(blocks["tldr"])
    story.tldr_en, story.tldr_zh = found["en"], found["zh"]
    story.faq = sections.read_faq(blocks["faq"]) or _faq_from_json_ld(meta)
    story.key_data = sections.read_key_data(blocks["key_data"])
    story.scores = sections.read_scores(blocks["scores"])
    sections.detach([el for kind in sections.KINDS for el in blocks[kind]])


def _add_metrics(story: ExtractedStory) -> None:
    """Counts and scores shown on furniture lines join the scores time series (a score block's
    own reading wins)."""
    for line in story.furniture:
        if line["role"] == furniture.METRIC:
            for name, value in furniture.read_metrics(line["text"]).items():
                story.scores.setdefault(name, value)


def _faq_from_json_ld(meta: PageMetadata) -> list[dict[str, str]]:
    entries = []
    for item in meta.faq_ld:
        question = ld_text(item, "name")
        answer = ld_text(item.get("acceptedAnswer") or {}, "text")
        lang = "zh" if detect_language(question) == "zh" else "en"
        entries.append({f"question_{lang}": question, f"answer_{lang}": answer})
    return entries


# -- titles and summaries --------------------------------------------------------------------
def _read_titles_and_summaries(story, tree, meta: PageMetadata, rules) -> set[str]:
    """Sets the titles and summaries; returns the summaries shown on the page as a dek."""
    titles = read_titles(tree, meta, story.url)
    for lang in ("en", "zh"):
        ruled = _first_text(tree, rules.get(f"title_{lang}"))
        setattr(story, f"title_{lang}", ruled or titles[lang])
        titles[lang] = getattr(story, f"title_{lang}")
    story.headlines = headline_variants(tree, meta, story.url, titles)
    deks = _visible_deks(tree, {story.title_en, story.title_zh} - {None})
    descriptions = [
        ld_text(meta.json_ld, "description"),
        meta.meta.get("og:description", ""),
        meta.meta.get("description", ""),
    ]
    shown = set()
    for lang in ("en", "zh"):
        ruled = _first_text(tree, rules.get(f"summary_{lang}"))
        visible = next(((raw, text) for raw, text in deks if _lang(text) == lang), None)
        claimed_dek = next((d for d in descriptions if d and _lang(d) == lang), None)
        setattr(story, f"summary_{lang}", ruled or (visible and visible[1]) or claimed_dek)
        shown.add(ruled or (visible and visible[0]))
    return shown - {None}


_DEK_LABEL = re.compile(r"^(?:summary|standfirst|in brief|摘要|导语|导读|提要)\s*[:：]\s*", re.I)
_DEK_PARTS = ("p", "div", "span")


def _visible_deks(tree, titles: set[str]) -> list[tuple[str, str]]:
    """(text as shown, text without a 'Summary:' label) of each dek the page shows: elements
    whose class names a dek, the lines of a block holding one per language read one by one.

    A page has one dek: a dek-named class that several elements share is a list of teasers
    (a related post's excerpt), not this page's. Nor is a sentence-long "summary" block that
    holds the whole article, a furniture line, or the headline again (a subtitle class)."""
    named = [el for el in tree.xpath("//body//*[@class]") if _names_dek(el.get("class"))]
    languages: dict[str, list] = {}
    for el in named:
        languages.setdefault(el.get("class"), []).append(_lang(sections.text_of(el)))
    # A class holding two texts of one language marks teasers; EN + ZH is a bilingual dek.
    teasers = {c for c, langs in languages.items() if len(langs) > len(set(langs))}
    found = []
    for el in named:
        if el.get("class") in teasers or next(el.iter("li"), None) is not None:
            continue  # a list of teasers, or of points (a TL;DR block), is no dek
        parts = [c for c in el if isinstance(c.tag, str) and c.tag in _DEK_PARTS]
        lines = [sections.text_of(p) for p in parts] if len(parts) >= 2 else [sections.text_of(el)]
        for raw in lines:
            text = _DEK_LABEL.sub("", raw)
            shown_once = text and len(text) <= MAX_DEK and text not in titles
            if shown_once and not furniture.line_role(text):
                found.append((raw, text))
    return found


def _lang(text: str) -> str | None:
    return detect_language(text)


# -- author, tags ----------------------------------------------------------------------------
def _author(tree, meta: PageMetadata) -> str | None:
    found = ld_text(meta.json_ld, "author") or meta.meta.get("author") or ""
    found = found or meta.meta.get("article:author", "")
    if not found:
        found = _first_text(tree, ['[rel="author"]', '[itemprop="author"]', ".author"]) or ""
    return found or None


def _tags(tree, meta: PageMetadata, selectors) -> list[str]:
    if selectors:
        return _unique(sections.text_of(el) for el in _select(tree, selectors))
    return _unique(ld_keywords(meta.json_ld) or meta.tags)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# -- body filtering --------------------------------------------------------------------------
def _without_known_fields(
    paragraphs: list[str], story: ExtractedStory, deks: set[str]
) -> list[str]:
    """Titles, deks and TL;DR items that trafilatura kept are fields already, not body.

    A summary taken from a meta description is not a dek: sites often reuse the article's
    first paragraph as their description, and that paragraph stays in the body. A page whose
    only text is its "summary" (an aggregator's story card) keeps that text as its body."""
    headlines = [h for variants in story.headlines.values() for h in variants]
    known = {story.title_en, story.title_zh, *headlines, *story.tldr_en, *story.tldr_zh}
    kept = [p for p in paragraphs if p not in known]
    return [p for p in kept if p not in deks] or kept


def _select(tree, selectors):
    return [el for sel in selectors or [] for el in select(tree, sel)]


def _first_text(tree, selectors) -> str | None:
    return next((t for t in (sections.text_of(el) for el in _select(tree, selectors)) if t), None)
