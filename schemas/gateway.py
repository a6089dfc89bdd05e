"""Payment-gateway / clearing records: money that left (or failed to leave) the bank
(CONTRACT.md section 1, gateway)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

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

    class Config:
        strict = False
        coerce = False
