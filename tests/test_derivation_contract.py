"""The story derivation's temp-table contract (derive.py's STEPS) is what the code does.

Each step declares the temp tables it reads, writes and keeps for itself, and the catalog
tables it changes. Run step by step over real WARCs (a site whose promo paragraph rotates and
becomes boilerplate, a story edited, one removed), each declaration is checked against the
connection, and the temp tables each step's SQL names are checked against what it declares.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from archive.catalog.connection import open_catalog
from archive.catalog.ingest import ingest_warcs
from archive.stories.captures import extract_pending
from archive.stories.derive import STEPS, Step
from archive.warc.writer import HttpExchange, WarcWriter

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SITE = "http://127.0.0.52:8052"
PROMOS = [
    "Acme Cloud rents out the fastest accelerators by the hour, with no contract and no queue.",
    "The Frontier Summit returns to Singapore in March, with two days of talks on model safety.",
    "Our weekly briefing explains the week in artificial intelligence in five minutes flat.",
]
TOPICS = {"chips": "Chip export policy", "agents": "Agent liability", "energy": "Data centres",
          "robots": "Robot safety", "audits": "Model audits",
          "copyright": "Training data"}  # fmt: skip
TEMP_TABLES = {t for step in STEPS for t in (*step.writes, *step.scratch)}


def story_page(slug: str, promo: str, edited: bool = False) -> bytes:
    topic = TOPICS[slug]
    paragraphs = [
        f"{topic} was the subject of a long meeting of regulators and researchers this week.",
        f"People close to the talks said the discussion of {topic.lower()} ended without a deal.",
        f"Critics said {topic.lower()} needs clearer rules and asked for a public consultation.",
    ]
    if edited:
        paragraphs[1] += " A second meeting is now set for December."
    body = f"<p>{paragraphs[0]}</p><div class='k7x'>{promo}</div>"
    body += "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>{slug} | Wire</title></head><body>"
        f"<article><h1>{topic}</h1>{body}</article></body></html>"
    ).encode()


def write_run(warcs: Path, run: int) -> None:
    """Run 0 and 1: every story, promos rotating; run 2: `chips` edited, `robots` gone (404)."""
    fields = {"isPartOf": "wire", "newsarc-run-id": f"run-{run}",
              "newsarc-page-patterns": '{"stories": ["/story/"], "listings": []}'}  # fmt: skip
    writer = WarcWriter(warcs, f"wire-{run}", warcinfo_fields=fields)
    try:
        for i, slug in enumerate(sorted(TOPICS)):
            gone = run == 2 and slug == "robots"
            body = (
                b"Not found"
                if gone
                else story_page(slug, PROMOS[(run + i) % 3], run == 2 and slug == "chips")
            )
            writer.write_exchange(
                HttpExchange(
                    url=f"{SITE}/story/{slug}", method="GET",
                    request_headers=[("Host", "127.0.0.52:8052")], status=404 if gone else 200,
                    response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body, captured_at=T0 + timedelta(hours=run, seconds=i),
                )
            )  # fmt: skip
    finally:
        writer.close()


def temp_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    return {name for (name,) in rows}


def catalog_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per catalog table: its row count and an order-free hash of its rows."""
    names = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
    return {
        name: con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {name} t").fetchone()
        for (name,) in names
    }


def run_checked(step: Step, con: duckdb.DuckDBPyConnection, warc_dir: Path) -> None:
    before, catalog_before = temp_tables(con), catalog_fingerprints(con)
    assert set(step.reads) <= before, f"{step.name} reads what no earlier step wrote"
    assert not set(step.writes) & before, f"{step.name} writes a table another step wrote"
    step.run(con, warc_dir)
    after, catalog_after = temp_tables(con), catalog_fingerprints(con)
    assert set(step.writes) <= after, f"{step.name} did not write what it declares"
    undeclared = after - before - set(step.writes) - set(step.scratch)
    assert not undeclared, f"{step.name} made temp tables it does not declare: {undeclared}"
    changed = {t for t in catalog_after if catalog_after[t] != catalog_before.get(t)}
    assert changed <= set(step.changes), f"{step.name} changed undeclared tables: {changed}"


@pytest.fixture
def warcs(tmp_path: Path) -> Path:
    directory = tmp_path / "warcs"
    directory.mkdir()
    return directory


def test_every_step_reads_and_writes_exactly_the_temp_tables_it_declares(warcs, tmp_path):
    made: dict[int, dict[str, int]] = {}
    for run in range(3):  # new stories; boilerplate learned (replayed); an edit and a removal
        write_run(warcs, run)
        con = open_catalog(tmp_path / "archive.duckdb")  # a fresh connection: no temp tables
        try:
            ingest_warcs(con, sorted(warcs.glob("*.warc.gz")))
            extract_pending(con, warcs)
            con.execute("BEGIN TRANSACTION")
            for step in STEPS:
                run_checked(step, con, warcs)
            assert temp_tables(con) <= TEMP_TABLES
            made[run] = dict(
                con.execute("SELECT kind, count(*) FROM new_changes GROUP BY kind").fetchall()
            )
            con.execute("COMMIT")
        finally:
            con.close()
    # the runs took the paths the contract is meant to cover
    assert made[0] == {"new": len(TOPICS)}
    # the rotating promo became boilerplate (never an edit): every story is replayed with it
    assert made[1] == {"new": len(TOPICS)}
    assert made[2] == {"edited": 1, "removed": 1}


def test_every_step_reads_only_what_an_earlier_step_wrote():
    written: set[str] = set()
    for step in STEPS:
        assert set(step.reads) <= written, (step.name, set(step.reads) - written)
        written |= set(step.writes)
    names = [step.name for step in STEPS]
    assert len(names) == len(set(names)), "step names are unique"


def _code_strings(fn, seen: set) -> list[str]:
    """The string literals (docstrings left out) of `fn` and of the story-layer functions and
    constants it uses, transitively: the SQL it runs and the table names it passes on."""
    if fn in seen:
        return []
    seen.add(fn)
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip
    for name in fn.__code__.co_names:
        used = fn.__globals__.get(name)
        if isinstance(used, str):
            strings.append(used)
        elif inspect.isfunction(used) and used.__module__.startswith("archive.stories"):
            strings += _code_strings(used, seen)
    return strings


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_a_step_reads_exactly_the_temp_tables_its_sql_names(step):
    sql = "\n".join(_code_strings(step.fn, set()))
    named = {t for t in TEMP_TABLES if re.search(rf"\b{t}\b", sql)}
    read = named - set(step.writes) - set(step.scratch)
    assert read == set(step.reads), f"{step.name}: its SQL reads {read}, it declares {step.reads}"
