"""Invoices issued for payments (CONTRACT.md section 1, invoices; the extract is optional)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl


class InvoicesSchema(pa.DataFrameModel):
    invoice_id: str = pa.Field(unique=True)
    txn_ref: str
    amount: pl.Decimal(18, 2) = pa.Field(gt=0)
    status: str = pa.Field(isin=["ISSUED", "VOID"])
    issued_at: pl.Datetime("us", "UTC")

    class Config:
        strict = False
        coerce = False
