"""How rows computed in Python reach DuckDB: as an Arrow table, shown to SQL for one statement.

Binding Python values one by one is pathologically slow here (DuckDB 1.5.5 tries ``import
pandas`` twice per bound value), so every table the catalog and the story derivation fill from
Python goes through this module: the rows become one Arrow table, registered under a name for
the statements that read it and unregistered afterwards, even when a statement fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa


@contextmanager
def arrow_view(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    """`with arrow_view(con, "batch", table):` ... SQL may read ``batch`` ... (then it is gone)."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Mapping[str, Any]] | pa.Table,
    schema: pa.Schema | None = None,
    *,
    on_conflict: str = "",
) -> int:
    """Insert `rows` (dicts in `schema`'s columns, or an Arrow table) into `table` by column
    name; returns how many rows were added. `on_conflict` is SQL such as "DO NOTHING"."""
    batch = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(list(rows), schema=schema)
    if batch.num_rows == 0:
        return 0
    # `table` and `on_conflict` come from the caller's code, never from data; values reach
    # DuckDB only through the Arrow batch.
    conflict = f" ON CONFLICT {on_conflict}" if on_conflict else ""
    with arrow_view(con, "staged_rows", batch):
        added = con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM staged_rows{conflict}"
        ).fetchone()
    return int(added[0]) if added else 0


def stage_keys(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Iterable[str]):
    """(Re)create temp table `table` with one VARCHAR column holding `keys` (any number)."""
    batch = pa.table({column: pa.array(sorted(set(keys)), type=pa.string())})
    with arrow_view(con, "staged_keys", batch):
        # `table` and `column` are identifiers chosen by the caller's code, never data.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM staged_keys")
