"""Core-ledger postings (CONTRACT.md section 1, ledger): one row per leg of a double entry."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.currencies import ISO_4217_CODES


class LedgerSchema(pa.DataFrameModel):
    entry_id: str = pa.Field(unique=True)
    txn_ref: str
    account_id: str
    direction: str = pa.Field(isin=["D", "C"])
    amount: pl.Decimal(18, 2) = pa.Field(gt=0)
    currency: str = pa.Field(isin=sorted(ISO_4217_CODES))
    status: str = pa.Field(isin=["POSTED", "PENDING", "FAILED"])
    posted_at: pl.Datetime("us", "UTC")
    request_id: str = pa.Field(nullable=True)
    reversal_of: str = pa.Field(nullable=True)

    class Config:
        # the working tables also carry _file and _line
        strict = False
        coerce = False
