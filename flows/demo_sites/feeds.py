"""Machine-readable discovery documents: RSS, Atom, sitemaps and robots.txt.

Crawlers seed themselves from these, so they must be valid and carry the dates (pubDate,
updated, lastmod) that incremental crawls key on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime
from html import escape

from .timefmt import iso_utc


def rss(title: str, link: str, items: Iterable[tuple[str, str, str, datetime]]) -> bytes:
    """RSS 2.0; items are (title, url, description, published)."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link>"
        f'<guid isPermaLink="true">{escape(u)}</guid>'
        f"<description>{escape(d)}</description>"
        f"<pubDate>{format_datetime(p, usegmt=True)}</pubDate></item>\n"
        for t, u, d, p in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(title)}</description>\n{entries}</channel></rss>\n"
    ).encode()


def atom(
    title: str,
    self_url: str,
    site_url: str,
    updated: datetime,
    entries: Iterable[tuple[str, str, str, datetime, datetime]],
) -> bytes:
    """Atom 1.0; entries are (title, url, summary, published, updated)."""
    body = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(u)}"/><id>{escape(u)}</id>'
        f"<published>{iso_utc(p)}</published><updated>{iso_utc(m)}</updated>"
        f"<summary>{escape(s)}</summary></entry>\n"
        for t, u, s, p, m in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{escape(site_url)}/</id>"
        f'<link rel="self" href="{escape(self_url)}"/><link href="{escape(site_url)}/"/>'
        f"<updated>{iso_utc(updated)}</updated>\n{body}</feed>\n"
    ).encode()


def sitemap_index(maps: Iterable[tuple[str, datetime]]) -> bytes:
    body = "".join(
        f"<sitemap><loc>{escape(u)}</loc><lastmod>{iso_utc(m)}</lastmod></sitemap>\n"
        for u, m in maps
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</sitemapindex>\n"
    ).encode()


def urlset(urls: Iterable[tuple[str, datetime]]) -> bytes:
    body = "".join(
        f"<url><loc>{escape(u)}</loc><lastmod>{iso_utc(m)}</lastmod></url>\n" for u, m in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    ).encode()


def robots(disallow: list[str], sitemap_url: str | None) -> bytes:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return ("\n".join(lines) + "\n").encode()
