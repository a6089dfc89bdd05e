"""Core-ledger postings (CONTRACT.md section 1, ledger): one row per leg of a double entry."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas import text
from schemas.currencies import ISO_4217_CODES

# every text column of the ledger is an identifier: both text checks look at all of them
_IDENTIFIERS = ("entry_id", "txn_ref", "account_id", "request_id", "reversal_of")


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

    # free text: no JSON array or object; identifiers: no control characters (schemas/text.py)
    @pa.check(*_IDENTIFIERS, name=text.NOT_JSON_CONTAINER)
    @classmethod
    def _not_json_container(cls, data: PolarsData) -> pl.LazyFrame:
        return text.not_json_container(data)

    @pa.check(*_IDENTIFIERS, name=text.NO_CONTROL_CHARACTERS)
    @classmethod
    def _no_control_characters(cls, data: PolarsData) -> pl.LazyFrame:
        return text.no_control_characters(data)

    class Config:
        # the working tables also carry _file and _line
        strict = False
        coerce = False
