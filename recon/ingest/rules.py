"""The column rules of a source, read off its Pandera schema so they are stated only once.

Ingest checks rows in DuckDB (fast, out of core) with predicates derived from these rules;
`tests/ingest/test_rules.py` checks that the derived SQL and Pandera agree on the same rows.
A schema check this module does not know how to translate is an error, never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

import pandera.polars as pa
import polars as pl

from schemas import SCHEMAS
from schemas.currencies import ISO_4217_CODES

Kind = Literal["text", "decimal", "timestamp", "boolean"]

DUCKDB_TYPES: dict[Kind, str] = {
    "text": "VARCHAR",
    "decimal": "DECIMAL(18,2)",
    "timestamp": "TIMESTAMPTZ",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class ValueCheck:
    """One schema check on a parsed value: allowed values, or a bound on a number."""

    op: Literal["isin", "gt", "ge"]
    allowed: tuple[str, ...] = ()
    bound: Decimal = Decimal(0)


@dataclass(frozen=True)
class ColumnRule:
    name: str
    kind: Kind
    nullable: bool
    unique: bool
    checks: tuple[ValueCheck, ...]

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.kind]

    @property
    def is_currency(self) -> bool:
        """Currency columns are upper-cased and mapped through `currency_aliases` first."""
        return any(c.op == "isin" and set(c.allowed) == ISO_4217_CODES for c in self.checks)


@dataclass(frozen=True)
class SourceRules:
    source: str
    columns: tuple[ColumnRule, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def key(self) -> ColumnRule:
        """The source's unique key (every schema has exactly one unique column)."""
        (key,) = [c for c in self.columns if c.unique]
        return key

    @property
    def timestamps(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "timestamp")

    def column(self, name: str) -> ColumnRule:
        return next(c for c in self.columns if c.name == name)


@cache
def source_rules(source: str) -> SourceRules:
    """The rules of `source` ("ledger", "channel", "gateway", "invoices") from its schema."""
    schema = SCHEMAS[source].to_schema()
    return SourceRules(
        source=source,
        columns=tuple(_column_rule(name, col) for name, col in schema.columns.items()),
    )


def _column_rule(name: str, column: pa.Column) -> ColumnRule:
    return ColumnRule(
        name=name,
        kind=_kind(name, column.dtype.type),
        nullable=bool(column.nullable),
        unique=bool(column.unique),
        checks=tuple(_value_check(name, check) for check in column.checks),
    )


def _kind(name: str, dtype: pl.DataType) -> Kind:
    if dtype == pl.String:
        return "text"
    if isinstance(dtype, pl.Decimal) and (dtype.precision, dtype.scale) == (18, 2):
        return "decimal"
    if isinstance(dtype, pl.Datetime) and dtype.time_zone == "UTC":
        return "timestamp"
    if dtype == pl.Boolean:
        return "boolean"
    raise TypeError(f"schema column {name}: dtype {dtype} has no ingest rule")


def _value_check(name: str, check: pa.Check) -> ValueCheck:
    stats = check.statistics or {}
    if check.name == "isin":
        return ValueCheck("isin", allowed=tuple(str(v) for v in stats["allowed_values"]))
    if check.name == "greater_than":
        return ValueCheck("gt", bound=Decimal(str(stats["min_value"])))
    if check.name == "greater_than_or_equal_to":
        return ValueCheck("ge", bound=Decimal(str(stats["min_value"])))
    raise TypeError(f"schema column {name}: check {check.name} has no ingest rule")
