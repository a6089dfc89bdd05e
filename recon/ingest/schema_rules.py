"""Derive the column rules of each source from its Pandera schema (`schemas/`).

A schema check this module does not know how to translate is an error, never skipped.
`python -m recon.ingest.schema_rules` rewrites `compiled_rules.json` after a schema change
(a run notices a stale file by its fingerprint and derives the rules itself meanwhile).
"""

from __future__ import annotations

import argparse
from decimal import Decimal

import pandera.polars as pa
import polars as pl

from recon.ingest.rules import (
    COMPILED,
    SOURCES,
    ColumnRule,
    Kind,
    SourceRules,
    ValueCheck,
    rules_to_json,
    schema_fingerprint,
)
from schemas import SCHEMAS
from schemas.currencies import ISO_4217_CODES
from schemas.text import NO_CONTROL_CHARACTERS, NOT_JSON_CONTAINER


def derive_rules(source: str) -> SourceRules:
    """The rules of `source` read off its schema object."""
    schema = SCHEMAS[source].to_schema()
    return SourceRules(
        source=source,
        columns=tuple(_column_rule(name, col) for name, col in schema.columns.items()),
    )


def compiled_text() -> str:
    """What `compiled_rules.json` must hold for the schemas as they are now."""
    return rules_to_json({s: derive_rules(s) for s in SOURCES}, schema_fingerprint())


def _column_rule(name: str, column: pa.Column) -> ColumnRule:
    checks = tuple(_value_check(name, check) for check in column.checks)
    return ColumnRule(
        name=name,
        kind=_kind(name, column.dtype.type),
        nullable=bool(column.nullable),
        unique=bool(column.unique),
        checks=checks,
        is_currency=any(c.op == "isin" and set(c.allowed) == ISO_4217_CODES for c in checks),
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
    if check.name in (NOT_JSON_CONTAINER, NO_CONTROL_CHARACTERS):
        return ValueCheck(check.name)
    raise TypeError(f"schema column {name}: check {check.name} has no ingest rule")


def main() -> None:
    argparse.ArgumentParser(
        prog="python -m recon.ingest.schema_rules",
        description=f"Rewrite {COMPILED} from the Pandera schemas in schemas/.",
    ).parse_args()
    COMPILED.write_text(compiled_text(), encoding="utf-8")
    print(f"wrote {COMPILED}")


if __name__ == "__main__":
    main()
