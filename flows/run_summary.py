"""What one crawl run did, for people: a summary dict (CLI table, `--json`) and Markdown (artifact).

Counts come from the crawl children's stats; new stories and changes from the catalog, read-only,
restricted to this run's crawl run ids, so a summary never counts an earlier run's changes.
"""

from __future__ import annotations

from pathlib import Path

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import IngestReport, quarantined
from crawlers.run import CrawlResult

MAX_LISTED_CHANGES = 30
_FAILURES = "newsarc/failures/"


def failures_by_kind(result: CrawlResult) -> dict[str, int]:
    return {k[len(_FAILURES) :]: int(v) for k, v in result.stats.items() if k.startswith(_FAILURES)}


def site_row(crawl: CrawlResult) -> dict:
    """One line of the summary table: what one site's crawl fetched and wrote."""
    stats = crawl.stats
    return {
        "site": crawl.profile,
        "status": "ok",
        "pages": crawl.pages,
        "responses": int(stats.get("newsarc/warc/response", 0)),
        "revisits": int(stats.get("newsarc/warc/revisit_identical", 0)),
        "not_modified": int(stats.get("newsarc/warc/revisit_not_modified", 0)),
        "errors": sum(failures_by_kind(crawl).values()),
        "warc_files": len(crawl.warc_files),
        "resumed": bool(stats.get("newsarc/resumed", False)),
    }


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


def summarise(
    data: Path,
    crawls: list[CrawlResult],
    failures: dict[str, str],
    verify: dict,
    duration: float,
) -> dict:
    """The run's summary; reads the catalog (read-only), so call it after ingest."""
    db_path = data / "archive.duckdb"
    run_ids = [c.stats["newsarc/run_id"] for c in crawls if c.stats.get("newsarc/run_id")]
    changes: dict[str, int] = {}
    listed: list[dict] = []
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
        listed = [{"kind": k, "url": u, "title": t} for k, u, t in rows]
    errors: dict[str, int] = {}
    warc_files: list[Path] = []
    for crawl in crawls:
        for kind, n in failures_by_kind(crawl).items():
            errors[kind] = errors.get(kind, 0) + n
        warc_files += [p for p in crawl.warc_files if p.exists()]
    per_site = [site_row(c) for c in crawls]
    per_site += [
        {"site": site, "status": "failed", "reason": why} for site, why in failures.items()
    ]

    def total(key: str) -> int:
        return sum(row.get(key, 0) for row in per_site)

    return {
        "sites": [c.profile for c in crawls],
        "failed_sites": failures,
        "per_site": per_site,
        "pages_fetched": total("pages"),
        "responses": total("responses"),
        "revisits_identical": total("revisits"),
        "not_modified_304": total("not_modified"),
        "errors_by_kind": errors,
        "warc_files": len(warc_files),
        "warc_bytes": sum(p.stat().st_size for p in warc_files),
        "new_stories": changes.get("new", 0),
        "changes_by_kind": changes,
        "changes": listed,
        "verify": verify,
        "quarantined": _quarantined(db_path),
        "duration_seconds": round(duration, 1),
        "data_dir": str(data.resolve()),
    }


def verify_problem(verify: dict) -> str:
    return "archive verification failed: " + "; ".join(verify["problems"])


def markdown(summary: dict) -> str:
    """The run summary as the Markdown of a Prefect artifact."""

    def table(title: str, counts: dict) -> list[str]:
        if not counts:
            return [f"**{title}:** none", ""]
        rows = [f"| {k} | {v} |" for k, v in sorted(counts.items())]
        return [f"**{title}**", "", "| kind | count |", "|---|---:|", *rows, ""]

    lines = ["# newsarc run summary", ""]
    if summary["failed_sites"]:
        lines += ["## Failed sites", ""]
        lines += [
            f"- **{site}**: {why.splitlines()[0]}" for site, why in summary["failed_sites"].items()
        ]
        lines.append("")
    lines += [
        "| | |",
        "|---|---:|",
        f"| sites crawled | {', '.join(summary['sites']) or 'none'} |",
        f"| pages fetched | {summary['pages_fetched']} |",
        f"| responses | {summary['responses']} |",
        f"| revisits (identical payload) | {summary['revisits_identical']} |",
        f"| 304 not modified | {summary['not_modified_304']} |",
        f"| WARC files written | {summary['warc_files']} |",
        f"| WARC bytes written | {summary['warc_bytes']:,} |",
        f"| new stories | {summary['new_stories']} |",
        f"| duration | {summary['duration_seconds']} s |",
        "",
    ]
    lines += table("Changes by kind", summary["changes_by_kind"])
    lines += table("Errors by kind", summary["errors_by_kind"])
    if summary["changes"]:
        lines += ["**Changes**", ""]
        lines += [
            f"- {c['kind']}: [{_md_text(c['title'])}]({c['url']})" for c in summary["changes"]
        ]
        lines.append("")
    if summary.get("quarantined"):
        lines += ["**Quarantined (damaged WARC files, their readable records catalogued)**", ""]
        lines += [f"- {_md_text(item)}" for item in summary["quarantined"]]
        lines.append("")
    verify = summary["verify"]
    status = "all intact" if verify["ok"] else verify_problem(verify)
    lines.append(
        f"**Verification:** {verify['files']} new WARC files, {verify['records']} records, {status}"
    )
    return "\n".join(lines) + "\n"


def _md_text(text: str) -> str:
    """Archived titles are untrusted: no Markdown or HTML of theirs is interpreted."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|" else c for c in text)
