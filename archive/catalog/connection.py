"""Opening the DuckDB catalog: created whole or not at all, schema-checked, one writer at a time.

A writable open applies schema.sql and refuses a catalog made by an older schema; a read-only open
is sealed so the SQL it runs can read the catalog and nothing else. DuckDB's refusals become the
errors of `archive.errors` an operator can act on.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from pathlib import Path

import duckdb

from archive.errors import (
    CatalogLocked,
    CatalogMissing,
    CatalogOutdated,
    CatalogUnreadable,
    NewsarcError,
)
from archive.warc.durable import fsync_path

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
VIEWS_PATH = Path(__file__).with_name("views.sql")
VIEW_COLUMNS_PATH = Path(__file__).with_name("view_columns.sql")
# Raised whenever schema.sql changes in a way an existing catalog cannot take by re-running it.
SCHEMA_VERSION = "8"
# The story and capture tables analysts read, and `newsarc export` writes to Parquet.
PUBLIC_TABLES = (
    "captures", "articles", "article_versions", "paragraph_pairs", "article_urls",
    "article_captures", "near_duplicates", "changes", "fetch_errors",
)  # fmt: skip
# The search index (archive/stories/search.py) analysts' `newsarc search` reads beside them.
SEARCH_TABLES = ("search_documents", "search_postings")
THREADS_VARIABLE = "NEWSARC_DUCKDB_THREADS"
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def open_catalog(db_path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the catalog; writable opens apply schema.sql.

    DuckDB admits one writing process per file and refuses others immediately; that refusal
    becomes `CatalogLocked`. Timestamps are returned in UTC whatever the machine's zone.
    `NEWSARC_DUCKDB_THREADS` caps DuckDB's threads (default: one per core), e.g. on a worker
    shared with other jobs.

    A read-only open is sealed before it is returned (see `_READ_ONLY_CONFIG`): whatever SQL it
    is given can read the catalog and nothing else, and write nothing at all.
    """
    db_path = Path(db_path)
    if not read_only:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _create_if_missing(db_path)
    config = _duckdb_config() | (_READ_ONLY_CONFIG if read_only else {})
    try:
        con = duckdb.connect(str(db_path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        raise _open_failure(db_path, str(exc)) from None
    if read_only:
        _lock_read_only(con)
        return con
    con.execute("SET TimeZone = 'UTC'")
    found = _schema_version(con)
    if found != SCHEMA_VERSION and _has_tables(con):
        con.close()
        raise CatalogOutdated(db_path, found, SCHEMA_VERSION)
    _apply_schema(con)
    return con


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The tables (schema.sql), the analysts' views over them (views.sql) with their columns'
    comments (view_columns.sql), the schema version."""
    for path in (SCHEMA_PATH, VIEWS_PATH, VIEW_COLUMNS_PATH):
        con.execute(path.read_text(encoding="utf-8"))
    con.execute(
        "INSERT OR REPLACE INTO catalog_meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
    )


def _create_if_missing(db_path: Path) -> None:
    """Create the catalog beside its final name and rename it into place once it is whole.

    DuckDB writes a new database file in place, so a full disk or a kill while it is created
    left a 0-byte or half-written ``archive.duckdb`` that every later command failed to open.
    Built under a temporary name, fsynced, then renamed, the catalog is either absent or
    complete. An empty file holds nothing and is replaced the same way (with any write-ahead
    log left beside it, which would otherwise be replayed onto the new file).
    """
    if db_path.exists() and db_path.stat().st_size > 0:
        return
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        log.warning("%s: removing %s left without its catalog", db_path, wal.name)
        wal.unlink()
    fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".creating", dir=db_path.parent)
    os.close(fd)
    fresh = Path(name)
    fresh.unlink()  # DuckDB creates the file itself and refuses an empty one
    try:
        con = duckdb.connect(str(fresh), config=_duckdb_config())
        try:
            _apply_schema(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        fsync_path(fresh)
        os.replace(fresh, db_path)
        fsync_path(db_path.parent)
    except (duckdb.Error, OSError) as exc:
        raise NewsarcError(
            f"cannot create catalog {db_path}: {_first_line(exc)}; nothing was written, "
            "free space (or fix permissions) and run the command again"
        ) from None
    finally:
        for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    return str(exc).removeprefix("IO Error: ").splitlines()[0] if str(exc) else type(exc).__name__


def _open_failure(db_path: Path, message: str) -> NewsarcError:
    """DuckDB's refusal to open the catalog, as the error an operator can act on."""
    reason = message.removeprefix("IO Error: ").splitlines()[0]
    if "database does not exist" in message:
        return CatalogMissing(db_path)
    # An empty or cut-short file (a full disk, a copy interrupted) is as unreadable as garbage.
    if "not a valid DuckDB database" in message or "Could not read enough bytes" in message:
        return CatalogUnreadable(db_path, reason)
    if "lock" in message.lower():
        match = _LOCK_PID.search(message)
        return CatalogLocked(db_path, int(match.group(1)) if match else None)
    return NewsarcError(
        f"cannot open catalog {db_path}: {reason} (check the permissions, the file system and "
        "free space of the data directory)"
    )


# Read paths (`newsarc query` runs SQL a person typed) get no file access beyond the catalog
# itself: no COPY/EXPORT over a WARC or the catalog, no read_text('/etc/...'), no ATTACH, no
# extension installed or loaded (DuckDB's own spill files under archive.duckdb.tmp still work).
# Given at connect, so it holds from the first statement.
_READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}
# DuckDB shares one database instance among the connections a process opens to one file, and a
# locked configuration refuses every SET: the first read-only open of an instance sets the zone
# (globally, for the connections that follow) and locks; this lock makes that step atomic.
_SEALING = threading.Lock()


def _lock_read_only(con: duckdb.DuckDBPyConnection) -> None:
    """Set UTC and lock the configuration, so SQL cannot turn external access back on."""
    with _SEALING:
        if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            con.execute("SET GLOBAL TimeZone = 'UTC'")
            con.execute("SET lock_configuration = true")


def _duckdb_config() -> dict[str, int]:
    value = os.environ.get(THREADS_VARIABLE, "").strip()
    if not value:
        return {}
    if not value.isdigit() or int(value) < 1:
        raise NewsarcError(f"{THREADS_VARIABLE} must be a whole number >= 1, not {value!r}")
    return {"threads": int(value)}


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] > 0


def _schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    if not con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'catalog_meta'"
    ).fetchone()[0]:
        return None
    row = con.execute("SELECT value FROM catalog_meta WHERE key = 'schema_version'").fetchone()
    return row[0] if row else None
