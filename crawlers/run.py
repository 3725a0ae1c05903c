"""Run one crawl in a child process and report what it did."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import NewsarcError
from crawlers.crawl_lock import EXIT_BUSY
from crawlers.profile import load_profile

log = logging.getLogger(__name__)


class CrawlFailed(NewsarcError):
    """The crawl process died or timed out; what it archived so far stays on disk."""


class SiteBusy(CrawlFailed):
    """Another process is crawling this profile: refused, not worth retrying in this run."""


@dataclass
class CrawlResult:
    profile: str
    returncode: int
    stats: dict = field(default_factory=dict)

    @property
    def warc_files(self) -> list[Path]:
        return [Path(p) for p in self.stats.get("newsarc/warc_files", [])]

    @property
    def pages(self) -> int:
        return int(self.stats.get("response_received_count", 0))


def _crawl_environment() -> dict[str, str]:
    """The crawl child (and the browser it starts, which renders strangers' pages) gets no
    Prefect API secret: it never talks to Prefect."""
    return {k: v for k, v in os.environ.items() if not k.endswith("_AUTH_STRING")}


def run_crawl(profile_path: Path, data_dir: Path, *, timeout: float | None = 3600) -> CrawlResult:
    """Crawl one site profile into `data_dir/warcs`; resumes the profile's killed run if any."""
    profile = load_profile(profile_path)
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "crawlers.crawl",
        "--profile",
        str(profile_path),
        "--data",
        str(data_dir),
        "--parent-pid",
        str(os.getpid()),
    ]
    log.info("crawling %s: %s", profile.name, " ".join(command))
    try:
        completed = subprocess.run(
            command, timeout=timeout, capture_output=True, text=True, env=_crawl_environment()
        )
    except subprocess.TimeoutExpired as exc:
        raise CrawlFailed(f"crawl of {profile.name} exceeded {timeout}s; rerun to resume") from exc
    if completed.returncode == EXIT_BUSY:
        said = completed.stderr.strip().splitlines() or [f"{profile.name} is being crawled"]
        raise SiteBusy(said[-1].removeprefix("newsarc: "))
    if completed.returncode != 0:
        raise CrawlFailed(
            f"crawl of {profile.name} exited with {completed.returncode}; rerun to resume.\n"
            + completed.stderr[-4000:]
        )
    stats_path = data_dir / "jobs" / profile.name / "stats.json"
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
    return CrawlResult(profile.name, completed.returncode, stats)
