"""Payment-gateway / clearing records: money that left (or failed to leave) the bank
(CONTRACT.md section 1, gateway)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas import text
from schemas.currencies import ISO_4217_CODES


class GatewaySchema(pa.DataFrameModel):
    gateway_ref: str = pa.Field(unique=True)
    txn_ref: str
    amount: pl.Decimal(18, 2) = pa.Field(gt=0)
    currency: str = pa.Field(isin=sorted(ISO_4217_CODES))
    fee: pl.Decimal(18, 2) = pa.Field(ge=0)
    status: str = pa.Field(isin=["SUCCESS", "FAILED", "PENDING", "REFUNDED"])
    gateway_at: pl.Datetime("us", "UTC")
    # null means true: an invoice is required unless the gateway says otherwise
    invoice_required: pl.Boolean = pa.Field(nullable=True)

    # free text: no JSON array or object; identifiers: no control characters (schemas/text.py)
    @pa.check("gateway_ref", "txn_ref", name=text.NOT_JSON_CONTAINER)
    @classmethod
    def _not_json_container(cls, data: PolarsData) -> pl.LazyFrame:
        return text.not_json_container(data)

    @pa.check("gateway_ref", "txn_ref", name=text.NO_CONTROL_CHARACTERS)
    @classmethod
    def _no_control_characters(cls, data: PolarsData) -> pl.LazyFrame:
        return text.no_control_characters(data)

    class Config:
        strict = False
        coerce = False
