"""Turning an archived capture back into a Scrapy response, without the network.

Used when a server answers 304 (the spider still needs the page to find links) and when a
resumed run meets a page the killed run already archived.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from archive.warc.reader import read_http_response
from crawlers.snapshot import ArchivedLocation

ARCHIVED_FLAG = "newsarc-archived"


def archived_response(request: Request, location: ArchivedLocation, *flags: str) -> Response:
    archived = read_http_response(location.warc_path, location.offset)
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
    return cls(
        url=request.url,
        status=archived.status,
        headers=headers,
        body=archived.body,
        request=request,
        flags=[ARCHIVED_FLAG, *flags],
    )
