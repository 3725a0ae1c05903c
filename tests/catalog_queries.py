"""Reading a test archive's catalog: read-only, closed again at once, so the next ingest can
take the writer's lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def read_catalog(data_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(Path(data_dir) / "archive.duckdb"), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query(data_dir: Path, sql: str, *params) -> list[tuple]:
    with read_catalog(data_dir) as con:
        return con.execute(sql, list(params)).fetchall()


STORY_TABLES = ("articles", "article_versions", "paragraph_pairs", "article_urls",
                "article_captures", "near_duplicates", "changes")  # fmt: skip


def story_tables(data_dir: Path, tables: tuple[str, ...] = STORY_TABLES) -> dict[str, list[str]]:
    """Every row of the story tables, in a canonical order: what "the same tables" compares."""
    return {t: sorted(map(repr, query(data_dir, f"SELECT * FROM {t}"))) for t in tables}
