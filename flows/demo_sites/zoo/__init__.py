"""The site zoo: demo news sites written from the markup of real news CMSs (WordPress, a
Chinese portal, Next.js, AMP, a live blog, a title-is-the-site-name aggregator) plus a
partner host that republishes some of their stories.  See ``ZooSites``."""

from .sites import HOSTS, LAYOUTS, ZooSites

__all__ = ["HOSTS", "LAYOUTS", "ZooSites"]
