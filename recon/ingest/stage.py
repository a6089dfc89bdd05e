"""Type, deduplicate and check one source's rows in DuckDB (table `recon_stage`).

The SQL is stage.sql; this module fills in the parts that follow from the schema: which
parser each column gets, what "same content" compares, and one rule per schema check, each
with the column and reason a quarantined row reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from recon.ingest.rules import ColumnRule, SourceRules, ValueCheck
from recon.sql import load_sql, quote_ident

_NOUN = {"decimal": "amount", "timestamp": "timestamp", "boolean": "boolean"}


@dataclass(frozen=True)
class Rule:
    """One way a row can break its schema: `condition` is SQL over the typed row."""

    column: str
    reason: str
    condition: str


@dataclass(frozen=True)
class Parsing:
    """Settings that decide how text parses: bound as parameters, never spliced in."""

    timezone: str = "UTC"
    thousands_separator: str | None = None
    currency_aliases: Mapping[str, str] | None = None

    def params(self) -> dict[str, Any]:
        aliases = dict(self.currency_aliases or {})
        return {
            "tz": self.timezone,
            "sep": self.thousands_separator,
            "alias_from": [k.upper() for k in aliases],
            "alias_to": [v.upper() for v in aliases.values()],
        }


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The text parsers of macros.sql, as temporary macros on `con`."""
    for statement in _statements(load_sql("recon.ingest", "macros")):
        con.execute(statement)


def stage_rows(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    relations: Sequence[str],
    parsing: Parsing,
) -> list[Rule]:
    """Fill `recon_stage` from the text relations of one source's files (in file order).

    Returns the rules, in the order of the `_rule` ids (1-based) the table refers to.
    """
    checks = source_checks(rules)
    rows = " UNION ALL ".join(
        f"SELECT {index} AS _file_no, * FROM {relation}" for index, relation in enumerate(relations)
    )
    params: dict[str, Any] = {**parsing.params()}
    for number, column in enumerate(rules.columns):
        for k, check in enumerate(column.checks):
            params[_param(number, k)] = list(check.allowed) if check.op == "isin" else check.bound
    sql = load_sql("recon.ingest", "stage").format(
        rows=rows,
        typed=", ".join(_typed(c) for c in rules.columns),
        content=", ".join(_content(c) for c in rules.columns),
        rules=" ".join(f"WHEN {r.condition} THEN {i}" for i, r in enumerate(checks, start=1)),
        raw=", ".join(_raw(c.name) for c in rules.columns),
        values=" ".join(f"WHEN {i} THEN {_raw(r.column)}" for i, r in enumerate(checks, start=1)),
        key=quote_ident(rules.key.name),
    )
    con.execute(sql, _used(sql, params))
    return checks


def source_checks(rules: SourceRules) -> list[Rule]:
    """Every rule of the source's schema as SQL, column by column in schema order."""
    found: list[Rule] = []
    for number, column in enumerate(rules.columns):
        typed, raw = quote_ident(column.name), _raw(column.name)
        if not column.nullable:
            found.append(
                Rule(
                    column.name,
                    "missing key" if column.unique else "missing required value",
                    f"nullif(trim({raw}), '') IS NULL",
                )
            )
        if column.kind != "text":
            found.append(
                Rule(
                    column.name,
                    f"unparseable {_NOUN[column.kind]}",
                    f"{typed} IS NULL AND nullif(trim({raw}), '') IS NOT NULL",
                )
            )
        for k, check in enumerate(column.checks):
            found.append(_check_rule(column, check, f"${_param(number, k)}"))
    return found


def _check_rule(column: ColumnRule, check: ValueCheck, param: str) -> Rule:
    typed = quote_ident(column.name)
    if check.op == "isin":
        if column.is_currency:
            reason = "unknown currency (not a code on the ISO 4217 list)"
        else:
            reason = f"unknown {column.name} (allowed: {', '.join(check.allowed)})"
        return Rule(column.name, reason, f"NOT list_contains({param}, {typed})")
    if check.op == "gt":
        return Rule(
            column.name,
            f"{column.name} <= {check.bound} (must be > {check.bound})",
            f"{typed} <= {param}",
        )
    return Rule(
        column.name,
        f"{column.name} < {check.bound} (must be >= {check.bound})",
        f"{typed} < {param}",
    )


def _typed(column: ColumnRule) -> str:
    """The raw text kept as `<name>__raw` and the parsed value under the column's name."""
    source = f"r.{quote_ident(column.name)}"
    if column.kind == "decimal":
        parsed = f"recon_decimal({source}, $sep)"
    elif column.kind == "timestamp":
        parsed = f"recon_timestamp({source}, $tz)"
    elif column.kind == "boolean":
        parsed = f"recon_boolean({source})"
    elif column.is_currency:
        parsed = f"recon_currency({source}, $alias_from, $alias_to)"
    else:
        parsed = f"recon_text({source})"
    return f"{source} AS {_raw(column.name)}, {parsed} AS {quote_ident(column.name)}"


def _content(column: ColumnRule) -> str:
    """What "same content" compares: the typed value, or the raw text where it did not parse."""
    typed = quote_ident(column.name)
    if column.kind == "text":
        return typed
    return f"{typed}, CASE WHEN {typed} IS NULL THEN nullif(trim({_raw(column.name)}), '') END"


def _raw(name: str) -> str:
    return quote_ident(f"{name}__raw")


def _param(column_number: int, check_number: int) -> str:
    return f"check_{column_number}_{check_number}"


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """DuckDB rejects parameters a statement does not use; pass only those it names."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _statements(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if not ln.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
