"""URL identity for deduplication: the key that decides "same URL", the site a URL belongs to,
and AMP/mobile heuristics.

`normalize_url` is deliberately stricter than the crawler's link clean-up: two URLs with the same
key are the same page, so the key drops everything that never changes what a server returns.
"""

from __future__ import annotations

import ipaddress
import re
from fnmatch import fnmatchcase
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url

# Query parameters that only say where a reader came from (campaign trackers, click ids, share
# buttons, referrers). Shell-style patterns, compared with the lower-cased parameter name. `ref`,
# `from` and `share` are generic words, but on news sites they are referral tags in practice; a
# site that uses one of them to select content would need it removed from this list.
TRACKING_PARAMS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "spm",
    "from",
    "share",
    "_ga",
)

DEFAULT_PORTS = {"http": 80, "https": 443}

_DUPLICATE_SLASHES = re.compile(r"/{2,}")

# The public suffix list snapshot bundled with tldextract, never fetched or cached on disk: the
# site of a URL must not depend on the network or on when the archive was reindexed. Private
# suffixes count (blogspot.com, github.io): each blog under one is a publisher of its own.
_PUBLIC_SUFFIXES = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)


@lru_cache(maxsize=1 << 16)  # ingest asks for the same URL's key from several steps
def normalize_url(url: str) -> str:
    """The key under which `url` counts as "the same URL": scheme and host lower-cased, default
    port, fragment and tracking parameters dropped, remaining parameters sorted, percent-encoding
    normalised, duplicate slashes collapsed, no trailing slash except on the root path."""
    url = url.strip()
    try:
        url = canonicalize_url(url, keep_fragments=False)
    except ValueError:
        # Unparseable host (bad IDNA, bad port): the URL can still be a key, just a literal one.
        pass
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    path = _DUPLICATE_SLASHES.sub("/", parts.path)
    if path.endswith("/") and path != "/":
        path = path.rstrip("/") or "/"
    if not path and parts.netloc:
        path = "/"
    return urlunsplit(
        (scheme, _netloc(scheme, parts.netloc), path, _without_tracking(parts.query), "")
    )


@lru_cache(maxsize=1 << 16)
def site_of(url: str) -> str:
    """The site `url` belongs to: its registrable domain (eTLD+1, e.g. `ft.com` for
    `https://cn.ft.com/a`, `bbc.co.uk` for `news.bbc.co.uk`), port ignored. An IP address is a
    site of its own (127.0.0.1 and 127.0.0.2 are two sites), and so is a host with no public
    suffix (`localhost`, `news.invalid`); a URL without a host is its own site."""
    key = normalize_url(url)  # IDNA hosts in their ASCII form, as the grouping's nodes are
    host = (urlsplit(key).hostname or "").rstrip(".")
    return _host_site(host) if host else key


@lru_cache(maxsize=1 << 14)
def _host_site(host: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    return _PUBLIC_SUFFIXES(host).top_domain_under_public_suffix or host


def is_amp_url(url: str) -> bool:
    """Whether `url` looks like an AMP page (/amp/ path segment, `.amp` suffix, `?amp=1`,
    `amp.` host). A hint for the reason a URL joined a story, never grounds to merge."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = parts.path.lower().split("/")
    query = {_param_name(p): p.partition("=")[2] for p in parts.query.split("&") if p}
    return (
        host.startswith("amp.")
        or "amp" in segments
        or any(s.endswith(".amp") or s.endswith(".amp.html") for s in segments)
        or query.get("amp") in ("", "1", "true")
        or query.get("outputtype") == "amp"
    )


def is_mobile_url(url: str) -> bool:
    """Whether `url` looks like a mobile page (`m.` host, `/m/` first path segment). A hint for
    the reason a URL joined a story, never grounds to merge."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = parts.path.lower().split("/")
    return host.startswith("m.") or (len(segments) > 2 and segments[1] == "m")


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.lower()
    host, colon, port = netloc.rpartition(":")
    if colon and port.isdigit() and "]" not in port and int(port) == DEFAULT_PORTS.get(scheme):
        return host
    return netloc


def _without_tracking(query: str) -> str:
    # The query is already canonical (sorted, consistently encoded), so kept parameters are kept
    # with their exact spelling rather than decoded and re-encoded.
    kept = [
        param
        for param in query.split("&")
        if param and not any(fnmatchcase(_param_name(param), p) for p in TRACKING_PARAMS)
    ]
    return "&".join(kept)


def _param_name(param: str) -> str:
    return unquote_plus(param.partition("=")[0]).lower()
