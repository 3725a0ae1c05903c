"""The published read side of the archive: a DuckLake under DATA/lake (SQLite catalog, Parquet).

The writer keeps its private DuckDB file (ingest, story derivation, internal tables); after each
ingest `publish` brings the lake's public tables up to date in ONE DuckLake transaction, so each
ingest is one snapshot. Readers attach the lake read-only: they see the last committed snapshot
(or any older one) and neither wait for the writer nor make it wait (the SQLite catalog runs in
WAL mode, so a reader's open transaction never holds the writer's commit).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from archive.catalog.connection import (
    _READ_ONLY_CONFIG,
    PUBLIC_TABLES,
    SEARCH_TABLES,
    _duckdb_config,
    open_catalog,
)
from archive.errors import NewsarcError, QueryRefused

log = logging.getLogger(__name__)

# What analysts see: the public tables and the search index.
PUBLISHED_TABLES: tuple[str, ...] = PUBLIC_TABLES + SEARCH_TABLES
# Views over the published tables, maintained with the schema; applied to the lake when present.
VIEWS_PATH = Path(__file__).with_name("views.sql")
LAKE = "lake"  # the lake's directory under DATA and its name in every connection
COMMIT_AUTHOR = "newsarc"
_EXTENSIONS = {"ducklake": "ducklake", "sqlite": "sqlite_scanner"}  # package -> entry-point name

# Bookkeeping in the PRIVATE file (readers never see it): the lake snapshot the private file last
# published (with the views it applied), and the keys the derivation touched since then. The
# tables of an older bookkeeping (every published row's hash) are dropped: hashing every row was
# what made a publish cost the archive's size.
_BOOKKEEPING_SQL = """
DROP TABLE IF EXISTS lake_rows;
DROP TABLE IF EXISTS lake_publication;
CREATE TABLE IF NOT EXISTS lake_published (
    snapshot_id BIGINT, snapshot_time TIMESTAMPTZ, views_sql VARCHAR
);
"""
# The key log: written by the derivation in its own transaction (archive/stories/store.py
# `log_touched_keys`), emptied by the publish that consumed it. Every public row the derivation
# adds, changes or deletes belongs to a logged story or a logged WARC file.
TOUCHED_KEYS_SQL = """
CREATE TABLE IF NOT EXISTS lake_touched_stories (article_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS lake_touched_files (warc_file VARCHAR NOT NULL);
"""
_STORIES = "SELECT article_id FROM {private}.lake_touched_stories"
_FILES = "warc_file IN (SELECT warc_file FROM {private}.lake_touched_files)"
_STORY = f"article_id IN ({_STORIES})"
# Which rows of each published table the logged keys cover (a table not named here is compared
# whole). A near-duplicate pair belongs to both its stories; the search index joins on the
# story id as a 64-bit number (archive/stories/search.py `article_key`).
_TOUCHED_ROWS = {
    "captures": _FILES,
    "fetch_errors": _FILES,
    "articles": _STORY,
    "article_versions": _STORY,
    "paragraph_pairs": _STORY,
    "article_urls": _STORY,
    "article_captures": _STORY,
    "changes": _STORY,
    "near_duplicates": f"{_STORY} OR copy_of IN ({_STORIES})",
    "search_documents": f"article_key IN (SELECT ('0x' || article_id)::UBIGINT FROM ({_STORIES}))",
    "search_postings": f"article_key IN (SELECT ('0x' || article_id)::UBIGINT FROM ({_STORIES}))",
}


def lake_dir(data_dir: Path) -> Path:
    return Path(data_dir) / LAKE


def catalog_path(data_dir: Path) -> Path:
    return lake_dir(data_dir) / "catalog.sqlite"


def files_dir(data_dir: Path) -> Path:
    return lake_dir(data_dir) / "files"


def attach_sql(data_dir: Path) -> str:
    """The ATTACH an analyst's own DuckDB session runs (after `LOAD ducklake; LOAD sqlite`)."""
    return (
        f"ATTACH 'ducklake:sqlite:{catalog_path(data_dir).resolve()}' AS {LAKE} "
        f"(READ_ONLY, DATA_PATH '{files_dir(data_dir).resolve()}/')"
    )


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckLake and SQLite from their PyPI packages: nothing downloaded, nothing installed.

    LOAD by path takes the entry point's name from the file name, and the sqlite package ships
    `sqlite.duckdb_extension` whose entry point is `sqlite_scanner`: a symlink with that name, in
    a directory deleted right after, lets it load without copying into ~/.duckdb."""
    with tempfile.TemporaryDirectory(prefix="newsarc-ext-") as links:
        for package, entry in _EXTENSIONS.items():
            link = Path(links) / f"{entry}.duckdb_extension"
            link.symlink_to(_extension_file(package))
            con.execute(f"LOAD '{link}'")  # a path built here, never from input


def _extension_file(package: str) -> Path:
    import importlib

    module = importlib.import_module(f"duckdb_extension_{package}")
    path = (
        Path(module.__path__[0]) / "extensions" / f"v{duckdb.__version__}"
        / f"{package}.duckdb_extension"
    )  # fmt: skip
    if not path.is_file():
        raise NewsarcError(f"DuckDB extension {package} missing at {path}: run `./run setup`")
    return path


# -- publishing --------------------------------------------------------------------------------


@dataclass
class Publication:
    """What one `publish` put in the lake: its snapshot (None if nothing changed) and rows."""

    snapshot_id: int | None
    rebuilt: bool
    inserted: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)


def publish(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    message: str,
    extra: dict | None = None,
) -> Publication:
    """Bring the lake up to date with the private catalog *con*: one DuckLake snapshot.

    Delta, not copy, and its cost follows what the ingests since the last publication touched:
    only the rows of the stories and WARC files in the private file's key log are compared
    (hashed on both sides), so only rows that appeared are written and only rows that went are
    deleted. When the log cannot be trusted (no publication recorded in this private file: the
    first publish, a reindex, an older data directory; or the lake moved since: a crash between
    the lake's commit and the bookkeeping, someone else's commit) every row of every table is
    compared instead: the same result, at the archive's size. Idempotent: run twice, the second
    run finds no difference and makes no snapshot.
    """
    _ensure_lake(data_dir)
    load_extensions(con)
    con.execute(_BOOKKEEPING_SQL + TOUCHED_KEYS_SQL)
    name = con.execute("SELECT current_database()").fetchone()[0]
    private = '"' + name.replace('"', '""') + '"'
    con.execute(
        f"ATTACH IF NOT EXISTS '{_ducklake_uri(data_dir)}' AS {LAKE} ({_data_path(data_dir)})"
    )
    try:
        return _publish_attached(con, private, message, extra or {})
    finally:
        con.execute(f"USE {private}")
        con.execute(f"DETACH {LAKE}")


def _publish_attached(con, private: str, message: str, extra: dict) -> Publication:
    head = _lake_head(con)
    known = con.execute(
        "SELECT snapshot_id, snapshot_time, views_sql FROM lake_published"
    ).fetchone()
    trusted = known is not None and head is not None and tuple(known[:2]) == head
    views = VIEWS_PATH.read_text(encoding="utf-8") if VIEWS_PATH.exists() else None
    lake_tables = _columns(con, LAKE)
    private_tables = _columns(con, con.execute("SELECT current_database()").fetchone()[0])
    tables = [t for t in PUBLISHED_TABLES if t in private_tables]
    recreate = [t for t in tables if lake_tables.get(t) != private_tables[t]]
    scope = {t: _rows_to_compare(t, private, trusted) for t in tables}
    con.execute("DROP TABLE IF EXISTS temp.lake_now")
    con.execute("DROP TABLE IF EXISTS temp.lake_had")
    con.execute("CREATE TEMP TABLE lake_now (table_name VARCHAR, row_hash UBIGINT)")
    con.execute("CREATE TEMP TABLE lake_had (table_name VARCHAR, row_hash UBIGINT)")
    for table in tables:  # names from PUBLISHED_TABLES, present in the catalog
        where = scope[table]
        con.execute(
            f"INSERT INTO temp.lake_now SELECT '{table}', hash(t) FROM {private}.{table} t"
            f" WHERE {where}"
        )
        if table not in recreate:
            con.execute(
                f"INSERT INTO temp.lake_had SELECT '{table}', hash(t) FROM {LAKE}.{table} t"
                f" WHERE {where}"
            )
    _diff_tables(con)
    inserted = dict(
        con.execute("SELECT table_name, count(*) FROM temp.lake_added GROUP BY 1").fetchall()
    )
    deleted = dict(
        con.execute("SELECT table_name, count(*) FROM temp.lake_gone GROUP BY 1").fetchall()
    )
    views_changed = views is not None and (known is None or known[2] != views or not trusted)
    comments = _comments_to_copy(con, tables, recreate)
    if not (inserted or deleted or recreate or views_changed or comments):
        if head is not None:
            _remember(con, private, head, views)
        return Publication(None, not trusted)
    con.execute("BEGIN")
    try:
        for table in recreate:
            con.execute(f"DROP TABLE IF EXISTS {LAKE}.{table}")
            con.execute(f"CREATE TABLE {LAKE}.{table} AS FROM {private}.{table} LIMIT 0")
        for table in tables:
            where = scope[table]
            if deleted.get(table):
                con.execute(
                    f"DELETE FROM {LAKE}.{table} t WHERE ({where}) AND hash(t) IN "
                    f"(SELECT row_hash FROM temp.lake_gone WHERE table_name = '{table}')"
                )
            if inserted.get(table):
                con.execute(
                    f"INSERT INTO {LAKE}.{table} SELECT * FROM {private}.{table} t"
                    f" WHERE ({where}) AND hash(t) IN (SELECT row_hash FROM temp.lake_added"
                    f" WHERE table_name = '{table}')"
                )
        for statement in comments:
            con.execute(statement)
        if views_changed:
            con.execute(f"USE {LAKE}")
            con.execute(views)
            con.execute(f"USE {private}")
        info = {**extra, "inserted": inserted, "deleted": deleted, "rebuilt": not trusted}
        con.execute(
            f"CALL {LAKE}.set_commit_message(?, ?, extra_info => ?)",
            [COMMIT_AUTHOR, message, json.dumps(info, default=str)],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    head = _lake_head(con)
    _remember(con, private, head, views)
    log.info("published snapshot %s: +%s -%s", head[0], inserted, deleted)
    return Publication(head[0], not trusted, inserted, deleted)


def _rows_to_compare(table: str, private: str, trusted: bool) -> str:
    """The WHERE clause of the rows of *table* this publication compares: those of the logged
    keys when the log is trusted, else all of them."""
    if not trusted or table not in _TOUCHED_ROWS:
        return "true"
    return _TOUCHED_ROWS[table].format(private=private)


def _comments_to_copy(con, tables: list[str], recreated: list[str]) -> list[str]:
    """COMMENT statements that give the lake's tables and columns the private catalog's comments
    (schema.sql's), so an analyst's `DESCRIBE` or `duckdb_columns()` in the lake explains them
    too: those that differ, and all of a table created again in this publication."""
    private = con.execute("SELECT current_database()").fetchone()[0]
    fresh = set(recreated)

    def differing(catalog_view: str, key: str) -> list[tuple]:
        same_column = "AND l.column_name = p.column_name" if key != "NULL" else ""
        rows = con.execute(
            f"SELECT p.table_name, {key}, p.comment, l.comment FROM {catalog_view} p "
            f"LEFT JOIN {catalog_view} l ON l.database_name = ? AND l.schema_name = 'main' "
            f"AND l.table_name = p.table_name {same_column} "
            "WHERE p.database_name = ? AND p.schema_name = 'main' AND p.comment IS NOT NULL",
            [LAKE, private],
        ).fetchall()
        return [r for r in rows if r[0] in tables and (r[0] in fresh or r[2] != r[3])]

    def literal(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    statements = [
        f'COMMENT ON TABLE {LAKE}."{table}" IS {literal(comment)}'
        for table, _, comment, _ in differing("duckdb_tables()", "NULL")
    ]
    statements += [
        f'COMMENT ON COLUMN {LAKE}."{table}"."{column}" IS {literal(comment)}'
        for table, column, comment, _ in differing("duckdb_columns()", "p.column_name")
    ]
    return statements


def _diff_tables(con) -> None:
    """temp.lake_added / temp.lake_gone: row hashes the private file has and the lake lacks, and
    the other way round (a changed row is one of each)."""
    con.execute("DROP TABLE IF EXISTS temp.lake_added")
    con.execute("DROP TABLE IF EXISTS temp.lake_gone")
    con.execute("CREATE TEMP TABLE lake_added AS FROM temp.lake_now EXCEPT FROM temp.lake_had")
    con.execute("CREATE TEMP TABLE lake_gone AS FROM temp.lake_had EXCEPT FROM temp.lake_now")


def _remember(con, private: str, head: tuple, views: str | None) -> None:
    """Record in the private file which lake snapshot it published, and empty the key log that
    publication consumed (one transaction, after the lake's commit: a crash in between leaves
    the record behind the lake's head, so the next publish compares every row)."""
    con.execute("BEGIN")
    con.execute(f"DELETE FROM {private}.lake_touched_stories")
    con.execute(f"DELETE FROM {private}.lake_touched_files")
    con.execute(f"DELETE FROM {private}.lake_published")
    con.execute(f"INSERT INTO {private}.lake_published VALUES (?, ?, ?)", [*head, views])
    con.execute("COMMIT")


def _lake_head(con) -> tuple[int, datetime] | None:
    row = con.execute(
        f"SELECT snapshot_id, snapshot_time FROM {LAKE}.snapshots()"
        " ORDER BY snapshot_id DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


def _columns(con, database: str) -> dict[str, list[tuple[str, str]]]:
    """Each table of *database*'s main schema with its (column, type) list, to notice a table
    whose shape changed (the lake's copy is then recreated)."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns()"
        " WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name, column_index",
        [database],
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def _ensure_lake(data_dir: Path) -> None:
    """Create the lake's directories and its SQLite catalog in WAL mode (persistent in the file):
    with the default rollback journal a reader's open transaction holds the writer's commit."""
    files_dir(data_dir).mkdir(parents=True, exist_ok=True)
    catalog = catalog_path(data_dir)
    if catalog.exists() and catalog.stat().st_size > 0:
        return
    db = sqlite3.connect(catalog)
    try:
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()


def _ducklake_uri(data_dir: Path) -> str:
    return f"ducklake:sqlite:{catalog_path(data_dir).resolve()}"


def _data_path(data_dir: Path) -> str:
    """Where the Parquet files are, given at every attach (the data directory may have moved)."""
    return f"DATA_PATH '{files_dir(data_dir).resolve()}/', OVERRIDE_DATA_PATH true"


# -- reading -----------------------------------------------------------------------------------


class LakeMissing(NewsarcError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"no published archive in {lake_dir(data_dir).resolve()}: run `newsarc ingest "
            f"--data {data_dir}` (every ingest publishes what analysts read)"
        )


# DuckDB threads of a reader unless NEWSARC_DUCKDB_THREADS says otherwise: analysts' reads are
# small, and on a small host each extra thread of each reader is CPU the ingest beside them
# loses (four readers on two cores: 59 CPU-ms a read with two threads, 32 with one).
READER_THREADS = 1


def open_lake_reader(
    data_dir: Path, as_of: int | datetime | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached read-only (at snapshot *as_of*, an id or a
    time, if given) and in use, sealed like a read-only catalog open. It runs on *threads*
    DuckDB threads (default `READER_THREADS`, or NEWSARC_DUCKDB_THREADS when set).

    The seal: external access off except the lake's Parquet directory (`allowed_directories`, so
    DuckLake can read its data files), configuration locked, no extension installed or loaded.
    `allowed_directories` also admits writes there, so the CLI refuses statements that write files
    (`refuse_file_writes`)."""
    catalog = catalog_path(data_dir)
    if not catalog.is_file():
        # no lake yet: the private catalog's own error if it has one (missing, unreadable)
        open_catalog(Path(data_dir) / "archive.duckdb", read_only=True).close()
        raise LakeMissing(data_dir)
    config = (
        {"threads": threads or READER_THREADS}
        | _duckdb_config()
        | {k: v for k, v in _READ_ONLY_CONFIG.items() if k != "enable_external_access"}
    )
    if threads:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    try:
        load_extensions(con)
        pin = ""
        if isinstance(as_of, datetime):
            pin = f", SNAPSHOT_TIME '{as_of.isoformat()}'"
        elif as_of is not None:
            pin = f", SNAPSHOT_VERSION {int(as_of)}"
        con.execute(
            f"ATTACH '{_ducklake_uri(data_dir)}' AS {LAKE} (READ_ONLY{pin}, {_data_path(data_dir)})"
        )
        con.execute(f"USE {LAKE}")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET allowed_directories = ?", [[f"{files_dir(data_dir).resolve()}/"]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        con.close()
        raise NewsarcError(
            f"cannot read the published archive {catalog}: {str(exc).splitlines()[0]}"
        ) from None
    return con


def snapshots(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every snapshot still kept: id, time, commit message and what that ingest added."""
    rows = con.execute(
        f"SELECT snapshot_id, snapshot_time, commit_message, commit_extra_info, changes"
        f" FROM {LAKE}.snapshots() ORDER BY snapshot_id"
    ).fetchall()
    result = []
    for snapshot_id, moment, message, extra, changes in rows:
        added = json.loads(extra) if extra else {}
        result.append(
            {"snapshot_id": snapshot_id, "snapshot_time": moment, "message": message or "",
             "added": added, "changes": changes}
        )  # fmt: skip
    return result


# Statements a sealed reader must not run even though DuckDB would: `allowed_directories` lets
# DuckLake read its Parquet files but also lets COPY, EXPORT or ATTACH write there, and the
# sqlite extension DuckLake needs reads any SQLite file on disk without asking DuckDB.
_WRITING_STATEMENTS = {
    duckdb.StatementType.COPY, duckdb.StatementType.COPY_DATABASE, duckdb.StatementType.EXPORT,
    duckdb.StatementType.ATTACH, duckdb.StatementType.DETACH, duckdb.StatementType.PREPARE,
}  # fmt: skip
_SQLITE_CALL = re.compile(r"""\b"?sqlite_\w*"?\s*\(""", re.IGNORECASE)


def refuse_file_access(sql: str) -> None:
    """Raise `QueryRefused` for SQL that would reach files through the lake reader's seal."""
    if _SQLITE_CALL.search(sql):
        raise QueryRefused("Cannot access files through the sqlite functions")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error:
        return  # DuckDB reports the syntax error itself when the SQL runs
    for statement in statements:
        if statement.type in _WRITING_STATEMENTS:
            raise QueryRefused(f"Cannot access files with {statement.type.name} statements")


# -- maintenance -------------------------------------------------------------------------------

# Files DuckLake scheduled for deletion (replaced by a merge, or only in expired snapshots) are
# deleted once they have waited this long: a reader that began before may still be reading them.
CLEANUP_GRACE = timedelta(hours=1)


@dataclass
class Maintenance:
    """What `maintain` did to the lake."""

    snapshots_expired: int
    snapshots_kept: int
    data_files_before: int
    data_files_after: int
    files_deleted: int


def maintain(data_dir: Path, expire_older_than: timedelta) -> Maintenance:
    """Move rows DuckLake inlined in its catalog into Parquet, merge small adjacent files, expire
    snapshots older than *expire_older_than* (the latest is always kept), and delete the files
    nothing references any more that have waited `CLEANUP_GRACE`.

    Idempotent: a second run finds nothing to expire, merge or delete. It is a writer like an
    ingest; run it between ingests (readers are never disturbed)."""
    if not catalog_path(data_dir).is_file():
        raise LakeMissing(data_dir)
    con = duckdb.connect(":memory:", config=_duckdb_config())
    try:
        load_extensions(con)
        con.execute(f"ATTACH '{_ducklake_uri(data_dir)}' AS {LAKE} ({_data_path(data_dir)})")
        ids = f"SELECT snapshot_id FROM {LAKE}.snapshots()"
        before = {r[0] for r in con.execute(ids).fetchall()}
        files_before = _data_file_count(con)
        cutoff = datetime.now(UTC) - expire_older_than
        grace = datetime.now(UTC) - CLEANUP_GRACE
        # compaction first: its own snapshots are then as old as any, and expire with them
        con.execute(f"CALL ducklake_flush_inlined_data('{LAKE}')")
        con.execute(f"CALL ducklake_merge_adjacent_files('{LAKE}')")
        con.execute(f"CALL ducklake_expire_snapshots('{LAKE}', older_than => ?)", [cutoff])
        deleted = len(
            con.execute(
                f"CALL ducklake_cleanup_old_files('{LAKE}', older_than => ?)", [grace]
            ).fetchall()
        ) + len(
            con.execute(
                f"CALL ducklake_delete_orphaned_files('{LAKE}', older_than => ?)", [grace]
            ).fetchall()
        )
        after = {r[0] for r in con.execute(ids).fetchall()}
        return Maintenance(
            len(before - after), len(after), files_before, _data_file_count(con), deleted
        )
    finally:
        con.close()


def _data_file_count(con) -> int:
    """Parquet data files the lake's current snapshot reads, over all its tables."""
    return sum(
        len(con.execute(f"FROM ducklake_list_files('{LAKE}', ?)", [table]).fetchall())
        for table in _lake_tables(con)
    )


def _lake_tables(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [LAKE]
        ).fetchall()
    ]
