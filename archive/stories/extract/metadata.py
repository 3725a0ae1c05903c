"""What a page says about itself in markup: JSON-LD, OpenGraph/meta tags, <time>, links.

These are claims made for machines; record.py weighs them against what the page shows.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import html as lxml_html

log = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "techarticle", "opinionnewsarticle", "reviewnewsarticle", "liveblogposting", "webpage",
}  # fmt: skip


_SITE_TYPES = {"website", "organization", "newsmediaorganization"}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class PageMetadata:
    html_lang: str = ""
    canonical_url: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL
    json_ld: dict = field(default_factory=dict)  # the page's article object, if any
    faq_ld: list[dict] = field(default_factory=list)  # schema.org FAQPage mainEntity
    meta: dict[str, str] = field(default_factory=dict)  # og:*, article:*, name=... (first wins)
    tags: list[str] = field(default_factory=list)  # article:tag / meta keywords
    times: list[tuple[str, str]] = field(default_factory=list)  # (<time datetime>, context)
    title_tag: str = ""
    site_names: list[str] = field(default_factory=list)  # JSON-LD WebSite/Organization names


def read_metadata(tree: lxml_html.HtmlElement, url: str) -> PageMetadata:
    found = PageMetadata(html_lang=(tree.get("lang") or "").strip())
    found.title_tag = " ".join(" ".join(tree.xpath("//title//text()")).split())
    for link in tree.xpath("//link[@rel and @href]"):
        rel = link.get("rel", "").lower().split()
        canonical = "canonical" in rel and found.canonical_url is None
        language = link.get("hreflang") if "alternate" in rel else None
        if not canonical and not language:
            continue  # style sheets, icons, preloads: most links, and none of them is needed
        href = _absolute(url, link.get("href"))
        if href is None:
            continue
        if canonical:
            found.canonical_url = href
        if language:
            found.alternates.setdefault(language.strip(), href)
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = " ".join(meta.get("content").split())
        if not key or not value:
            continue
        if key == "article:tag":
            found.tags.append(value)
        found.meta.setdefault(key, value)
    if not found.tags and found.meta.get("keywords"):
        found.tags = _split_keywords(found.meta["keywords"])
    objects = list(_json_ld_objects(tree))
    found.json_ld = next((o for o in objects if _types(o) & _ARTICLE_TYPES - {"webpage"}), {})
    if not found.json_ld:
        found.json_ld = next((o for o in objects if _types(o) & _ARTICLE_TYPES), {})
    for obj in objects:
        if _types(obj) & _SITE_TYPES and isinstance(obj.get("name"), str):
            found.site_names.append(obj["name"])
        if "faqpage" in _types(obj):
            entities = obj.get("mainEntity") or []
            found.faq_ld.extend(e for e in _as_list(entities) if isinstance(e, dict))
    for node in tree.xpath("//time[@datetime]"):
        context = node.getparent().text_content() if node.getparent() is not None else ""
        classes = " ".join(
            (a.get("class") or "") + " " + (a.get("itemprop") or "")
            for a in [node, *node.iterancestors()][:3]
        )
        found.times.append((node.get("datetime"), f"{classes} {context}"))
    return found


def _absolute(base: str, href: str) -> str | None:
    """*href* resolved against *base*; None when either is not a URL ("http://[::1")."""
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def _json_ld_objects(tree):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
            if _SURROGATE_ESCAPE.search(script.text):
                data = _without_lone_surrogates(data)
            objects = list(_flatten(data))
        except (ValueError, RecursionError) as exc:  # RecursionError: arrays nested 10,000 deep
            log.debug("unreadable JSON-LD skipped: %s", exc)
            continue
        yield from objects


def _without_lone_surrogates(data):
    """*data* with every half of a UTF-16 pair left alone by a "\\ud800" escape made U+FFFD.

    Such a half is not text: nothing downstream can encode it, and one in a record would stop
    the catalog's whole batch of extractions from being written."""
    text = json.dumps(data, ensure_ascii=False)
    return json.loads(_SURROGATE.sub("\ufffd", text))


def _flatten(data):
    for item in _as_list(data):
        if isinstance(item, dict):
            yield item
            if "@graph" in item:
                yield from _flatten(item["@graph"])


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _types(obj: dict) -> set[str]:
    return {t.lower() for t in _as_list(obj.get("@type", [])) if isinstance(t, str)}


def _split_keywords(value: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,，;；、]", value) if k.strip()]


def ld_text(obj: dict, key: str) -> str:
    """A JSON-LD property as plain text (names of persons, joined lists)."""
    value = obj.get(key)
    parts = []
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("name") or item.get("text") or ""
        if isinstance(item, str | int | float) and str(item).strip():
            parts.append(" ".join(str(item).split()))
    return ", ".join(parts)


def ld_keywords(obj: dict) -> list[str]:
    value = obj.get("keywords")
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return _split_keywords(value) if isinstance(value, str) else []
