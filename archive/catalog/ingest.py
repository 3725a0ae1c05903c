"""Ingest: the WARC files into the DuckDB catalog, an index rebuilt from them at will.

Ingest is idempotent twice over: a file whose SHA-256 is already in ``warc_files`` is skipped
after one hashing pass, and records are keyed by WARC-Record-ID so a file whose ingest was
interrupted can simply be ingested again. The ``warc_files`` row is written in the same
transaction as the file's last batch, so it only exists once all the file's rows do.

One bad file never stops the others. A damaged file is quarantined: the records that can be read
are catalogued, each damaged span is a ``quarantined_warcs`` row (file, offset, reason), and the
file itself is left alone (it is the archive). A file that changed after it was ingested (bit
rot) keeps the rows it had and is quarantined the same way.

Rows reach DuckDB as Arrow batches (`archive.catalog.staging.insert_rows`), one transaction per
batch of `BATCH_ROWS` records.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from archive.catalog.staging import insert_rows
from archive.errors import BadWarc
from archive.warc.digests import file_sha256
from archive.warc.imports import ImportAssignment, read_assignments
from archive.warc.reader import (
    CaptureRow,
    Damage,
    WarcEntry,
    list_entries_carefully,
    list_verified_entries,
)
from archive.warc.records import OPEN_SUFFIX

log = logging.getLogger(__name__)

BATCH_ROWS = 5000

# The columns of the rows ingest adds, as schema.sql types them (BY NAME, so order is free).
_UTC = pa.timestamp("us", tz="UTC")
CAPTURE_COLUMNS = pa.schema(
    [
        ("record_id", pa.string()),
        ("record_type", pa.string()),
        ("url", pa.string()),
        ("captured_at", _UTC),
        ("status", pa.int32()),
        ("content_type", pa.string()),
        ("payload_digest", pa.string()),
        ("block_digest", pa.string()),
        ("warc_file", pa.string()),
        ("warc_offset", pa.int64()),
        ("warc_length", pa.int64()),
        ("refers_to_uri", pa.string()),
        ("refers_to_date", _UTC),
        ("revisit_profile", pa.string()),
        ("concurrent_to", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("ip_address", pa.string()),
        ("run_id", pa.string()),
        ("profile", pa.string()),
        ("location", pa.string()),
    ]
)
FETCH_ERROR_COLUMNS = pa.schema(
    [
        ("record_id", pa.string()),
        ("url", pa.string()),
        ("failed_at", _UTC),
        ("error", pa.string()),
        ("reason", pa.string()),
        ("status", pa.int32()),
        ("attempts", pa.int32()),
        ("profile", pa.string()),
        ("warc_file", pa.string()),
    ]
)
assert CAPTURE_COLUMNS.names == [f.name for f in fields(CaptureRow)]


@dataclass(frozen=True, slots=True)
class Quarantined:
    """One damaged span of a WARC file, as ``quarantined_warcs`` holds it."""

    warc_file: str
    offset: int | None
    reason: str

    def __str__(self) -> str:
        where = f" at offset {self.offset}" if self.offset is not None else ""
        return f"{self.warc_file}{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class IngestReport:
    """Totals of one `ingest_warcs` call; files counts files ingested (not skipped).

    ``quarantined`` names the damage in the files given, found now or by an earlier ingest, so
    every run says which files are damaged for as long as they stay so."""

    files: int
    records_added: int
    errors_added: int
    quarantined: tuple[Quarantined, ...] = ()


def _capture_dict(row: CaptureRow) -> dict[str, Any]:
    """The row as a dict; its values are scalars, so `dataclasses.asdict`'s deep copy (a fifth
    of the catalog's time) is not needed."""
    return {name: getattr(row, name) for name in CAPTURE_COLUMNS.names}


def _fetch_error_row(entry: WarcEntry) -> dict[str, Any]:
    row = entry.row
    try:
        body = json.loads(entry.fetch_error_body or b"")
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        log.warning("%s@%d: unreadable fetch-error JSON (%s)", row.warc_file, row.warc_offset, exc)
        body = {}

    def _int(key: str) -> int | None:
        value = body.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _str(key: str) -> str | None:
        value = body.get(key)
        return str(value) if value is not None else None

    return {
        "record_id": row.record_id,
        "url": _str("url") or row.url,
        "failed_at": row.captured_at,
        "error": _str("error"),
        "reason": _str("reason"),
        "status": _int("status"),
        "attempts": _int("attempts"),
        "profile": _str("profile") or row.profile,
        "warc_file": row.warc_file,
    }


def _batches(entries: Iterable[WarcEntry], size: int) -> Iterator[tuple[list[WarcEntry], bool]]:
    """Yield (batch, is_last); the last batch is marked so it can carry the warc_files row."""
    batch: list[WarcEntry] = []
    for entry in entries:
        if len(batch) == size:
            yield batch, False
            batch = []
        batch.append(entry)
    yield batch, True


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    sha256: str,
    entries: list[WarcEntry],
    damage: list[Damage],
) -> tuple[int, int, int]:
    """Ingest one listed file; return (records seen, captures added, fetch errors added).

    The last batch's transaction also writes the ``warc_files`` row and any damage, so a file
    counts as ingested (and is skipped next time) only once everything read from it is stored."""
    size = path.stat().st_size
    records = added = errors = 0
    for batch, is_last in _batches(entries, BATCH_ROWS):
        con.execute("BEGIN TRANSACTION")
        try:
            added += insert_rows(
                con,
                "captures",
                [_capture_dict(e.row) for e in batch],
                CAPTURE_COLUMNS,
                on_conflict="DO NOTHING",
            )
            errors += insert_rows(
                con,
                "fetch_errors",
                [_fetch_error_row(e) for e in batch if e.fetch_error_body is not None],
                FETCH_ERROR_COLUMNS,
                on_conflict="DO NOTHING",
            )
            records += len(batch)
            if is_last:
                con.execute(
                    "INSERT INTO warc_files (warc_file, size, sha256, record_count, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (warc_file) DO UPDATE SET "
                    "size = excluded.size, sha256 = excluded.sha256, "
                    "record_count = excluded.record_count, ingested_at = excluded.ingested_at",
                    [path.name, size, sha256, records, datetime.now(UTC)],
                )
                _record_damage(con, path, sha256, size, damage)
            con.execute("COMMIT")
        except BaseException:
            _rollback(con)
            raise
    return records, added, errors


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, without hiding the error that got us here behind a failed rollback (after a
    full disk DuckDB may already have ended the transaction itself)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error as exc:
        log.debug("rollback after a failed batch: %s", exc)


def _record_damage(
    con: duckdb.DuckDBPyConnection, path: Path, sha256: str, size: int, damage: list[Damage]
) -> None:
    for span in damage:
        log.error("quarantined %s", Quarantined(path.name, span.offset, span.reason))
    if not damage:
        return
    now = datetime.now(UTC)
    con.executemany(
        "INSERT INTO quarantined_warcs VALUES (?, ?, ?, ?, ?, ?, ?)",
        [[path.name, sha256, size, d.offset, d.length, d.reason, now] for d in damage],
    )


def _changed_since_ingest(
    con: duckdb.DuckDBPyConnection, path: Path, sha256: str, damage: list[Damage]
) -> None:
    """Quarantine a catalogued file whose bytes changed (bit rot); its rows stay as they were.

    Its records were read when the file was intact, so nothing is re-read or re-written: the
    damage is recorded, and ``warc_files`` keeps the digest the file had."""
    old = con.execute("SELECT sha256 FROM warc_files WHERE warc_file = ?", [path.name]).fetchone()
    changed = f"changed since it was ingested (sha256 was {old[0][:12]}…, now {sha256[:12]}…)"
    spans = [replace(d, reason=f"{changed}: {d.reason}") for d in damage]
    if not spans:
        spans = [Damage(None, None, f"{changed}; every record still reads")]
    con.execute("BEGIN TRANSACTION")
    try:
        _record_damage(con, path, sha256, path.stat().st_size, spans)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _listing(path: Path) -> tuple[list[WarcEntry], list[Damage]]:
    """The file's entries from the fast, verified listing, or else from the careful one."""
    try:
        return list_verified_entries(path), []
    except BadWarc as exc:
        log.warning("%s; listing it record by record", exc)
    careful = list_entries_carefully(path)
    return careful.entries, careful.damage


def _is_known(con: duckdb.DuckDBPyConnection, path: Path, sha256: str) -> bool:
    """Already ingested (under any name), or already quarantined in exactly this state."""
    return bool(
        con.execute(
            "SELECT EXISTS (SELECT 1 FROM warc_files WHERE sha256 = ?) "
            "OR EXISTS (SELECT 1 FROM quarantined_warcs WHERE warc_file = ? AND sha256 = ?)",
            [sha256, path.name, sha256],
        ).fetchone()[0]
    )


def _was_ingested_intact(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Catalogued under this name from bytes with no damage (so other bytes now mean bit rot).

    A file catalogued while damaged and now different (restored from a copy) is ingested again
    instead: its rows are keyed by record id, so only what the damage hid is added."""
    sql = (
        "SELECT EXISTS (SELECT 1 FROM warc_files w WHERE w.warc_file = ? AND NOT EXISTS "
        "(SELECT 1 FROM quarantined_warcs q WHERE q.warc_file = w.warc_file "
        "AND q.sha256 = w.sha256))"
    )
    return bool(con.execute(sql, [path.name]).fetchone()[0])


def quarantined(
    con: duckdb.DuckDBPyConnection, current: dict[str, str] | None = None
) -> list[Quarantined]:
    """The damage recorded in the catalog, in file and offset order.

    With *current* (file name -> its SHA-256 now), only the damage of those files as they are
    now: a file restored from a copy is no longer listed."""
    rows = con.execute(
        "SELECT warc_file, sha256, damage_offset, reason FROM quarantined_warcs "
        "ORDER BY warc_file, damage_offset NULLS FIRST, reason"
    ).fetchall()
    return [
        Quarantined(name, offset, reason)
        for name, sha256, offset, reason in rows
        if current is None or current.get(name) == sha256
    ]


def ingest_warcs(
    con: duckdb.DuckDBPyConnection,
    warc_paths: Iterable[Path],
    on_listing: Callable[[Path, list[WarcEntry]], object] | None = None,
) -> IngestReport:
    """Add the records of closed WARC files to the catalog; safe to repeat.

    Each file is checked gzip member by member as `verify_warc` does, in the same pass that lists
    it, because the WARC readers accept a truncated file silently. A file that pass refuses is
    listed again record by record (`list_entries_carefully`): what can be read is catalogued,
    damage is quarantined, and the next file follows. ``.open`` files are refused: they are
    still being written or need mending.

    An imported file's captures get the site and run id its `newsarc import` companion record
    gives (`archive.warc.imports`), as they would from a crawl's own warcinfo.

    The whole listing of an undamaged file is held (about 1.2 KB a record) and handed to
    *on_listing* before it is stored, so the caller can reuse it instead of reading the file
    again (the pipeline builds the file's CDXJ index from it).
    """
    files = records_added = errors_added = 0
    current: dict[str, str] = {}
    assignments: dict[Path, dict[str, ImportAssignment]] = {}
    for warc_path in warc_paths:
        path = Path(warc_path)
        if path.name.endswith(OPEN_SUFFIX):
            raise BadWarc(path, None, "file is still open (being written, or needs mending)")
        sha256 = current[path.name] = file_sha256(path)
        if _is_known(con, path, sha256):
            log.debug("%s: already ingested or quarantined, skipping", path.name)
            continue
        entries, damage = _listing(path)
        if path.parent not in assignments:  # `newsarc import`'s companion files, per directory
            assignments[path.parent] = read_assignments(path.parent)
        if (assignment := assignments[path.parent].get(path.name)) is not None:
            entries = list(assignment.assign(entries))
        if _was_ingested_intact(con, path):
            _changed_since_ingest(con, path, sha256, damage)
            continue
        if on_listing is not None and not damage:
            on_listing(path, entries)
        records, added, errors = _ingest_one(con, path, sha256, entries, damage)
        log.info("%s: %d records, %d new, %d fetch errors", path.name, records, added, errors)
        files += 1
        records_added += added
        errors_added += errors
    return IngestReport(files, records_added, errors_added, tuple(quarantined(con, current)))
