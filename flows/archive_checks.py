"""Is the archive what the catalog says it is? Checks of WARC files, CDXJ indexes and `captures`,
and the one `VerifyReport` they add up to (a run's check of its new files, `newsarc verify`).

Plain functions (the Prefect flows wrap them). They only read: WARC files, the indexes beside
them, and the catalog opened read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import quarantined
from archive.warc.cdxj import MERGED_NAME, index_path
from archive.warc.digests import file_sha256
from archive.warc.reader import list_entries_carefully
from archive.warc.recovery import verify_warc

# cdxj-indexer's default record types: one index line per record of these types.
INDEXED_TYPES = ("response", "revisit", "resource", "metadata")


@dataclass(frozen=True)
class WarcCheck:
    """One closed WARC file: its size, digest, records by type, and what is wrong with it."""

    name: str
    size: int
    sha256: str
    records: int
    record_types: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_warc(path: Path) -> WarcCheck:
    """Every gzip member complete and one record (`verify_warc`), every digest right (warcio).

    A damaged file is read on past its damage (`list_entries_carefully`), so every damaged span
    is named by offset and reason, and ``records`` counts the records that can still be read."""
    framing = verify_warc(path)
    problems = []
    records, record_types = framing.records, dict(framing.record_types)
    if not framing.ok:
        careful = list_entries_carefully(path)
        problems += [f"{d.reason} at byte {d.offset} ({d.length} bytes)" for d in careful.damage]
        records = len(careful.entries)
        record_types = {}
        for entry in careful.entries:
            kind = entry.row.record_type
            record_types[kind] = record_types.get(kind, 0) + 1
    else:
        problems += _digest_problems(path)
    return WarcCheck(
        name=path.name,
        size=path.stat().st_size,
        sha256=file_sha256(path),
        records=records,
        record_types=record_types,
        problems=problems,
    )


def _digest_problems(path: Path) -> list[str]:
    """What `warcio check` reports: block and payload digests that do not match the bytes."""
    problems = []
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, check_digests=True)
        try:
            for record in records:
                stream_out = record.content_stream()
                while stream_out.read(1 << 20):
                    pass
                if record.digest_checker.passed is False:
                    where = f"record at byte {records.get_record_offset()}"
                    problems += [f"{where}: {p}" for p in record.digest_checker.problems]
        except ArchiveLoadFailed as exc:
            problems.append(f"unreadable: {exc}")
    return problems


@dataclass(frozen=True)
class VerifyReport:
    """What a verification found: the files and records checked, and every problem, by name.

    The same report for a run's new files (in its summary) and for a whole-archive audit
    (`newsarc verify`, the `verify-archive` flow's artifact)."""

    files: int
    records: int
    bytes: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @classmethod
    def of(cls, checks: list[WarcCheck], consistency: list[str]) -> VerifyReport:
        """The report on *checks*, plus the problems their indexes and the catalog showed."""
        problems = [f"{c.name}: {p}" for c in checks for p in c.problems]
        return cls(
            files=len(checks),
            records=sum(c.records for c in checks),
            bytes=sum(c.size for c in checks),
            problems=problems + consistency,
        )

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "files": self.files,
            "records": self.records,
            "bytes": self.bytes,
            "problems": list(self.problems),
        }

    def headline(self) -> str:
        status = "intact, indexed and catalogued" if self.ok else f"{len(self.problems)} PROBLEMS"
        return f"{self.files} WARC files, {self.records} records, {self.bytes:,} bytes: {status}"

    def failure(self) -> str:
        """The problems in one line, for an exception or a run's failure message."""
        return "archive verification failed: " + "; ".join(self.problems)

    def markdown(self) -> str:
        lines = ["# newsarc archive verification", "", self.headline(), ""]
        return "\n".join([*lines, *[f"- {p}" for p in self.problems]]) + "\n"


def verify_warcs(data_dir: Path, paths: list[Path], *, complete: bool) -> VerifyReport:
    """Check *paths* (closed WARC files in ``data_dir/warcs``) and that the indexes and the
    catalog agree with them; `complete` when *paths* are every closed WARC (then the merged index
    is checked too). Reads only."""
    checks = [check_warc(path) for path in paths]
    return VerifyReport.of(checks, consistency_problems(data_dir, checks, complete=complete))


def consistency_problems(data_dir: Path, checks: list[WarcCheck], *, complete: bool) -> list[str]:
    """What the CDXJ indexes and the catalog (read-only) say that the checked files do not."""
    warc_dir = data_dir / "warcs"
    problems = index_problems(warc_dir, checks, complete=complete)
    return problems + catalog_problems(data_dir / "archive.duckdb", warc_dir, checks)


def index_problems(warc_dir: Path, checks: list[WarcCheck], *, complete: bool) -> list[str]:
    """Each file's CDXJ has one line per indexed record; if `checks` cover every closed WARC
    (`complete`), the merged index has exactly all of their lines."""
    problems = []
    expected_total = 0
    for check in checks:
        if not check.ok:
            continue  # damaged: quarantined, not indexed; its damage is already a problem
        expected = sum(check.record_types.get(t, 0) for t in INDEXED_TYPES)
        expected_total += expected
        index = index_path(warc_dir / check.name)
        if not index.exists():
            problems.append(f"{check.name}: no CDXJ index")
        elif (lines := _count_lines(index)) != expected:
            problems.append(f"{index.name}: {lines} lines for {expected} indexed records")
    merged = warc_dir / MERGED_NAME
    if complete and checks and all(check.ok for check in checks):
        if not merged.exists():
            problems.append(f"{MERGED_NAME} is missing")
        elif (lines := _count_lines(merged)) != expected_total:
            problems.append(f"{MERGED_NAME}: {lines} lines for {expected_total} indexed records")
    return problems


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def catalog_problems(db_path: Path, warc_dir: Path, checks: list[WarcCheck]) -> list[str]:
    """`warc_files` and `captures` agree with the checked files (same size, digest and record
    count), and every file the catalog names is on disk."""
    if not db_path.exists():
        return [f"{db_path.name}: no catalog"] if checks else []
    con = open_catalog(db_path, read_only=True)
    try:
        files = {
            name: (size, sha256, count)
            for name, size, sha256, count in con.execute(
                "SELECT warc_file, size, sha256, record_count FROM warc_files"
            ).fetchall()
        }
        captured = dict(
            con.execute("SELECT warc_file, count(*) FROM captures GROUP BY warc_file").fetchall()
        )
        damaged = {q.warc_file for q in quarantined(con, {c.name: c.sha256 for c in checks})}
    finally:
        con.close()
    problems = []
    for check in checks:
        if check.name in damaged:
            count = captured.get(check.name, 0)
            problems.append(f"{check.name}: quarantined, {count} of its records are catalogued")
            continue
        if check.name not in files:
            problems.append(f"{check.name}: not in the catalog (run `newsarc ingest`)")
            continue
        size, sha256, count = files[check.name]
        if (size, sha256) != (check.size, check.sha256):
            problems.append(f"{check.name}: size or sha256 differs from when it was ingested")
        if count != check.records or captured.get(check.name, 0) != check.records:
            problems.append(
                f"{check.name}: {check.records} records in the file, {count} in warc_files, "
                f"{captured.get(check.name, 0)} in captures"
            )
    for name in sorted(set(files) | set(captured)):
        if not (warc_dir / name).exists():
            problems.append(f"{name}: catalogued, but the file is missing")
    return problems
