"""`newsarc import`: WARC and WACZ files from other crawlers, checked, copied in and ingested.

Each source WARC (a file, or one inside a WACZ) is read to its end and copied into DATA/warcs as
`import-<sha256 prefix>-<name>.warc.gz`, one gzip member per record (`archive.warc.foreign`),
beside its companion `import-<sha256 prefix>.meta.warc.gz` saying which site and crawl run its
captures belong to (`archive.warc.imports`); then the data directory is ingested as after a
crawl. The name comes from the source's bytes, so importing a file twice changes nothing, and a
damaged file is reported and skipped while the others go in.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.catalog.ingest import IngestReport
from archive.errors import BadProfile, BadWarc
from archive.warc.digests import file_sha256
from archive.warc.durable import fsync_path
from archive.warc.foreign import WACZ_SUFFIX, is_foreign_archive, normalise_warc, wacz_warcs
from archive.warc.imports import (
    IMPORT_PREFIX,
    ImportAssignment,
    meta_name,
    write_assignment,
)
from archive.warc.records import WARCINFO_EXTRACT_RULES, WARCINFO_PAGE_PATTERNS, WARCINFO_PROFILE
from archive.warc.writer import safe_prefix
from crawlers.profile import SiteProfile, load_profile
from crawlers.settings import newsarc_version, warcinfo_fields

log = logging.getLogger(__name__)

_ASSIGNED_FIELDS = (WARCINFO_PROFILE, WARCINFO_PAGE_PATTERNS, WARCINFO_EXTRACT_RULES)
_DEMO_PROFILES = Path(__file__).parent / "demo_sites" / "profiles"


@dataclass(frozen=True)
class ImportedFile:
    """One source WARC and what became of it: `imported`, `already imported` or `skipped`."""

    source: str
    status: str
    warc_file: str | None = None
    records: int | None = None
    bytes: int = 0
    reason: str | None = None


@dataclass
class ImportReport:
    """What `import_paths` did: each source WARC, the ingest that followed, the time it took."""

    files: list[ImportedFile] = field(default_factory=list)
    ingest: IngestReport | None = None
    seconds: float = 0.0

    @property
    def skipped(self) -> list[ImportedFile]:
        return [f for f in self.files if f.status == "skipped"]

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if f.status == "imported"]


def resolve_profile(data: Path, profile: Path | None, site: str | None) -> SiteProfile | None:
    """The profile the captures are assigned to: *profile*'s file, or the one named *site* in
    DATA/profiles or among the demo profiles; None for neither."""
    if profile is not None and site is not None:
        raise BadProfile("give --profile FILE or --site NAME, not both")
    if profile is not None:
        return load_profile(profile)
    if site is None:
        return None
    for path in sorted((data / "profiles").glob("*.toml")):
        candidate = load_profile(path)
        if candidate.name == site:
            return candidate
    for path in sorted(_DEMO_PROFILES.glob("*.toml")):
        # Only the name and page patterns matter here; the addresses are placeholders.
        text = path.read_text(encoding="utf-8")
        text = text.replace("{base_url}", "http://127.0.0.1").replace("{host}", "127.0.0.1")
        if tomllib.loads(text).get("name") == site:
            return SiteProfile.model_validate({**tomllib.loads(text), "source": path})
    raise BadProfile(
        f"--site {site}: no profile of that name in {data / 'profiles'} or the demo profiles; "
        "pass --profile FILE"
    )


def _assigned_fields(profile: SiteProfile | None) -> dict[str, str]:
    if profile is None:
        return {}
    fields = warcinfo_fields(profile, run_id="")
    return {k: fields[k] for k in _ASSIGNED_FIELDS if k in fields}


def _sources(paths: list[Path]) -> list[Path]:
    """Every WARC and WACZ named or found (recursively) in a directory named, in order."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and is_foreign_archive(p))
        else:
            found.append(path)
    return found


def _stem(name: str) -> str:
    lowered = name.lower()
    for suffix in (".warc.gz", ".warc", WACZ_SUFFIX):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


class _Importer:
    """Copies source WARCs into one WARC directory, each with its companion assignment."""

    def __init__(self, warc_dir: Path, fields: dict[str, str]) -> None:
        self.warc_dir = warc_dir
        self.fields = fields
        self.software = f"newsarc/{newsarc_version()} (newsarc import)"

    def import_warc(self, source: str, path: Path, stem: str, run_id: str | None) -> ImportedFile:
        """Check and copy one WARC; *run_id* None means its own (from its sha256)."""
        sha256 = file_sha256(path)
        size = path.stat().st_size
        meta = self.warc_dir / meta_name(sha256)
        existing = sorted(self.warc_dir.glob(f"{IMPORT_PREFIX}{sha256[:16]}-*.warc.gz"))
        if existing and meta.exists():
            return ImportedFile(source, "already imported", existing[0].name, bytes=size)
        name = f"{IMPORT_PREFIX}{sha256[:16]}-{safe_prefix(stem)}.warc.gz"
        partial = self.warc_dir / f".{name}.partial"
        try:
            written = normalise_warc(path, partial)
        except BadWarc as exc:
            where = f" at offset {exc.offset}" if exc.offset is not None else ""
            log.error("%s: skipped: %s%s", source, exc.reason, where)
            return ImportedFile(source, "skipped", bytes=size, reason=f"{exc.reason}{where}")
        # The assignment goes first: a file that is in the directory always has its site.
        assignment = ImportAssignment(
            name, source, sha256, run_id or f"{IMPORT_PREFIX}{sha256[:16]}", self.fields
        )
        write_assignment(self.warc_dir, assignment, self.software)
        os.replace(partial, self.warc_dir / name)
        fsync_path(self.warc_dir)
        how = "re-compressed per record" if written.recompressed else "copied"
        log.info("%s: %s as %s (%d records)", source, how, name, written.records)
        return ImportedFile(source, "imported", name, written.records, size)

    def import_source(self, path: Path) -> list[ImportedFile]:
        """One named file: a WARC, or every WARC of a WACZ (one crawl: one run between them)."""
        if not path.is_file():
            return [ImportedFile(str(path), "skipped", reason="no such file")]
        if not is_foreign_archive(path):
            reason = "not a WARC (.warc, .warc.gz) or WACZ (.wacz) file"
            return [ImportedFile(str(path), "skipped", reason=reason)]
        if not path.name.lower().endswith(WACZ_SUFFIX):
            return [self.import_warc(str(path), path, _stem(path.name), None)]
        run_id = f"{IMPORT_PREFIX}{file_sha256(path)[:16]}"
        results = []
        try:
            for inner, extracted in wacz_warcs(path, self.warc_dir):
                stem = f"{_stem(path.name)}-{_stem(Path(inner).name)}"
                results.append(self.import_warc(f"{path}!{inner}", extracted, stem, run_id))
        except BadWarc as exc:
            results.append(ImportedFile(str(path), "skipped", reason=exc.reason))
        return results


def import_paths(
    data: Path, paths: list[Path], profile: Path | None = None, site: str | None = None
) -> ImportReport:
    """Import every WARC and WACZ in *paths* into *data*, then ingest what came in.

    Idempotent: a source whose bytes were imported before (under any name) is `already
    imported`, and nothing is written or ingested for it."""
    from flows.pipeline import ingest_data_dir

    started = time.monotonic()
    fields = _assigned_fields(resolve_profile(data, profile, site))
    warc_dir = data / "warcs"
    warc_dir.mkdir(parents=True, exist_ok=True)
    importer = _Importer(warc_dir, fields)
    report = ImportReport()
    for path in _sources(paths):
        report.files += importer.import_source(path)
    if report.imported:
        report.ingest = ingest_data_dir(data)
    report.seconds = time.monotonic() - started
    return report


def import_command(
    data: Path, paths: list[Path], *, profile: Path | None, site: str | None, output, console
) -> None:
    """Import *paths* into DATA and print what went in and what was skipped; exit status 1 if
    anything was skipped."""
    import typer
    from rich.console import Console
    from rich.table import Table

    from flows.run_summary import ingest_lines

    report = import_paths(data, paths, profile=profile, site=site)
    rows = [asdict(f) for f in report.files]
    fmt = getattr(output, "value", output)
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        columns = list(ImportedFile.__dataclass_fields__)
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
    else:
        table = Table(title="newsarc import")
        for column in ("source", "result", "archived as", "records", "reason"):
            table.add_column(column, overflow="fold")
        for f in report.files:
            records = "" if f.records is None else str(f.records)
            table.add_row(f.source, f.status, f.warc_file or "", records, f.reason or "")
        console.print(table)
    notes = console if fmt == "table" else Console(stderr=True)
    counts = {s: sum(f.status == s for f in report.files) for s in ("imported", "already imported")}
    notes.print(
        f"{counts['imported']} imported, {counts['already imported']} already imported, "
        f"{len(report.skipped)} skipped in {report.seconds:.1f} s",
        highlight=False,
    )
    if report.ingest is not None:
        for line in ingest_lines(report.ingest):
            notes.print(line, markup=False, highlight=False, soft_wrap=True)
    notes.print(f"WARC files: {(data / 'warcs').resolve()}", highlight=False)
    notes.print(f"DuckDB: {(data / 'archive.duckdb').resolve()}", highlight=False)
    if report.skipped:
        raise typer.Exit(1)
