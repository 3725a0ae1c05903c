"""Temporary one-column tables: how a set of keys computed in Python joins back into SQL."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa


def stage_keys(con: duckdb.DuckDBPyConnection, table: str, column: str, keys: Iterable[str]):
    """(Re)create temp table `table` with one VARCHAR column holding `keys` (any number)."""
    batch = pa.table({column: pa.array(sorted(set(keys)), type=pa.string())})
    con.register("staged_keys", batch)
    # `table` and `column` are identifiers chosen by the caller's code, never data.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM staged_keys")
    con.unregister("staged_keys")
