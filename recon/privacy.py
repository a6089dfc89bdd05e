"""Masking of account and customer ids in what recon shares (`[privacy]`, README).

One rule, written twice so that every writer applies it where its data is: `mask_id` in
Python and the `mask_id(value, on)` macro of `privacy_mask.sql` in DuckDB (a test holds the
two to the same answers). An id of `MASK_MIN_LENGTH` characters or more keeps its first
`MASK_PREFIX` and last `MASK_SUFFIX` characters with `MASK_STARS` between; a shorter one is
all stars. The stars are always the same number, so a masked id never tells the length.
NULL stays NULL and an empty id stays empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from recon.sql import load_sql

if TYPE_CHECKING:
    import polars as pl

MASK_PREFIX = 2
MASK_SUFFIX = 4
MASK_MIN_LENGTH = 8
MASK_STARS = "******"
# our columns (CONTRACT.md) that hold an account or customer id
ID_COLUMNS = ("customer_id", "account_id", "debit_account", "credit_account")


def mask_id(value: object, on: bool = True) -> str | None:
    """`AC0000000224` -> `AC******0224`; `C1` -> `******`; the value itself when `on` is false."""
    if value is None:
        return None
    text = str(value)
    if not on or text == "":
        return text
    if len(text) < MASK_MIN_LENGTH:
        return MASK_STARS
    return text[:MASK_PREFIX] + MASK_STARS + text[-MASK_SUFFIX:]


def install_mask(con: duckdb.DuckDBPyConnection) -> None:
    """Define the `mask_id(value, on)` macro on this connection (temporary, idempotent)."""
    con.execute(load_sql("recon", "privacy_mask"))


def mask_columns(frame: pl.DataFrame, columns: tuple[str, ...] = ID_COLUMNS) -> pl.DataFrame:
    """`frame` with the id `columns` it has masked by `mask_id` (e.g. an exceptions export)."""
    import polars as pl

    return frame.with_columns(
        pl.col(name).map_elements(mask_id, return_dtype=pl.String)
        for name in columns
        if name in frame.columns
    )
