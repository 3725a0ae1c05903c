"""Exceptions newsarc raises on purpose.

Callers (the CLI, flows) catch `NewsarcError` to print one clear line instead of a traceback, so
every subclass carries a message written for an operator, naming the file involved.
"""

from __future__ import annotations

from pathlib import Path


class NewsarcError(Exception):
    """Base class: an expected failure with an operator-readable message."""


class CatalogLocked(NewsarcError):
    """The DuckDB catalog is held by another process.

    DuckDB allows one writing process per database file and fails at once (it does not wait), with
    an IO error that names the lock and the holder's PID. We translate it so the operator learns
    which file is busy and that the cure is to wait for (or stop) the other newsarc process.
    """

    def __init__(self, db_path: Path, holder_pid: int | None = None) -> None:
        self.db_path = Path(db_path)
        self.holder_pid = holder_pid
        holder = f" (PID {holder_pid})" if holder_pid is not None else ""
        super().__init__(
            f"catalog {self.db_path} is locked: another newsarc process{holder} is writing to it; "
            "wait for it to finish or stop it, then retry"
        )


class BadWarc(NewsarcError):
    """A WARC file cannot be read at some point; names the file and the byte offset."""

    def __init__(self, path: Path, offset: int | None, reason: str) -> None:
        self.path = Path(path)
        self.offset = offset
        self.reason = reason
        where = f" at offset {offset}" if offset is not None else ""
        super().__init__(f"bad WARC {self.path}{where}: {reason}")


class BadProfile(NewsarcError):
    """A site profile (TOML) is missing, unparsable or fails validation."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        prefix = f"bad profile {self.path}: " if self.path is not None else "bad profile: "
        super().__init__(prefix + message)


class CatalogOutdated(NewsarcError):
    """The catalog was written with an older schema. The WARCs hold everything it was derived
    from, so the cure is a rebuild, never a hand migration."""

    def __init__(self, db_path: Path, found: str | None, wanted: str) -> None:
        self.db_path = Path(db_path)
        super().__init__(
            f"catalog {self.db_path} has schema version {found or 'unknown (before versions)'}, "
            f"this newsarc needs {wanted}: rebuild it from the WARCs with `newsarc reindex`"
        )


class CatalogMissing(NewsarcError):
    """A read found no catalog file: nothing was ingested into this data directory yet, or
    --data points somewhere else."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        super().__init__(
            f"no catalog at {self.db_path}: crawl or ingest into this data directory first "
            "(`newsarc ingest --data DIR`), or pass the right --data"
        )


class CatalogUnreadable(NewsarcError):
    """The catalog file exists but is not a DuckDB database (empty or damaged). The WARCs hold
    everything it was derived from, so the cure is a rebuild."""

    def __init__(self, db_path: Path, reason: str) -> None:
        self.db_path = Path(db_path)
        super().__init__(
            f"catalog {self.db_path} is not readable ({reason}): "
            "rebuild it from the WARCs with `newsarc reindex`"
        )


class DataDirMissing(NewsarcError):
    """--data names a directory that does not exist; reading it would report an empty archive
    as if it were a healthy one."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        super().__init__(
            f"data directory {self.path} does not exist: pass --data with the directory "
            "`newsarc crawl` wrote to"
        )


class QueryRefused(NewsarcError):
    """SQL given to `newsarc query` tried to change something or reach outside the catalog."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            "newsarc query is read-only: it cannot change the catalog, read or write files, "
            f"install extensions or change settings ({reason})"
        )


class QueryFailed(NewsarcError):
    """SQL given to `newsarc query` is not valid (syntax, unknown table or column...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"query failed: {reason}")
