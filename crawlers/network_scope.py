"""Where a crawl may open network connections: the one rule the browser's proxy and Scrapy's
last downloader middleware both enforce.

A host is in scope as the profile says (`SiteProfile.in_scope`: its allowed domains and their
subdomains). The port must be a default one (80, 443) or one the profile's own URLs name: on a
shared host such as 127.0.0.1 another port is another service (a `newsarc serve` API, a
database), never part of the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawlers.profile import SiteProfile

DEFAULT_PORTS = frozenset({80, 443})
# A host as it may appear in a CONNECT line or URL: a DNS name, an IPv4 address or a bracketed
# IPv6 one. Anything else (userinfo, paths, spaces) is refused before any check that could
# read it differently from the socket that would be opened.
_HOST = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")


@dataclass(frozen=True)
class NetworkScope:
    profile: SiteProfile
    ports: frozenset[int]

    @classmethod
    def of(cls, profile: SiteProfile) -> NetworkScope:
        named = {
            urlsplit(url).port for url in [*profile.start_urls, *profile.feeds, *profile.sitemaps]
        }
        return cls(profile, DEFAULT_PORTS | {port for port in named if port})

    def allows(self, host: str, port: int) -> bool:
        """May a connection be opened to `host`:`port`? (`host` as written in a URL.)"""
        if port not in self.ports or not _HOST.fullmatch(host):
            return False
        return self.profile.in_scope(f"http://{host}/")

    def allows_url(self, url: str) -> bool:
        """May Scrapy fetch `url`? (Its host as `in_scope` reads it, its port as above.)"""
        parts = urlsplit(url)
        try:
            port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
        except ValueError:  # a port that is not a number
            return False
        return port in self.ports and self.profile.in_scope(url)
