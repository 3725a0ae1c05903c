"""Local demo news sites (real HTTP on loopback) that the crawler and archive tests run against.

``DemoSites`` starts an aggregator (noisy, gzip + chunked, fault lab), a translated-news site
(quiet, byte-stable, GBK page, hreflang pairs) and optionally a bulk site for benchmarks.
"""

from .demo import DemoSites

__all__ = ["DemoSites"]
