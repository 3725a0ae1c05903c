"""The README's recipes for analysts run, as written, on a demo archive with edits: through
`newsarc query` and through an analyst's own DuckDB session on the lake. And the Parquet export
keeps the typed columns' shapes.

One archive for the module: both demo sites crawled, then a headline edited (claimed) and a
paragraph changed silently, then crawled again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as parquet
import pytest
from typer.testing import CliRunner

from archive.catalog.lake import LAKE, attach_sql, load_extensions
from flows.cli import app
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## Recipes for analysts"
# What each recipe answers with, in the README's order.
EXPECTED_COLUMNS = [
    ["detected_at", "site", "title_en", "title_zh", "fields", "claimed"],
    ["version", "captured_at", "title_en", "title_zh", "kind", "fields", "claimed", "diff"],
    ["detected_at", "site", "old_title_en", "new_title_en", "old_title_zh", "new_title_zh"],
    ["site", "silent_edits", "stories", "latest"],
    ["original_site", "original_title_en", "copy_site", "copy_title_en", "copy_url", "reason",
     "similarity"],
]  # fmt: skip
NEW_TITLE_EN = "Robot makers bet on foundation models, and say so"


def recipes() -> list[str]:
    """Every ```sql block of the README's recipes section."""
    text = README.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("recipes") / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profiles = sites.write_profiles(data / "profiles")
        crawl = [profiles["aggregator"], profiles["translated"]]
        assert not archive_profiles(crawl, data, timeout=300).failures
        sites.advance(hours=1)
        sites.edit_title("translated", "robot-foundation-models", "en", NEW_TITLE_EN)
        sites.silent_edit("aggregator", "on-device-assistants", 0, "en", "A quietly new lede.")
        assert not archive_profiles(crawl, data, timeout=300).failures
    return data


def newsarc_query(data: Path, sql: str) -> list[dict]:
    ran = CliRunner().invoke(app, ["query", sql, "--data", str(data), "--format", "json"])
    assert ran.exit_code == 0, ran.output
    return json.loads(ran.stdout)


def test_the_readme_has_five_recipes():
    assert len(recipes()) == len(EXPECTED_COLUMNS) == 5


@pytest.mark.parametrize("number", range(len(EXPECTED_COLUMNS)))
def test_each_recipe_answers_through_newsarc_query(data, number):
    rows = newsarc_query(data, recipes()[number])
    assert rows, f"recipe {number + 1} found nothing"
    assert list(rows[0]) == EXPECTED_COLUMNS[number]


def test_the_recipes_answer_what_happened(data):
    edited, history, headlines, silent, copies = (newsarc_query(data, sql) for sql in recipes())
    [headline_edit] = [r for r in edited if r["title_en"] == NEW_TITLE_EN]
    assert "title_en" in headline_edit["fields"] and headline_edit["claimed"] is True
    assert any(r["claimed"] is False for r in edited)
    assert [(v["version"], v["kind"]) for v in history] == [(1, "new"), (2, "edited")]
    assert history[1]["title_en"] == NEW_TITLE_EN and "[title_en]" in history[1]["diff"]
    assert [h["new_title_en"] for h in headlines] == [NEW_TITLE_EN]
    assert headlines[0]["old_title_en"] != NEW_TITLE_EN
    assert {s["site"] for s in silent} == {"demo-aggregator"}
    assert {frozenset((c["original_site"], c["copy_site"])) for c in copies} == {
        frozenset(("demo-aggregator", "demo-translated"))
    }


def test_the_recipes_run_the_same_in_an_analysts_own_duckdb_session(data):
    """`LOAD` the extensions, `ATTACH` the lake read-only as the README says, `USE` it."""
    con = duckdb.connect()
    try:
        load_extensions(con)
        con.execute(attach_sql(data))
        con.execute(f"USE {LAKE}")
        con.execute("SET TimeZone = 'UTC'")
        for number, sql in enumerate(recipes()):
            cursor = con.execute(sql)
            assert [d[0] for d in cursor.description] == EXPECTED_COLUMNS[number]
            assert len(cursor.fetchall()) == len(newsarc_query(data, sql))
    finally:
        con.close()


def test_the_parquet_export_keeps_the_typed_columns(data, tmp_path):
    ran = CliRunner().invoke(
        app, ["export", "--format", "parquet", "--data", str(data), "--out", str(tmp_path)]
    )
    assert ran.exit_code == 0, ran.output
    versions = parquet.read_table(tmp_path / "article_versions.parquet")
    schema = versions.schema
    assert schema.field("scores").type == pa.map_(pa.string(), pa.float64())
    assert schema.field("key_data").type == pa.list_(pa.list_(pa.string()))
    faq = schema.field("faq").type
    assert pa.types.is_list(faq) and [f.name for f in faq.value_type] == [
        "question_en", "answer_en", "question_zh", "answer_zh",
    ]  # fmt: skip
    assert pa.types.is_struct(schema.field("field_hashes").type)
    assert pa.types.is_list(schema.field("body_en").type)
    rows = versions.to_pylist()
    assert any(dict(r["scores"]).get("hot") for r in rows)
    assert any(r["faq"] and r["faq"][0]["question_en"] for r in rows)
    assert any(r["key_data"] and isinstance(r["key_data"][0], list) for r in rows)


def test_latest_versions_is_each_story_once_at_its_last_version(data):
    [(stories, rows, at_last)] = newsarc_query_rows(
        data,
        "SELECT (SELECT count(*) FROM articles), count(*),"
        " count(*) FILTER (WHERE version = (SELECT max(version) FROM article_versions v"
        "                                   WHERE v.article_id = l.article_id))"
        " FROM latest_versions l",
    )
    assert stories == rows == at_last > 0


def newsarc_query_rows(data: Path, sql: str) -> list[tuple]:
    return [tuple(row.values()) for row in newsarc_query(data, sql)]


def test_the_lake_explains_every_column_as_the_schema_does(data):
    from archive.catalog.connection import open_catalog
    from archive.catalog.lake import PUBLISHED_TABLES, open_lake_reader

    sql = (
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = ?"
        " AND table_name IN (SELECT unnest(?)) ORDER BY ALL"
    )
    catalog = open_catalog(data / "archive.duckdb", read_only=True)
    lake = open_lake_reader(data)
    try:
        written = catalog.execute(sql, ["archive", list(PUBLISHED_TABLES)]).fetchall()
        published = lake.execute(sql, ["lake", list(PUBLISHED_TABLES)]).fetchall()
    finally:
        catalog.close()
        lake.close()

    assert published and published == written
    assert all(comment for *_, comment in published)
