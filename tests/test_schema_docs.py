"""The schema is a document analysts can trust: every public column says what it holds, the
views need nothing but the public tables (so they work in the analysts' DuckLake), and no public
column hides a known shape in JSON."""

from __future__ import annotations

import duckdb
import pytest

from archive.catalog.connection import (
    PUBLIC_TABLES,
    VIEW_COLUMNS_PATH,
    VIEWS_PATH,
    open_catalog,
)

VIEWS = ("latest_versions", "changes_with_titles", "silent_edits", "copies_across_sites")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    con = open_catalog(tmp_path_factory.mktemp("schema") / "archive.duckdb")
    yield con
    con.close()


def columns(con, names) -> list[tuple[str, str, str, str | None]]:
    return con.execute(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns()"
        " WHERE list_contains($names, table_name) ORDER BY table_name, column_index",
        {"names": list(names)},
    ).fetchall()


def views_of(con) -> list[str]:
    """Every view analysts see: views.sql's, and any other part of newsarc adds."""
    rows = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1")
    return [name for (name,) in rows.fetchall()]


def test_the_catalog_has_every_public_table_and_the_analysts_views(catalog):
    tables = {r[0] for r in catalog.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert set(PUBLIC_TABLES) <= tables
    assert set(VIEWS) <= set(views_of(catalog))


def test_every_public_table_and_view_has_a_comment(catalog):
    commented = dict(catalog.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    commented |= dict(catalog.execute("SELECT view_name, comment FROM duckdb_views()").fetchall())
    public = (*PUBLIC_TABLES, *views_of(catalog))
    assert [name for name in public if not (commented.get(name) or "").strip()] == []


def test_every_column_of_every_public_table_and_view_has_a_comment(catalog):
    public = (*PUBLIC_TABLES, *views_of(catalog))
    found = columns(catalog, public)
    assert {table for table, *_ in found} == set(public)
    missing = [
        f"{table}.{column}" for table, column, _, comment in found if not (comment or "").strip()
    ]
    assert missing == []


def test_no_public_column_is_json(catalog):
    """A known shape is a STRUCT, MAP or LIST, so a Parquet export (and an analyst) sees it."""
    untyped = [f"{t}.{c}" for t, c, kind, _ in columns(catalog, PUBLIC_TABLES) if "JSON" in kind]
    assert untyped == []


def test_the_views_need_only_the_public_tables(catalog):
    """Where only the public tables exist (the analysts' lake), every view binds and runs."""
    lake = duckdb.connect()
    try:
        for table in PUBLIC_TABLES:
            [(create,)] = catalog.execute(
                "SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table]
            ).fetchall()
            lake.execute(create)
        lake.execute(VIEWS_PATH.read_text(encoding="utf-8"))
        for view in VIEWS:
            assert lake.execute(f"SELECT * FROM {view}").fetchall() == []
        # ... and the column comments apply there too (a DuckLake refuses them; DuckDB keeps them)
        lake.execute(VIEW_COLUMNS_PATH.read_text(encoding="utf-8"))
    finally:
        lake.close()


def test_views_sql_holds_no_comment_on_a_view_column():
    """DuckLake refuses COMMENT ON COLUMN for a view; views.sql is applied to the lake as it is."""
    statements = duckdb.extract_statements(VIEWS_PATH.read_text(encoding="utf-8"))
    assert not [s.query for s in statements if "COMMENT ON COLUMN" in s.query.upper()]
