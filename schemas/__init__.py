"""Pandera (polars) models of the four extracts: the single home of the column rules.

Types, nullability, allowed values, amount > 0, fee >= 0, the ISO 4217 currency list and key
uniqueness live here and nowhere else; `recon.ingest.rules` derives its DuckDB checks from
these objects, and the tests check that both agree.
"""

from __future__ import annotations

from types import MappingProxyType

import pandera.polars as pa

from schemas.channel import ChannelSchema
from schemas.gateway import GatewaySchema
from schemas.invoices import InvoicesSchema
from schemas.ledger import LedgerSchema

SCHEMAS: MappingProxyType[str, type[pa.DataFrameModel]] = MappingProxyType(
    {
        "ledger": LedgerSchema,
        "channel": ChannelSchema,
        "gateway": GatewaySchema,
        "invoices": InvoicesSchema,
    }
)

__all__ = ["SCHEMAS", "ChannelSchema", "GatewaySchema", "InvoicesSchema", "LedgerSchema"]
