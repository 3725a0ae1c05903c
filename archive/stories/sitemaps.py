"""Reading an archived sitemap: each story URL's <lastmod>.

A sitemap whose lastmod for a story moved between two crawls is the site claiming an update,
like a moved dateModified or "Updated" marker (archive/stories/looks.py compares them).
"""

from __future__ import annotations

from lxml import etree

_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(body: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if not root.tag.endswith("urlset"):
        return []
    found = []
    for node in root.iter(f"{_LOC}url", "url"):
        loc = node.findtext(f"{_LOC}loc") or node.findtext("loc")
        lastmod = node.findtext(f"{_LOC}lastmod") or node.findtext("lastmod")
        if loc and lastmod:
            found.append((loc.strip(), lastmod.strip()))
    return found
