"""Invoices issued for payments (CONTRACT.md section 1, invoices; the extract is optional)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas import text


class InvoicesSchema(pa.DataFrameModel):
    invoice_id: str = pa.Field(unique=True)
    txn_ref: str
    amount: pl.Decimal(18, 2) = pa.Field(gt=0)
    status: str = pa.Field(isin=["ISSUED", "VOID"])
    issued_at: pl.Datetime("us", "UTC")

    # free text: no JSON array or object; identifiers: no control characters (schemas/text.py)
    @pa.check("invoice_id", "txn_ref", name=text.NOT_JSON_CONTAINER)
    @classmethod
    def _not_json_container(cls, data: PolarsData) -> pl.LazyFrame:
        return text.not_json_container(data)

    @pa.check("invoice_id", "txn_ref", name=text.NO_CONTROL_CHARACTERS)
    @classmethod
    def _no_control_characters(cls, data: PolarsData) -> pl.LazyFrame:
        return text.no_control_characters(data)

    class Config:
        strict = False
        coerce = False
