"""The `newsarc` command line: crawl sites into WARC, catalog them in DuckDB, query them."""

from __future__ import annotations

import csv
import json
import logging
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive.errors import DataDirMissing, NewsarcError
from flows.cli_errors import OneLineErrors

app = typer.Typer(cls=OneLineErrors, help=__doc__, no_args_is_help=True, add_completion=False)
console = Console()

# Fixed, so a second `newsarc demo` revisits the same URLs (and gets 304s and revisits).
DEMO_PORTS = {"aggregator": 8701, "translated": 8702}

DataOption = typer.Option(
    Path("data"),
    "--data",
    envvar="NEWSARC_DATA",
    help="Data directory (WARCs, DuckDB, jobs); or the NEWSARC_DATA environment variable.",
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"newsarc {version('newsarc')}")
        raise typer.Exit()


@app.callback()
def main(
    _version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Crawl sites into WARC, catalog them in DuckDB, query them."""


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


class OutputFormat(StrEnum):
    """How a command prints what it found: the same three words for every command."""

    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    parquet = "parquet"
    wacz = "wacz"


FormatOption = typer.Option(
    OutputFormat.table, "--format", help="How to print it: table (for people), json or csv."
)


def _print_csv(columns: list[str], rows: list[list]) -> None:
    """CSV on stdout: a header, then one line per row; lists and mappings as JSON text."""

    def cell(value):
        if value is None:
            return ""
        if isinstance(value, list | tuple | dict):
            return json.dumps(value, ensure_ascii=False, default=str)
        return value

    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    writer.writerows([cell(v) for v in row] for row in rows)


def _print_dict_rows(rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    _print_csv(columns, [[row.get(c) for c in columns] for row in rows])


QuietOption = typer.Option(False, "--quiet", "-q", help="No progress and no table; errors only.")
ParallelOption = typer.Option(2, "--parallel", help="Sites crawled at the same time.")
VerboseOption = typer.Option(False, "--verbose", "-v", help="Prefect's INFO logs too.")


def _archive(
    profiles: list[Path],
    data: Path,
    *,
    parallel: int,
    quiet: bool,
    output: OutputFormat,
    verbose: bool,
) -> None:
    """Run the `archive-all` flow with a live display, then print its summary; exit 1 on failure."""
    from flows.prefect_env import apply_prefect_defaults
    from flows.rounds import refuse_if_running

    refuse_if_running(data, profiles)  # a second run of these sites: one line, before Prefect
    apply_prefect_defaults(log_level="INFO" if verbose else "WARNING")
    from rich.live import Live

    from flows.live_display import CrawlBoard
    from flows.local_server import prefect_api

    _setup_logging(verbose)
    with prefect_api(data):  # before Prefect is imported: it reads its settings once
        from flows.prefect_flows import archive_all

        if quiet or output is not OutputFormat.table:
            state = archive_all(profiles, data, max_parallel=parallel, return_state=True)
        else:
            board = CrawlBoard(data, profiles)
            with Live(board, console=console, refresh_per_second=2, transient=True):
                state = archive_all(profiles, data, max_parallel=parallel, return_state=True)
    outcome = state.result(raise_on_failure=False)
    failed = not state.is_completed()
    summary = outcome if not failed else getattr(outcome, "summary", None)
    if output is OutputFormat.json:
        error = state.message if failed else None
        document = summary.to_dict() if summary is not None else None
        print(json.dumps({"ok": not failed, "error": error, "summary": document}, default=str))
    elif failed and summary is None:  # the run broke before it could summarise
        Console(stderr=True).print(f"[red]failed:[/red] {escape(str(outcome))}", highlight=False)
    elif quiet or output is OutputFormat.csv:
        if output is OutputFormat.csv:
            _print_dict_rows([row.to_dict() for row in summary.per_site])
        for site, why in summary.failed_sites.items():
            Console(stderr=True).print(f"failed: {site}: {why.splitlines()[0]}", markup=False)
    else:
        _print_summary(summary, data)
    if failed:
        raise typer.Exit(1)


def _print_summary(summary, data_dir: Path) -> None:
    """The run summary (`flows.run_summary.RunSummary`) as a table and a few lines."""
    table = Table(title="newsarc crawl")
    columns = ("site", "pages", "responses", "revisits", "304s", "errors", "WARC files")
    for column in columns:
        table.add_column(column, no_wrap=column == "site")
    for row in summary.per_site:
        if row.status == "failed":
            table.add_row(row.site, "-", "-", "-", "-", "FAILED", "-")
            continue
        numbers = (row.pages, row.responses, row.revisits, row.not_modified, row.errors)
        table.add_row(row.site, *map(str, numbers), str(row.warc_files))
    console.print(table)
    for site, why in summary.failed_sites.items():
        console.print(f"[red]failed:[/red] {escape(site)}: {escape(why)}", highlight=False)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.changes_by_kind.items()))
    console.print(
        f"this run: {summary.pages_fetched} pages, {summary.new_stories} new stories, "
        f"changes: {kinds or 'none'}, {summary.warc_files} WARC files "
        f"({summary.warc_bytes:,} bytes), {summary.duration_seconds} s"
    )
    if not summary.verify.ok:
        for problem in summary.verify.problems:
            console.print(f"[red]verify:[/red] {escape(problem)}", highlight=False)
    _print_story_counts(data_dir)
    console.print(f"WARC files: {(data_dir / 'warcs').resolve()}")
    console.print(f"DuckDB:     {(data_dir / 'archive.duckdb').resolve()}")
    console.print(f"published:  {(data_dir / 'lake').resolve()}")


def _print_story_counts(data_dir: Path) -> None:
    from archive.catalog.lake import catalog_path, open_lake_reader

    if not catalog_path(data_dir).exists():
        return
    con = open_lake_reader(data_dir)
    try:
        stories, versions = con.execute(
            "SELECT count(*), coalesce(sum(version_count), 0) FROM articles"
        ).fetchone()
        kinds = con.execute("SELECT kind, count(*) FROM changes GROUP BY kind ORDER BY kind")
        changes = ", ".join(f"{n} {kind}" for kind, n in kinds.fetchall()) or "none"
    finally:
        con.close()
    console.print(f"archive: {stories} stories ({versions} versions); changes: {changes}")


@app.command()
def crawl(
    profiles: list[Path] = typer.Argument(..., help="Site profile TOML files."),
    data: Path = DataOption,
    parallel: int = ParallelOption,
    quiet: bool = QuietOption,
    output: OutputFormat = FormatOption,
    verbose: bool = VerboseOption,
) -> None:
    """Crawl the given site profiles into WARC files and catalog them in DuckDB (Prefect flow
    `archive-all`: live progress, then a summary table; a failing site never stops the others)."""
    _check_profiles(profiles)
    _archive(profiles, data, parallel=parallel, quiet=quiet, output=output, verbose=verbose)


def _check_profiles(paths: list[Path]) -> None:
    """Load every profile now, so a mistake is one line in a second, before Prefect starts and
    before the data directory is created (`BadProfile` names the file and the key)."""
    from crawlers.profile import load_profile

    for path in paths:
        load_profile(path)


profile_app = typer.Typer(help="Site profiles (TOML): check them before a crawl.")
app.add_typer(profile_app, name="profile")


@profile_app.command("check")
def profile_check(
    files: list[Path] = typer.Argument(..., help="Site profile TOML files."),
) -> None:
    """Load and validate each profile without crawling: one line per file, `ok` or what is wrong
    (the file, the key, what is allowed); exit 1 if any is bad."""
    from archive.errors import BadProfile
    from crawlers.profile import load_profile

    bad = 0
    for path in files:
        try:
            profile = load_profile(path)
        except BadProfile as exc:
            bad += 1
            print(" ".join(str(exc).split()))  # one line, whatever the parser's message held
        else:
            print(f"{path}: ok ({profile.name})")
    if bad:
        raise typer.Exit(1)


def _existing(data: Path) -> Path:
    """*data*, which must exist: commands that read an archive never invent an empty one."""
    if not data.is_dir():
        raise DataDirMissing(data)
    return data


def _demo_sites():
    """The bundled demo news sites (flows/demo_sites), imported only when asked for."""
    from flows.demo_sites import DemoSites

    return DemoSites


@app.command()
def demo(
    data: Path = DataOption,
    quiet: bool = QuietOption,
    output: OutputFormat = FormatOption,
    verbose: bool = VerboseOption,
) -> None:
    """Start the bundled demo news sites on loopback and archive them (as `newsarc crawl`)."""
    demo_sites = _demo_sites()
    with demo_sites(ports=DEMO_PORTS) as sites:
        profiles = sites.write_profiles(data / "profiles")
        if not quiet and output is OutputFormat.table:
            urls = ", ".join(sites.base_url(n) for n in ("aggregator", "translated"))
            console.print(f"demo sites: {urls}")
        _archive(
            [profiles["aggregator"], profiles["translated"]], data,
            parallel=2, quiet=quiet, output=output, verbose=verbose,
        )  # fmt: skip


@app.command()
def serve(
    profiles: list[Path] = typer.Argument(..., help="Site profile TOML files."),
    data: Path = DataOption,
    limit: int = typer.Option(2, "--limit", help="Flow runs at the same time."),
    port: int = typer.Option(4200, "--port", help="Port of the local Prefect server (and UI)."),
) -> None:
    r"""Serve the flows as Prefect deployments: each profile's crawl on its `\[schedule]`, the
    rest on demand. Without PREFECT_API_URL a local Prefect server (UI included) runs alongside."""
    import os

    _check_profiles(profiles)

    from flows.prefect_env import AUTH_STRING_FILE, apply_prefect_defaults

    apply_prefect_defaults(log_level="INFO")
    _setup_logging(False)
    from flows.local_server import prefect_api

    if not os.environ.get("PREFECT_API_URL"):
        log = (data / "logs" / "prefect-server.log").resolve()
        console.print(f"starting a local Prefect server on 127.0.0.1:{port} (log: {log})")

    def announce(server) -> None:
        console.print(f"Prefect UI: {server.origin} (auth string: {data / AUTH_STRING_FILE})")

    with prefect_api(data, ui=True, port=port, announce=announce):
        _serve(profiles, data, limit)


def _serve(profiles: list[Path], data: Path, limit: int) -> None:
    from prefect import serve as prefect_serve

    from flows.deployments import site_deployments

    prefect_serve(*site_deployments(profiles, data), limit=limit)


@app.command()
def verify(data: Path = DataOption, output: OutputFormat = FormatOption) -> None:
    """Check every WARC (framing and digests), its CDXJ index and the catalog against the files."""
    _existing(data)
    from flows.prefect_env import apply_prefect_defaults

    apply_prefect_defaults(log_level="WARNING")
    from flows.local_server import prefect_api

    with prefect_api(data):
        from flows.prefect_flows import verify_archive

        state = verify_archive(data, return_state=True)
    outcome = state.result(raise_on_failure=False)
    failed = not state.is_completed()
    report = getattr(outcome, "report", None) if failed else outcome
    if output is OutputFormat.json and report is not None:
        print(json.dumps(report.to_dict()))
    elif output is OutputFormat.csv and report is not None:
        _print_dict_rows([report.to_dict()])
    if failed:
        Console(stderr=True).print(f"[red]{escape(state.message or 'failed')}", highlight=False)
        raise typer.Exit(1)
    where = console if output is OutputFormat.table else Console(stderr=True)  # stdout: data only
    if output is OutputFormat.table:
        console.print(report.headline(), highlight=False)
    where.print(f"WARC files: {(data / 'warcs').resolve()}", highlight=False)


@app.command()
def ingest(data: Path = DataOption) -> None:
    """Index and catalog every closed WARC in the data directory (idempotent)."""
    from flows.pipeline import ingest_data_dir
    from flows.run_summary import ingest_lines

    _existing(data)
    report = ingest_data_dir(data)
    for line in ingest_lines(report):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"DuckDB: {(data / 'archive.duckdb').resolve()}")
    console.print(f"published: {(data / 'lake').resolve()}")


@app.command()
def reindex(data: Path = DataOption) -> None:
    """Rebuild the whole DuckDB catalog from the WARC files alone."""
    _existing(data)
    from flows.pipeline import reindex as rebuild

    report = rebuild(data)
    console.print(f"rebuilt from {report.files} WARC files ({report.records_added} records)")
    console.print(f"DuckDB: {(data / 'archive.duckdb').resolve()}")


@app.command()
def export(
    data: Path = DataOption,
    output_format: ExportFormat = typer.Option(
        ExportFormat.parquet,
        "--format",
        help="parquet: each public table; wacz: a WACZ 1.1.1 package of the WARCs.",
    ),
    out: Path = typer.Option(
        None, "--out", help="parquet: a directory (default DATA/export); wacz: the .wacz file."
    ),
    site: str = typer.Option(None, "--site", help="wacz: only this site's captures."),
    since: str = typer.Option(
        None, "--since", help="wacz: only captures since a time or an age (2026-11-01, 3d)."
    ),
) -> None:
    """Write each public table to Parquet, or the archive as a WACZ package for replay tools."""
    _existing(data)
    if output_format is ExportFormat.wacz:
        from flows.wacz_export import export_wacz_command

        export_wacz_command(data, out=out, site=site, since=_parse_since(since), console=console)
        return
    from flows.pipeline import export_tables

    for path in export_tables(data, out or data / "export"):
        console.print(str(path.resolve()))


@app.command("import")
def import_warcs(
    paths: list[Path] = typer.Argument(
        ..., help="WARC (.warc, .warc.gz) and WACZ files, or directories of them."
    ),
    data: Path = DataOption,
    profile: Path = typer.Option(
        None, "--profile", help="Assign the captures to this site profile (its story patterns)."
    ),
    site: str = typer.Option(None, "--site", help="Assign the captures to this site name."),
    output: OutputFormat = FormatOption,
) -> None:
    """Take in WARC and WACZ files from any crawler: check, copy, catalog and ingest them."""
    from flows.importer import import_command

    import_command(data, paths, profile=profile, site=site, output=output, console=console)


@app.command()
def replay(
    data: Path = DataOption,
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (loopback by default)."
    ),
) -> None:
    """Replay the archive in a browser with pywb, over the WARCs in place; prints the URL."""
    from flows.replay_server import replay_command

    _existing(data)
    replay_command(data, host=host, port=port, console=console)


@app.command()
def extract(
    page: Path = typer.Argument(..., help="A saved HTML page.", exists=True, dir_okay=False),
    url: str = typer.Option(None, "--url", help="The page's URL (default: file:// URL)."),
    captured_at: str = typer.Option(
        None, "--captured-at", help="Capture time, ISO 8601 (default: the file's mtime)."
    ),
    profile: Path = typer.Option(
        None, "--profile", help="Apply this site profile's [extract] rules (default: none)."
    ),
) -> None:
    """Print the story record extracted from one saved page, as JSON."""
    import json
    from datetime import UTC, datetime

    from archive.stories.extract import extract as extract_story
    from crawlers.profile import load_profile

    rules = load_profile(profile).extract if profile else None
    if captured_at:
        moment = _parse_time(captured_at, "--captured-at")
    else:
        moment = datetime.fromtimestamp(page.stat().st_mtime, UTC)
    story = extract_story(url or page.resolve().as_uri(), page.read_bytes(), moment, rules=rules)
    print(json.dumps(story.to_json_dict(), ensure_ascii=False, indent=2))


def _open_lake(data: Path, as_of=None, threads: int | None = None):
    """The published archive (DATA/lake), read-only and sealed, as of its last snapshot or
    *as_of* (a snapshot id or a time): never waits for an ingest, never makes one wait."""
    from archive.catalog.lake import open_lake_reader

    return open_lake_reader(_existing(data), as_of, threads=threads)


def _parse_snapshot(value: str | None, option: str):
    """A snapshot id (`newsarc snapshots` lists them) or an ISO 8601 time."""
    if value is None:
        return None
    if value.strip().isdigit():
        return int(value)
    return _parse_time(value, option, "nor a snapshot id; `newsarc snapshots` lists them")


AsOfOption = typer.Option(
    None, "--as-of", help="Read the archive as it was: a snapshot id or an ISO time."
)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run against the archive (the published lake)."),
    data: Path = DataOption,
    output: OutputFormat = FormatOption,
    as_of: str = AsOfOption,
) -> None:
    """Run SQL against the archive's public tables and print the result. Reads the last
    published snapshot (or --as-of one), so it never waits for an ingest. Read-only: the SQL
    sees the archive and nothing else (no files read or written, no extensions, no settings)."""
    con = _open_lake(data, _parse_snapshot(as_of, "--as-of"))
    try:
        columns, rows = _run_query(con, sql)
    finally:
        con.close()
    if output is OutputFormat.csv:
        _print_csv(columns, rows)
    elif output is OutputFormat.json:
        print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], default=str))
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


def _run_query(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of *sql*; DuckDB's refusals and SQL mistakes become one-line errors.

    DuckDB 1.5.5 lets `enable_logging()` name a log file despite the locked configuration: the
    seal refuses the write, but that refusal aborts the whole process, so it is refused here."""
    import re

    import duckdb

    from archive.catalog.lake import refuse_file_access
    from archive.errors import QueryFailed, QueryRefused

    if re.search(r"\benable_logging\s*\(", sql, re.IGNORECASE):
        raise QueryRefused("enable_logging() could write a log file")
    refuse_file_access(sql)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:  # a statement without a result, e.g. SET or CHECKPOINT
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        refused = isinstance(exc, duckdb.PermissionException) or any(
            words in reason for words in ("read-only mode", "configuration has been locked")
        )
        raise (QueryRefused if refused else QueryFailed)(reason) from None


def _parse_time(value: str, option: str, expected: str = "e.g. 2026-11-20T10:00:00Z"):
    """An ISO 8601 date or time, UTC if it names no zone."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO 8601 time ({expected})", param_hint=option
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse_since(value: str | None):
    """`24h`, `30m`, `7d`, `2w` before now (wall clock), or an ISO 8601 date/time (UTC if naive)."""
    import re
    from datetime import UTC, datetime, timedelta

    if not value:
        return None
    relative = re.fullmatch(r"(\d+)\s*([mhdw])", value.strip())
    if not relative:
        return _parse_time(value, "--since", "nor 24h, 7d, 30m or 2w")
    unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[relative.group(2)]
    try:
        return datetime.now(UTC) - timedelta(**{unit: int(relative.group(1))})
    except OverflowError:  # before the year 1
        raise typer.BadParameter(
            f"{value!r} reaches back before the year 1; give a shorter span", param_hint="--since"
        ) from None


def _diff_text(diff: str):
    """A `changes.diff` as rich Text: English fields first, then Chinese; - red, + green.

    Archived text goes in as plain Text, never as markup: `[title_en]` or `[bold]` in a story
    must print as written.
    """
    from rich.text import Text

    from archive.stories.report import diff_blocks, field_language

    order = {"en": 0, "zh": 1, "": 2}
    blocks = sorted(diff_blocks(diff).items(), key=lambda item: order[field_language(item[0])])
    text = Text()
    for name, lines in blocks:
        text.append(f"{name}\n", style="bold")
        for line in lines:
            style = {"-": "red", "+": "green"}.get(line[:1], "")
            text.append(line + "\n", style=style)
    text.rstrip()
    return text


def _change_summary(row) -> str:
    if row.kind == "edited":
        claim = "claimed" if row.claimed else "silent"
        return f"v{row.from_version}→v{row.to_version} {claim}: {', '.join(row.fields)}"
    return f"v{row.to_version or row.from_version}"


@app.command()
def changes(
    since: str = typer.Option(
        None,
        "--since",
        help="Only changes detected after now minus 24h, 7d, 30m, 2w, or an ISO time.",
    ),
    site: str = typer.Option(None, "--site", help="Only this site (profile name)."),
    kind: list[str] = typer.Option(
        None, "--kind", help="new, edited, claimed_update, removed or restored (repeatable)."
    ),
    output: OutputFormat = FormatOption,
    data: Path = DataOption,
    html: Path = typer.Option(None, "--html", help="Also write the HTML change report here."),
    replay: str = typer.Option(
        None, "--replay-base", help="pywb collection URL for the report's replay links."
    ),
    between: tuple[str, str] | None = typer.Option(
        None,
        "--between",
        help="Only changes published after snapshot A up to B "
        "(snapshot ids or ISO times), read as of B.",
    ),  # fmt: skip
) -> None:
    """Print what changed in the archived stories, with per-language diffs (- red, + green)."""
    from archive.stories.report import KINDS, recent_changes, write_change_report

    unknown = set(kind or []) - set(KINDS)
    if unknown:
        raise typer.BadParameter(f"unknown kind {sorted(unknown)}; choose from {', '.join(KINDS)}")
    moment = _parse_since(since)
    start, end = (_parse_snapshot(v, "--between") for v in between or (None, None))
    con = _open_lake(data, end)
    db_path = data / "lake"
    try:
        rows = recent_changes(con, since=moment, site=site, kinds=kind or None)
        if start is not None:
            rows = _published_after(con, rows, start)
        if html:
            write_change_report(
                con, html, since=moment, site=site, kinds=kind or None,
                warc_dir=data / "warcs", replay_base=replay, changes=rows,
            )  # fmt: skip
    finally:
        con.close()
    where = Console(stderr=True)
    if output is OutputFormat.json:
        print(json.dumps([r.to_json_dict() for r in rows], ensure_ascii=False, default=str))
    elif output is OutputFormat.csv:
        _print_dict_rows([r.to_json_dict() for r in rows])
    elif rows:  # no change, no table: nothing on stdout (the count goes to stderr)
        from rich.text import Text

        table = Table(title="story changes", expand=True)
        table.add_column("detected (UTC)", ratio=1)
        table.add_column("kind", no_wrap=True)
        table.add_column("story", ratio=2)
        table.add_column("change", ratio=1)
        table.add_column("diff", ratio=4)
        for r in rows:
            title = Text(r.title_en or "")
            title.append("\n" + (r.title_zh or ""))
            title.append(f"\n{r.site} {r.article_id}", style="dim")
            detected = r.detected_at.strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(detected, r.kind, title, Text(_change_summary(r)), _diff_text(r.diff))
        console.print(table)
    where.print(f"{len(rows)} changes from {db_path.resolve()}")
    if html:
        where.print(f"HTML report: {html.resolve()}")


def _published_after(con, rows: list, start) -> list:
    """*rows* without the changes the archive already held at snapshot (or time) *start*."""
    import duckdb

    from archive.catalog.lake import LAKE

    if isinstance(start, int):
        known = con.execute(
            f"SELECT snapshot_id FROM {LAKE}.snapshots() WHERE snapshot_id = ?", [start]
        )
        if known.fetchone() is None:
            raise NewsarcError(f"no snapshot {start}: `newsarc snapshots` lists them")
    at = "TIMESTAMP => ?::TIMESTAMPTZ" if not isinstance(start, int) else "VERSION => ?"
    try:
        held = set(
            con.execute(
                f"SELECT article_id, kind, detected_at FROM {LAKE}.changes AT ({at})", [start]
            ).fetchall()
        )
    except duckdb.InvalidInputException:  # the table did not exist yet at that snapshot
        held = set()
    return [r for r in rows if (r.article_id, r.kind, r.detected_at) not in held]


@app.command()
def snapshots(data: Path = DataOption, output: OutputFormat = FormatOption) -> None:
    """List the archive's snapshots (one per ingest): id, time and what that ingest added. Give
    an id or a time to `query --as-of` or `changes --between`."""
    from archive.catalog.lake import snapshots as list_snapshots

    con = _open_lake(data)
    try:
        rows = list_snapshots(con)
    finally:
        con.close()
    if output is OutputFormat.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
    elif output is OutputFormat.csv:
        _print_dict_rows(rows)
    else:
        table = Table(title="archive snapshots")
        for column in ("snapshot", "time (UTC)", "message", "rows added / removed"):
            table.add_column(column)
        for row in rows:
            added = row["added"]
            counts = ", ".join(
                f"{name} +{n}" for name, n in sorted(added.get("inserted", {}).items())
            )
            removed = sum(added.get("deleted", {}).values())
            if removed:
                counts += f" (-{removed} replaced)"
            moment = f"{row['snapshot_time']:%Y-%m-%d %H:%M:%S}"
            table.add_row(str(row["snapshot_id"]), moment, row["message"], counts)
        console.print(table)
    Console(stderr=True).print(f"{len(rows)} snapshots in {(data / 'lake').resolve()}")


@app.command()
def maintain(
    data: Path = DataOption,
    expire_older_than: str = typer.Option(
        "30d", "--expire-older-than", help="Expire snapshots older than this: 30d, 12h, 2w."
    ),
    output: OutputFormat = FormatOption,
) -> None:
    """Expire old snapshots of the published archive and compact its small files (the latest
    snapshot is always kept; `--as-of` can no longer reach an expired one)."""
    import re
    from dataclasses import asdict
    from datetime import timedelta

    from archive.catalog.lake import maintain as maintain_lake

    match = re.fullmatch(r"(\d+)\s*([mhdw])", expire_older_than.strip())
    if not match:
        raise typer.BadParameter(
            f"{expire_older_than!r} is not a span like 30d, 12h, 90m or 2w",
            param_hint="--expire-older-than",
        )
    unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
    done = maintain_lake(_existing(data), timedelta(**{unit: int(match.group(1))}))
    if output is OutputFormat.json:
        print(json.dumps(asdict(done)))
    elif output is OutputFormat.csv:
        _print_dict_rows([asdict(done)])
    else:
        console.print(
            f"expired {done.snapshots_expired} snapshots ({done.snapshots_kept} kept); data "
            f"files {done.data_files_before} -> {done.data_files_after}; "
            f"{done.files_deleted} files deleted"
        )
    Console(stderr=True).print(f"published archive: {(data / 'lake').resolve()}")


@app.command()
def history(
    story: str = typer.Argument(
        ..., help="The story's article_id, canonical URL or any URL of it."
    ),
    data: Path = DataOption,
    output: OutputFormat = FormatOption,
    replay: str = typer.Option(
        None,
        "--replay-base",
        help="pywb collection URL of the replay links "
        "(default: NEWSARC_REPLAY_BASE, else http://127.0.0.1:8080/newsarc, `newsarc replay`).",
    ),
) -> None:
    """Show a story's versions (each with its replay link) and the diffs between them."""
    from archive.stories.report import find_story, recent_changes, story_versions

    con = _open_lake(data)
    db_path = data / "lake"
    try:
        article_id = find_story(con, story)
        if article_id is None:
            raise NewsarcError(
                f"no story {story!r} in {db_path.resolve()}: give its article_id, canonical URL "
                "or any URL of it (`newsarc query 'SELECT article_id, canonical_url FROM "
                "articles'` lists them)"
            )
        versions = story_versions(con, article_id, replay)
        events = recent_changes(con, article_id=article_id)
    finally:
        con.close()
    if output is OutputFormat.csv:
        _print_dict_rows(versions)
    elif output is OutputFormat.json:
        document = {
            "article_id": article_id,
            "versions": versions,
            "changes": [e.to_json_dict() for e in events],
        }
        print(json.dumps(document, ensure_ascii=False, default=str))
    else:
        from rich.style import Style
        from rich.text import Text

        table = Table(title=article_id, expand=True)
        table.add_column("version", no_wrap=True)
        table.add_column("captured (UTC)", ratio=1)
        table.add_column("content hash", ratio=1, overflow="fold")
        table.add_column("title", ratio=2)
        table.add_column("capture", ratio=1, overflow="fold")
        for v in versions:
            title = Text(v["title_en"] or "")
            title.append("\n" + (v["title_zh"] or ""))
            capture = Text(f"{v['warc_file']}\n@{v['warc_offset']}", style="dim")
            if v["replay_url"]:
                capture.append("\n" + v["replay_url"], style=Style(link=v["replay_url"]))
            captured = v["captured_at"].strftime("%Y-%m-%d %H:%M:%S")
            table.add_row(str(v["version"]), captured, v["content_hash"], title, capture)
        console.print(table)
        for e in events:
            head = Text(f"{e.detected_at:%Y-%m-%d %H:%M:%S} {e.kind} ", style="bold")
            head.append(_change_summary(e))
            console.print(head)
            if e.diff:
                console.print(_diff_text(e.diff))
    Console(stderr=True).print(f"{len(versions)} versions from {db_path.resolve()}")


@app.command()
def search(
    query_text: str = typer.Argument(
        ..., metavar="QUERY", help="Words in English, Chinese or both."
    ),
    lang: str = typer.Option(None, "--lang", help="Only this language's text: en or zh."),
    site: str = typer.Option(None, "--site", help="Only this site (profile name)."),
    since: str = typer.Option(
        None,
        "--since",
        help="Only stories whose latest version is newer than 24h, 7d, ... or an ISO time.",
    ),
    kind: str = typer.Option(
        None, "--kind", help="Only stories with a change of this kind (e.g. edited), since --since."
    ),
    limit: int = typer.Option(10, "--limit", min=1, help="How many stories to show."),
    output: OutputFormat = FormatOption,
    data: Path = DataOption,
) -> None:
    """Search the latest version of every story (titles, summaries, TL;DR, bodies), ranked by
    BM25; Chinese is segmented into words, so "OpenAI 发布" finds stories in either language."""
    from rich.text import Text

    from archive.stories.report import KINDS
    from archive.stories.search import LANGS, SEARCH_THREADS
    from archive.stories.search import search as search_stories

    if lang is not None and lang not in LANGS:
        raise typer.BadParameter(f"choose from {', '.join(LANGS)}", param_hint="--lang")
    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(f"choose from {', '.join(KINDS)}", param_hint="--kind")
    con = _open_lake(data, threads=SEARCH_THREADS)
    try:
        hits = search_stories(
            con, query_text, lang=lang, site=site, since=_parse_since(since), kind=kind, limit=limit
        )
    finally:
        con.close()
    if output is OutputFormat.json:
        print(json.dumps([h.to_json_dict() for h in hits], ensure_ascii=False, default=str))
    elif output is OutputFormat.csv:
        _print_dict_rows([h.to_json_dict() for h in hits])
    elif hits:
        table = Table(title=f"stories matching {query_text!r}", expand=True, show_lines=True)
        table.add_column("#", no_wrap=True)
        table.add_column("story", ratio=2)
        table.add_column("snippet", ratio=3)
        for number, hit in enumerate(hits, 1):
            title = Text(hit.title_en or "")
            title.append("\n" + (hit.title_zh or ""))
            title.append(f"\n{hit.canonical_url}", style="cyan")
            title.append(f"\n{hit.site} {hit.article_id} {hit.score:.2f}", style="dim")
            snippet = Text(hit.snippet)
            for start, end in hit.marks:
                snippet.stylize("bold yellow", start, end)
            table.add_row(str(number), title, snippet)
        console.print(table)
    Console(stderr=True).print(f"{len(hits)} stories from {(data / 'lake').resolve()}")


if __name__ == "__main__":
    app()
