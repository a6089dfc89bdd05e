"""Customer requests from the channels (APP, WEB, COUNTER, ATM, API, POS): what the customer
asked for and what they were told (CONTRACT.md section 1, channel)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas.currencies import ISO_4217_CODES


class ChannelSchema(pa.DataFrameModel):
    request_id: str = pa.Field(unique=True)
    idempotency_key: str = pa.Field(nullable=True)
    channel: str
    customer_id: str
    debit_account: str
    credit_account: str = pa.Field(nullable=True)
    amount: pl.Decimal(18, 2) = pa.Field(gt=0)
    currency: str = pa.Field(isin=sorted(ISO_4217_CODES))
    requested_at: pl.Datetime("us", "UTC")
    status: str = pa.Field(isin=["SUCCESS", "FAILED", "TIMEOUT", "PENDING"])
    error_code: str = pa.Field(nullable=True)
    txn_ref: str = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = False
