"""A story's headline in each language, from what the page shows and what it claims.

A page claims its headline for machines (JSON-LD `headline`, `og:title`, `<title>`) and shows it
to readers (`h1`/`h2`). The claims can lie: a JavaScript shell or a careless template puts the
site's name in `<title>` on every page. So a claim that is the site's name (as the page itself
names its site: `og:site_name`, the publisher in JSON-LD, the text of the link home) is no
headline, and bilingual headlines are read in any order and markup: `h1` EN + `h2` ZH or the
reverse, one heading holding both (split at "/", "|" or a line break), a `<title>` holding both.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from . import furniture
from .language import NEEDS_MODEL, detect_language, script_language
from .metadata import PageMetadata, ld_text

LANGS = ("en", "zh")
TITLE_SEPARATORS = re.compile(r"\s+[–—-]\s+|\s*[|｜_]\s*")
_PART_SEPARATORS = re.compile(r"\s*(?:\n|\s/\s|\s?[|｜]\s?)\s*")
_HEADINGS = "//body//h1 | //body//h2"
_DOMAIN = re.compile(r"\w\.[a-z]{2,}\b", re.I)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MAX_SITE_NAME = 80  # characters of a home link's text that can be a site's name


def read_titles(tree, meta: PageMetadata, url: str) -> dict[str, str | None]:
    """{"en": ..., "zh": ...}: per language, a visible heading that a claim confirms; else a
    claim; else the heading beside the other language's title; else, when the page's claims
    were only its site's name (or there were none), its first h1 in that language."""
    english_page = _english_page(meta)

    def lang_of(text: str) -> str | None:
        return title_language(text, english_page)

    sites = site_names(tree, meta, url)
    strong = _metadata_headlines(meta)
    shell = _title_tag_claims(meta.title_tag, lang_of)
    parts = [part for text in (*strong, *shell) for part in language_parts(text)]
    claims = [part for part in parts if not _is_site(part, sites)]
    shell_lied = len(claims) < len(parts) or not parts
    headings: list[tuple[str, list[str]]] = []  # (tag, its parts by language)
    for heading in tree.xpath(_HEADINGS):
        found = [p for p in language_parts(_heading_text(heading)) if _is_headline(p, sites)]
        if found:
            headings.append((heading.tag, found))
    titles: dict[str, str | None] = {}
    anchors: dict[str, int] = {}  # language -> index of the heading its title was read from
    for lang in LANGS:
        index, visible = _confirmed(headings, claims, lang, lang_of)
        if index is not None:
            anchors[lang] = index
        titles[lang] = visible or next((c for c in claims if lang_of(c) == lang), None)
    if shell_lied:
        # Nothing confirms a heading (the claims were the site's name, or there are none):
        # what the page shows first, its first h1, is the headline.
        for lang in LANGS:
            if titles[lang] is None:
                index = next(
                    (i for i, (tag, ps) in enumerate(headings)
                     if tag == "h1" and any(lang_of(p) == lang for p in ps)),
                    None,
                )  # fmt: skip
                if index is not None:
                    anchors[lang] = index
                    titles[lang] = next(p for p in headings[index][1] if lang_of(p) == lang)
    for lang, other in (("en", "zh"), ("zh", "en")):
        if titles[lang] is None and other in anchors:
            # A bilingual pair: the translation sits in or right next to the other title.
            near = headings[max(0, anchors[other] - 1) : anchors[other] + 2]
            titles[lang] = next((p for _, ps in near for p in ps if lang_of(p) == lang), None)
    return titles


def headline_variants(tree, meta: PageMetadata, url: str, titles: dict) -> dict[str, list[str]]:
    """Every headline the page gives per language: the title read, each claim (JSON-LD, og,
    twitter, the whole `<title>` less the site's name), the first h1 and any heading that
    reads like a claim. An edit of any one of them is an edit of the title, though only one is
    shown as the title."""
    english_page = _english_page(meta)
    sites = site_names(tree, meta, url)
    claims = [
        *_metadata_headlines(meta),
        " - ".join(p for p in TITLE_SEPARATORS.split(meta.title_tag) if not _is_site(p, sites)),
    ]
    headings = [_heading_text(h) for h in tree.xpath(_HEADINGS)]
    first_h1 = next((_heading_text(h) for h in tree.xpath("//body//h1")[:1]), "")
    claimed_words = [_words(c) for c in claims if c]
    alike = [h for h in headings if any(_alike(_words(h), w) for w in claimed_words)]
    found: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for text in (*claims, first_h1, *alike):
        for part in language_parts(text):
            lang = title_language(part, english_page)
            if lang in found and _is_headline(part, sites) and part not in found[lang]:
                found[lang].append(part)
    for lang in LANGS:
        if titles.get(lang) and titles[lang] not in found[lang]:
            found[lang].insert(0, titles[lang])
    return found


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def _alike(words: set[str], claimed: set[str]) -> bool:
    """Most words shared: the visible headline beside a claim it was edited away from."""
    return bool(words) and len(words & claimed) >= 0.6 * max(len(words), len(claimed))


_WORDS = re.compile(r"[\u3400-\u9fff]|[^\W_]+")


def _title_tag_claims(title: str, lang_of) -> list[str]:
    """The `<title>`'s first part ('Headline | Section - Site'), and any later part in another
    language ('Headline | 标题 - Site')."""
    parts = [p for p in TITLE_SEPARATORS.split(title) if p.strip()]
    if not parts:
        return []
    first = lang_of(parts[0])
    if first not in LANGS:
        return parts[:1]
    other = "zh" if first == "en" else "en"
    return [parts[0], *(p for p in parts[1:] if lang_of(p) == other and _headline_sized(p))]


def _headline_sized(text: str) -> bool:
    """Long enough to be a headline, not a site's name ('Entermedia', 'cjn.cn', 'AI News')."""
    if _DOMAIN.search(text):
        return False
    han = len(_HAN.findall(text))
    return han >= 6 if han else len(text.split()) >= 4


def _confirmed(headings, claims: list[str], lang: str, lang_of):
    for index, (_, parts) in enumerate(headings):
        for part in parts:
            if lang_of(part) == lang and any(_same_title(part, c) for c in claims):
                return index, part
    return None, None


def title_language(text: str, english_page: bool) -> str | None:
    """The language of a title: its writing system, else the model; on a page that declares
    itself English, a Latin-script title the model gives to another language is English (the
    model misreads short headlines: 'Fact Check: Is An Oxygen Bar...' reads as Pidgin)."""
    found = detect_language(text)
    if found in (None, "en", "zh") or not english_page:
        return found
    return "en" if script_language(text) == NEEDS_MODEL else found


def language_parts(text: str) -> list[str]:
    """'OpenAI ships X / OpenAI发布X' -> both halves, when they are in two languages; any other
    text whole. Parts in one language are joined again ('A | B' stays one English title)."""
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    if not text:
        return []
    pieces = [p.strip() for p in _PART_SEPARATORS.split(text) if p.strip()]
    if len(pieces) < 2:
        return [" ".join(text.split())]
    groups: list[list[str]] = []
    langs: list[str | None] = []
    for piece in pieces:
        lang = detect_language(piece)
        if groups and lang == langs[-1]:
            groups[-1].append(piece)
        else:
            groups.append([piece])
            langs.append(lang)
    if len({lang for lang in langs if lang in LANGS}) < 2:
        return [" ".join(text.split())]
    return [" ".join(" ".join(group).split()) for group in groups]


def site_names(tree, meta: PageMetadata, url: str) -> set[str]:
    """How the page names its site: og:site_name, application-name, the publisher or website
    in JSON-LD, and the text of links to the site's home page, compared case-insensitively."""
    publisher = meta.json_ld.get("publisher")
    claimed = [
        meta.meta.get("og:site_name", ""),
        ld_text(publisher, "name") if isinstance(publisher, dict) else "",
        *meta.site_names,
    ]
    # A template that fills the site-name tag with the headline (seen on real pages) must not
    # make the headline a site name: a claimed name equal to the claimed headline is ignored.
    headline = {_key(meta.meta.get("og:title", "")), _key(ld_text(meta.json_ld, "headline"))}
    names = [name for name in claimed if _key(name) not in headline]
    home = _home_urls(url)
    for link in tree.xpath("//body//a[@href]")[:200]:
        if link.get("href", "").strip() in home:
            text = " ".join(link.text_content().split())
            if 0 < len(text) <= MAX_SITE_NAME:
                names.append(text)
    found = set()
    for name in names:
        found.add(_key(name))
        found.update(_key(part) for part in language_parts(name))
    return found - {""}


def _home_urls(url: str) -> set[str]:
    try:
        parts = urlsplit(url or "")
    except ValueError:  # not a URL ("http://[::1"): no home page to recognise
        return {"/", "./"}
    root = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return {"/", "./", root, root + "/"} - {""}


def _is_site(text: str, sites: set[str]) -> bool:
    key = _key(text)
    return key in sites or any(len(key) >= 2 and key in site for site in sites)


def _is_headline(text: str, sites: set[str]) -> bool:
    return bool(text) and not _is_site(text, sites) and furniture.line_role(text) is None


def _heading_text(heading) -> str:
    """The heading's text on one line, its <br>s kept as line breaks ('EN<br>ZH' is two
    lines); the source's own line breaks are only white space."""
    for br in heading.iter("br"):
        br.tail = _BREAK + (br.tail or "")
    text = heading.text_content()
    for br in heading.iter("br"):
        br.tail = br.tail[1:]
    return "\n".join(" ".join(line.split()) for line in text.split(_BREAK))


_BREAK = "\u2028"


def _key(text: str) -> str:
    return " ".join((text or "").casefold().split())


def _same_title(heading: str, claimed: str) -> bool:
    return bool(heading) and (heading in claimed or claimed in heading)


def _english_page(meta: PageMetadata) -> bool:
    """The page says it is English, or says nothing: a Latin-script headline on a page that
    names no language is read as English rather than lost to a short-text misreading."""
    lang = meta.html_lang.lower()
    return lang.startswith("en") or not lang


def _metadata_headlines(meta) -> list[str]:
    """The headlines a page claims in its metadata: JSON-LD, OpenGraph, Twitter."""
    return [
        ld_text(meta.json_ld, "headline"),
        ld_text(meta.json_ld, "alternativeHeadline"),
        meta.meta.get("og:title", ""),
        meta.meta.get("twitter:title", ""),
    ]
