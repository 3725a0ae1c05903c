"""What one crawl run did, for people: a `RunSummary` (the CLI's table, `--format json|csv`, and
the Markdown of the run's Prefect artifact).

Counts come from the crawl children's stats; new stories and changes from the catalog, read-only,
restricted to this run's crawl run ids, so a summary never counts an earlier run's changes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import IngestReport, quarantined
from crawlers.run import CrawlResult
from flows.archive_checks import VerifyReport

MAX_LISTED_CHANGES = 30
_FAILURES = "newsarc/failures/"


def failures_by_kind(result: CrawlResult) -> dict[str, int]:
    return {k[len(_FAILURES) :]: int(v) for k, v in result.stats.items() if k.startswith(_FAILURES)}


@dataclass(frozen=True)
class SiteRow:
    """One line of the summary table: what one site's crawl fetched and wrote, or why it failed."""

    site: str
    status: str  # "ok" or "failed"
    pages: int = 0
    responses: int = 0
    revisits: int = 0
    not_modified: int = 0
    errors: int = 0
    warc_files: int = 0
    resumed: bool = False
    reason: str = ""

    @classmethod
    def crawled(cls, crawl: CrawlResult) -> SiteRow:
        stats = crawl.stats
        return cls(
            site=crawl.profile,
            status="ok",
            pages=crawl.pages,
            responses=int(stats.get("newsarc/warc/response", 0)),
            revisits=int(stats.get("newsarc/warc/revisit_identical", 0)),
            not_modified=int(stats.get("newsarc/warc/revisit_not_modified", 0)),
            errors=sum(failures_by_kind(crawl).values()),
            warc_files=len(crawl.warc_files),
            resumed=bool(stats.get("newsarc/resumed", False)),
        )

    @classmethod
    def failed(cls, site: str, reason: str) -> SiteRow:
        return cls(site=site, status="failed", reason=reason)

    def to_dict(self) -> dict:
        """A failed site has only a reason; a crawled one has no reason."""
        if self.status == "failed":
            return {"site": self.site, "status": self.status, "reason": self.reason}
        row = asdict(self)
        del row["reason"]
        return row


@dataclass(frozen=True)
class ListedChange:
    """One change this run detected, as the summary links it."""

    kind: str
    url: str
    title: str


def _catalog_rows(db_path: Path, sql: str, params: list) -> list[tuple]:
    if not db_path.exists():
        return []
    con = open_catalog(db_path, read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def quarantine_lines(report: IngestReport) -> list[str]:
    """One line per damaged span the ingest stepped over: file, offset, reason, what to do."""
    return [
        f"quarantined: {q} (the file is left as it is; its readable records are catalogued)"
        for q in report.quarantined
    ]


def ingest_lines(report: IngestReport) -> list[str]:
    """What `newsarc ingest` did, for people: the totals, then every quarantined file."""
    return [
        f"{report.records_added} records added from {report.files} files",
        *quarantine_lines(report),
    ]


def _quarantined(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    con = open_catalog(db_path, read_only=True)
    try:
        return [str(q) for q in quarantined(con)]
    finally:
        con.close()


@dataclass(frozen=True)
class RunSummary:
    """What one archive round did: per site, in total, the changes it found, and the check of the
    files it wrote. `to_dict` is the `--format json` document; `markdown` the Prefect artifact."""

    sites: list[str]
    failed_sites: dict[str, str]
    per_site: list[SiteRow]
    pages_fetched: int
    responses: int
    revisits_identical: int
    not_modified_304: int
    errors_by_kind: dict[str, int]
    warc_files: int
    warc_bytes: int
    new_stories: int
    changes_by_kind: dict[str, int]
    changes: list[ListedChange]
    verify: VerifyReport
    duration_seconds: float
    data_dir: str
    quarantined: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            **{f: getattr(self, f) for f in self.__dataclass_fields__},
            "per_site": [row.to_dict() for row in self.per_site],
            "changes": [asdict(change) for change in self.changes],
            "verify": self.verify.to_dict(),
        }

    def markdown(self) -> str:
        """The run summary as the Markdown of a Prefect artifact."""
        lines = ["# newsarc run summary", ""]
        if self.failed_sites:
            lines += ["## Failed sites", ""]
            lines += [
                f"- **{site}**: {why.splitlines()[0]}" for site, why in self.failed_sites.items()
            ]
            lines.append("")
        lines += [
            "| | |",
            "|---|---:|",
            f"| sites crawled | {', '.join(self.sites) or 'none'} |",
            f"| pages fetched | {self.pages_fetched} |",
            f"| responses | {self.responses} |",
            f"| revisits (identical payload) | {self.revisits_identical} |",
            f"| 304 not modified | {self.not_modified_304} |",
            f"| WARC files written | {self.warc_files} |",
            f"| WARC bytes written | {self.warc_bytes:,} |",
            f"| new stories | {self.new_stories} |",
            f"| duration | {self.duration_seconds} s |",
            "",
        ]
        lines += _count_table("Changes by kind", self.changes_by_kind)
        lines += _count_table("Errors by kind", self.errors_by_kind)
        if self.changes:
            lines += ["**Changes**", ""]
            lines += [f"- {c.kind}: [{_md_text(c.title)}]({c.url})" for c in self.changes]
            lines.append("")
        if self.quarantined:
            lines += ["**Quarantined (damaged WARC files, their readable records catalogued)**", ""]
            lines += [f"- {_md_text(item)}" for item in self.quarantined]
            lines.append("")
        verify = self.verify
        status = "all intact" if verify.ok else verify.failure()
        lines.append(
            f"**Verification:** {verify.files} new WARC files, {verify.records} records, {status}"
        )
        return "\n".join(lines) + "\n"


def _count_table(title: str, counts: dict) -> list[str]:
    if not counts:
        return [f"**{title}:** none", ""]
    rows = [f"| {k} | {v} |" for k, v in sorted(counts.items())]
    return [f"**{title}**", "", "| kind | count |", "|---|---:|", *rows, ""]


def summarise(
    data: Path,
    crawls: list[CrawlResult],
    failures: dict[str, str],
    verify: VerifyReport,
    duration: float,
) -> RunSummary:
    """The run's summary; reads the catalog (read-only), so call it after ingest."""
    db_path = data / "archive.duckdb"
    run_ids = [c.stats["newsarc/run_id"] for c in crawls if c.stats.get("newsarc/run_id")]
    changes: dict[str, int] = {}
    listed: list[ListedChange] = []
    if run_ids:
        marks = ", ".join("?" for _ in run_ids)
        this_run = f"""
            FROM changes ch JOIN captures c ON c.record_id = ch.capture_id
            LEFT JOIN articles a ON a.article_id = ch.article_id
            WHERE c.run_id IN ({marks})"""  # noqa: S608 - only placeholders are interpolated
        changes = dict(
            _catalog_rows(db_path, f"SELECT ch.kind, count(*) {this_run} GROUP BY 1", run_ids)
        )
        rows = _catalog_rows(
            db_path,
            "SELECT ch.kind, a.canonical_url, coalesce(a.title_en, a.title_zh, a.canonical_url)"
            f" {this_run} ORDER BY ch.detected_at, a.canonical_url LIMIT {MAX_LISTED_CHANGES}",
            run_ids,
        )
        listed = [ListedChange(k, u, t) for k, u, t in rows]
    errors: dict[str, int] = {}
    warc_files: list[Path] = []
    for crawl in crawls:
        for kind, n in failures_by_kind(crawl).items():
            errors[kind] = errors.get(kind, 0) + n
        warc_files += [p for p in crawl.warc_files if p.exists()]
    per_site = [SiteRow.crawled(c) for c in crawls]
    per_site += [SiteRow.failed(site, why) for site, why in failures.items()]
    return RunSummary(
        sites=[c.profile for c in crawls],
        failed_sites=dict(failures),
        per_site=per_site,
        pages_fetched=sum(row.pages for row in per_site),
        responses=sum(row.responses for row in per_site),
        revisits_identical=sum(row.revisits for row in per_site),
        not_modified_304=sum(row.not_modified for row in per_site),
        errors_by_kind=errors,
        warc_files=len(warc_files),
        warc_bytes=sum(p.stat().st_size for p in warc_files),
        new_stories=changes.get("new", 0),
        changes_by_kind=changes,
        changes=listed,
        verify=verify,
        quarantined=_quarantined(db_path),
        duration_seconds=round(duration, 1),
        data_dir=str(data.resolve()),
    )


def _md_text(text: str) -> str:
    """Archived titles are untrusted: no Markdown or HTML of theirs is interpreted."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|" else c for c in text)
