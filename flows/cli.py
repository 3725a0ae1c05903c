"""The `newsarc` command line: crawl sites into WARC, catalog them in DuckDB, query them."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
console = Console()

# Fixed, so a second `newsarc demo` revisits the same URLs (and gets 304s and revisits).
DEMO_PORTS = {"aggregator": 8701, "translated": 8702}

DataOption = typer.Option(Path("data"), "--data", help="Data directory (WARCs, DuckDB, jobs).")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _print_run(run, data_dir: Path) -> None:
    table = Table(title="newsarc crawl")
    for column in ("profile", "pages", "responses", "revisits", "304s", "failures", "WARC files"):
        table.add_column(column, no_wrap=column == "profile")
    for crawl in run.crawls:
        s = crawl.stats
        failures = sum(v for k, v in s.items() if k.startswith("newsarc/failures/"))
        table.add_row(
            crawl.profile,
            str(crawl.pages),
            str(s.get("newsarc/warc/response", 0)),
            str(s.get("newsarc/warc/revisit_identical", 0)),
            str(s.get("newsarc/warc/revisit_not_modified", 0)),
            str(failures),
            str(len(crawl.warc_files)),
        )
    for path, reason in run.failures.items():
        table.add_row(path, "-", "-", "-", "-", "FAILED", reason.splitlines()[0])
    console.print(table)
    if run.ingest:
        console.print(
            f"catalog: {run.ingest.records_added} records added, "
            f"{run.ingest.errors_added} fetch errors"
        )
        _print_story_counts(data_dir)
    console.print(f"WARC files: {(data_dir / 'warcs').resolve()}")
    console.print(f"DuckDB:     {(data_dir / 'archive.duckdb').resolve()}")


def _print_story_counts(data_dir: Path) -> None:
    from archive.catalog import open_catalog

    con = open_catalog(data_dir / "archive.duckdb", read_only=True)
    try:
        stories, versions = con.execute(
            "SELECT count(*), coalesce(sum(version_count), 0) FROM articles"
        ).fetchone()
        kinds = con.execute("SELECT kind, count(*) FROM changes GROUP BY kind ORDER BY kind")
        changes = ", ".join(f"{n} {kind}" for kind, n in kinds.fetchall()) or "none"
    finally:
        con.close()
    console.print(f"stories: {stories} ({versions} versions); changes: {changes}")


@app.command()
def crawl(
    profiles: list[Path] = typer.Argument(..., help="Site profile TOML files."),
    data: Path = DataOption,
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Crawl the given site profiles into WARC files and catalog them in DuckDB."""
    from flows.pipeline import archive_profiles

    _setup_logging(verbose)
    run = archive_profiles(profiles, data)
    _print_run(run, data)
    if run.failures:
        raise typer.Exit(1)


def _demo_sites():
    """The bundled demo sites live in tests/sites of the source checkout."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "tests" / "sites").is_dir():
        console.print("[red]newsarc demo needs the source checkout (tests/sites is missing)")
        raise typer.Exit(2)
    sys.path.insert(0, str(root))
    from tests.sites import DemoSites

    return DemoSites


@app.command()
def demo(
    data: Path = DataOption,
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Start the bundled demo news sites on loopback and archive them."""
    from flows.pipeline import archive_profiles

    _setup_logging(verbose)
    demo_sites = _demo_sites()
    with demo_sites(ports=DEMO_PORTS) as sites:
        profiles = sites.write_profiles(data / "profiles")
        console.print(
            f"demo sites: {', '.join(sites.base_url(n) for n in ('aggregator', 'translated'))}"
        )
        run = archive_profiles([profiles["aggregator"], profiles["translated"]], data)
    _print_run(run, data)
    if run.failures:
        raise typer.Exit(1)


@app.command()
def ingest(data: Path = DataOption) -> None:
    """Index and catalog every closed WARC in the data directory (idempotent)."""
    from flows.pipeline import ingest_data_dir

    report = ingest_data_dir(data)
    console.print(f"{report.records_added} records added from {report.files} files")
    console.print(f"DuckDB: {(data / 'archive.duckdb').resolve()}")


@app.command()
def reindex(data: Path = DataOption) -> None:
    """Rebuild the whole DuckDB catalog from the WARC files alone."""
    from flows.pipeline import reindex as rebuild

    report = rebuild(data)
    console.print(f"rebuilt from {report.files} WARC files ({report.records_added} records)")
    console.print(f"DuckDB: {(data / 'archive.duckdb').resolve()}")


@app.command()
def export(
    data: Path = DataOption,
    output_format: str = typer.Option("parquet", "--format", help="Only parquet for now."),
    out: Path = typer.Option(None, "--out", help="Directory (default: DATA/export)."),
) -> None:
    """Write each public table (articles, article_versions, ...) to Parquet."""
    from flows.pipeline import export_tables

    if output_format != "parquet":
        raise typer.BadParameter("only --format parquet is supported")
    for path in export_tables(data, out or data / "export"):
        console.print(str(path.resolve()))


@app.command()
def extract(
    page: Path = typer.Argument(..., help="A saved HTML page."),
    url: str = typer.Option(None, "--url", help="The page's URL (default: file:// URL)."),
    captured_at: str = typer.Option(
        None, "--captured-at", help="Capture time, ISO 8601 (default: the file's mtime)."
    ),
) -> None:
    """Print the story record extracted from one saved page, as JSON."""
    import json
    from datetime import UTC, datetime

    from archive.extract import extract as extract_story

    moment = (
        datetime.fromisoformat(captured_at.replace("Z", "+00:00"))
        if captured_at
        else datetime.fromtimestamp(page.stat().st_mtime, UTC)
    )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    story = extract_story(url or page.resolve().as_uri(), page.read_bytes(), moment)
    print(json.dumps(story.to_json_dict(), ensure_ascii=False, indent=2))


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run against the archive's DuckDB."),
    data: Path = DataOption,
    output: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """Run SQL against the catalog and print the result."""
    from archive.catalog import open_catalog

    con = open_catalog(data / "archive.duckdb", read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    if output == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif output == "json":
        import json

        print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str))
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


if __name__ == "__main__":
    app()
