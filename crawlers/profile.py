"""Site profiles: everything the crawler knows about a news site, as validated TOML data.

Adding a site means writing one of these files; the spider has no per-site code. Validation
happens once, at load, and errors name the file, the key and what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from archive.errors import BadProfile
from archive.warc.extract_rules import BadExtractRules, normalise_rules

DEFAULT_USER_AGENT = "newsarc/0.1 (+https://github.com/newsarc/newsarc; archival crawler)"
_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"


class PageKind(StrEnum):
    STORY = "story"
    LISTING = "listing"
    OTHER = "other"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compile_all(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
    return patterns


class Patterns(_Section):
    """Regexes searched in the full URL; the first family that matches decides."""

    stories: list[str] = Field(default_factory=list)
    listings: list[str] = Field(default_factory=list)
    browser: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)

    _check = field_validator("stories", "listings", "browser", "exclude")(_compile_all)


class Limits(_Section):
    max_pages: Annotated[int, Field(ge=1)] = 1000
    max_depth: Annotated[int, Field(ge=1)] = 5  # Scrapy's DEPTH_LIMIT, where 0 would mean 'none'
    max_body_bytes: Annotated[int, Field(ge=1024)] = 20_000_000
    timeout_seconds: Annotated[float, Field(gt=0)] = 30.0
    retries: Annotated[int, Field(ge=0, le=10)] = 3
    max_retry_after_seconds: Annotated[float, Field(ge=0)] = 120.0


class Politeness(_Section):
    obey_robots: bool = True
    concurrency_per_domain: Annotated[int, Field(ge=1, le=64)] = 2
    download_delay: Annotated[float, Field(ge=0)] = 1.0
    autothrottle: bool = True
    user_agent: str = DEFAULT_USER_AGENT


class Browser(_Section):
    wait_for: str | None = None  # CSS selector; default is waiting for network idle
    screenshot: bool = False
    timeout_seconds: Annotated[float, Field(gt=0)] = 30.0


class Recheck(_Section):
    """How often known stories are re-fetched (see crawlers/recheck.py).

    Profiles keep calling the table ``[revisit]`` (profiles already written must still load);
    in code, "revisit" means only a WARC revisit record."""

    min_interval_minutes: Annotated[float, Field(ge=0)] = 60.0
    max_interval_hours: Annotated[float, Field(gt=0)] = 168.0
    stable_fraction: Annotated[float, Field(gt=0, le=1)] = 0.25


class Schedule(_Section):
    """When `newsarc serve` crawls the site on its own: a cron line or an interval, not both."""

    cron: str | None = None  # five fields, e.g. "17 * * * *" (hourly at :17)
    interval_minutes: Annotated[float | None, Field(gt=0)] = None
    timezone: str = "UTC"  # IANA name; cron lines are read in this zone

    @field_validator("cron")
    @classmethod
    def _cron_line(cls, cron: str | None) -> str | None:
        if cron is not None:
            try:
                CronSim(cron, datetime(2000, 1, 1))
            except CronSimError as exc:
                raise ValueError(f"{cron!r} is not a cron line (five fields): {exc}") from exc
        return cron

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{zone!r} is not an IANA time zone such as 'Asia/Shanghai'") from None
        return zone

    @model_validator(mode="after")
    def _one_kind(self) -> Schedule:
        if (self.cron is None) == (self.interval_minutes is None):
            raise ValueError("give exactly one of cron or interval_minutes")
        return self


class Warc(_Section):
    prefix: str | None = None
    max_file_bytes: Annotated[int, Field(ge=1_000_000)] = 1_000_000_000


class SiteProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=_NAME)]
    allowed_domains: Annotated[list[str], Field(min_length=1)]
    start_urls: list[str] = Field(default_factory=list)
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    strip_query_params: list[str] = Field(
        default_factory=lambda: ["utm_*", "fbclid", "gclid", "mc_cid", "mc_eid"]
    )
    patterns: Patterns = Field(default_factory=Patterns)
    limits: Limits = Field(default_factory=Limits)
    politeness: Politeness = Field(default_factory=Politeness)
    browser: Browser = Field(default_factory=Browser)
    recheck: Recheck = Field(default_factory=Recheck, alias="revisit")
    warc: Warc = Field(default_factory=Warc)
    warcinfo: dict[str, str] = Field(default_factory=dict)
    schedule: Schedule | None = None  # only `newsarc serve` reads it
    # CSS selectors per field refining the generic extraction (archive/stories/extract/rules.py),
    # normalised at load to {field: [selector, ...]}
    extract: dict[str, str | list[str]] = Field(default_factory=dict)
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("allowed_domains")
    @classmethod
    def _plain_hosts(cls, hosts: list[str]) -> list[str]:
        for host in hosts:
            if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
                raise ValueError(f"{host!r} must be a bare host name (no scheme, port or path)")
        return [host.lower() for host in hosts]

    @field_validator("start_urls", "feeds", "sitemaps")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"{url!r} must be an http(s) URL")
        return urls

    @field_validator("extract")
    @classmethod
    def _extract_rules(cls, rules: dict[str, str | list[str]]) -> dict[str, list[str]]:
        normalised = normalise_rules(rules)
        for field, selectors in normalised.items():
            if not selectors:
                raise BadExtractRules(f"extract.{field}: give at least one CSS selector")
        return normalised

    @property
    def warc_prefix(self) -> str:
        return self.warc.prefix or self.name

    @cached_property
    def _compiled(self) -> dict[str, list[re.Pattern[str]]]:
        p = self.patterns
        return {
            key: [re.compile(x) for x in getattr(p, key)]
            for key in ("stories", "listings", "browser", "exclude")
        }

    def _matches(self, family: str, url: str) -> bool:
        return any(regex.search(url) for regex in self._compiled[family])

    def classify(self, url: str) -> PageKind:
        if self._matches("exclude", url):
            return PageKind.OTHER
        if self._matches("stories", url):
            return PageKind.STORY
        if self._matches("listings", url):
            return PageKind.LISTING
        return PageKind.OTHER

    def needs_browser(self, url: str) -> bool:
        return self._matches("browser", url)

    def in_scope(self, url: str) -> bool:
        """Only http(s), only the profile's hosts (and their subdomains)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        host = parts.hostname.lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


def load_profile(path: Path | str) -> SiteProfile:
    """Read and validate a profile; every problem is reported with file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BadProfile("no such profile file", path) from exc
    except OSError as exc:
        raise BadProfile(f"cannot read it: {exc.strerror}", path) from exc
    except UnicodeDecodeError as exc:
        raise BadProfile(f"not UTF-8 text (byte {exc.start}); save it as UTF-8", path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise BadProfile(f"not valid TOML: {exc}", path) from exc
    try:
        return SiteProfile.model_validate({**data, "source": path})
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise BadProfile(problems, path) from exc


def _problem(err) -> str:
    """'key: what is wrong' for one validation error."""
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, BadExtractRules):  # already says `extract.<field>: ...`
        return str(cause)
    return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
