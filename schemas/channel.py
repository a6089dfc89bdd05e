"""Customer requests from the channels (APP, WEB, COUNTER, ATM, API, POS): what the customer
asked for and what they were told (CONTRACT.md section 1, channel)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas import text
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

    # free text: no JSON array or object; identifiers: no control characters (schemas/text.py)
    @pa.check(
        "request_id",
        "idempotency_key",
        "channel",
        "customer_id",
        "debit_account",
        "credit_account",
        "error_code",
        "txn_ref",
        name=text.NOT_JSON_CONTAINER,
    )
    @classmethod
    def _not_json_container(cls, data: PolarsData) -> pl.LazyFrame:
        return text.not_json_container(data)

    @pa.check(
        "request_id",
        "idempotency_key",
        "customer_id",
        "debit_account",
        "credit_account",
        "txn_ref",
        name=text.NO_CONTROL_CHARACTERS,
    )
    @classmethod
    def _no_control_characters(cls, data: PolarsData) -> pl.LazyFrame:
        return text.no_control_characters(data)

    class Config:
        strict = False
        coerce = False
