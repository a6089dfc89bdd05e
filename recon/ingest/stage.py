"""Pass 1 of a source: each file's text rows typed into the source's working table, each row
marked with the first schema rule it breaks.

The SQL is insert_rows.sql; this module fills in what follows from the schema: which parser
each column gets and one rule per schema check, each with the column and reason a
quarantined row reports. Rule ids are 1-based positions in `source_checks(rules)`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from recon.ingest.raw import TextRows
from recon.ingest.rules import ColumnRule, SourceRules, ValueCheck
from recon.sql import load_sql, quote_ident

ROW_BITS = 40  # _row = file number << 40 | ordinal: 2^40 rows per file, 2^23 files
_NOUN = {"decimal": "amount", "timestamp": "timestamp", "boolean": "boolean"}


@dataclass(frozen=True)
class Rule:
    """One way a row can break its schema: `condition` is SQL over the typed row."""

    column: str
    reason: str
    condition: str


@dataclass(frozen=True)
class Window:
    """The plausible window of a timestamp: a parsed one before `earliest` or after `latest`
    is a bad value (`reason`). A missing bound is no limit."""

    earliest: datetime | None = None
    latest: datetime | None = None
    reason: str = "timestamp outside the plausible window"


@dataclass(frozen=True)
class Parsing:
    """Settings that decide how text parses: bound as parameters, never spliced in."""

    timezone: str = "UTC"
    thousands_separator: str | None = None
    currency_aliases: Mapping[str, str] | None = None
    window: Window = Window()

    def params(self) -> dict[str, Any]:
        aliases = dict(self.currency_aliases or {})
        return {
            "tz": self.timezone,
            "sep": self.thousands_separator,
            "alias_from": [k.upper() for k in aliases],
            "alias_to": [v.upper() for v in aliases.values()],
            "ts_earliest": self.window.earliest,
            "ts_latest": self.window.latest,
        }


def define_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The text parsers of macros.sql, as temporary macros on `con`."""
    for statement in statements(load_sql("recon.ingest", "macros")):
        con.execute(statement)


def create_source_table(con: duckdb.DuckDBPyConnection, rules: SourceRules) -> None:
    """The empty working table of a source, with ingest's bookkeeping columns."""
    con.execute(
        load_sql("recon.ingest", "source_table").format(
            table=quote_ident(rules.source),
            columns=", ".join(f"{quote_ident(c.name)} {c.duckdb_type}" for c in rules.columns),
        )
    )


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    rows: TextRows,
    *,
    file_no: int,
    file: str,
    parsing: Parsing,
) -> int:
    """Type the rows of one file into the source's table (`file` is recorded as `_file`);
    the number of rows inserted."""
    checks = source_checks(rules, typed=rows.typed, window=parsing.window)
    parsed = [c for c in rules.columns if c.kind != "text" and c.name not in rows.typed]
    sql = load_sql("recon.ingest", "insert_rows").format(
        table=quote_ident(rules.source),
        names=", ".join(quote_ident(c) for c in rules.names),
        values=" ".join(
            f"WHEN {i} THEN CAST({_raw(r.column)} AS VARCHAR)" for i, r in enumerate(checks, 1)
        ),
        rules=" ".join(f"WHEN {r.condition} THEN {i}" for i, r in enumerate(checks, 1)),
        any_unparsed=" OR ".join(f"{quote_ident(c.name)} IS NULL" for c in parsed) or "false",
        unparsed=", ".join(_unparsed(c) for c in parsed) or "NULL",
        typed=", ".join(_typed(c, c.name in rows.typed) for c in rules.columns),
        rows=rows.select,
    )
    params: dict[str, Any] = {
        **rows.params,
        **parsing.params(),
        **check_params(rules),
        "file": file,
        "line_offset": rows.first_line - 1,
        "row_base": file_no << ROW_BITS,
    }
    return int(con.execute(sql, used_params(sql, params)).fetchall()[0][0])


def shift_lines(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    *,
    file_no: int,
    first_line: int,
    skipped: Sequence[int],
) -> None:
    """Move the file's rows below each line that held no row (blank or malformed)."""
    starts: dict[int, int] = {}
    for shift, line in enumerate(sorted(x for x in set(skipped) if x >= first_line), start=1):
        # rows before this line: line - first_line - (shift - 1); the next ordinal moves
        starts[line - first_line - (shift - 1) + 1] = shift
    if not starts:
        return
    con.execute(
        load_sql("recon.ingest", "shift_lines").format(table=quote_ident(rules.source)),
        {
            "starts": list(starts),
            "shifts": list(starts.values()),
            "row_base": file_no << ROW_BITS,
            "row_span": 1 << ROW_BITS,
        },
    )


def source_checks(
    rules: SourceRules, typed: Collection[str] = (), window: Window = Window()
) -> list[Rule]:
    """Every rule of the source's schema as SQL, column by column in schema order.

    A field that did not parse reports "unparseable" before "missing"; both look only at
    rows whose typed value is NULL, so valid rows pay one IS NULL test per column. A column
    that arrives `typed` cannot be unparseable, but keeps the rule so that rule ids are the
    same for every file of the source.

    A timestamp also has to lie in the plausible `window`, also one that arrives typed (a
    Parquet timestamp column). The window depends on the run's config and cutoff, not on the
    schema, so it is the one rule here that Pandera does not hold.
    """
    found: list[Rule] = []
    for number, column in enumerate(rules.columns):
        name, raw = quote_ident(column.name), _raw(column.name)
        if column.kind != "text":
            found.append(
                Rule(
                    column.name,
                    f"unparseable {_NOUN[column.kind]}",
                    "false"
                    if column.name in typed
                    else f"{name} IS NULL AND recon_text({raw}) IS NOT NULL",
                )
            )
        if not column.nullable:
            found.append(
                Rule(
                    column.name,
                    "missing key" if column.unique else "missing required value",
                    f"{name} IS NULL",
                )
            )
        if column.kind == "timestamp":
            found.append(
                Rule(
                    column.name,
                    window.reason,
                    f"({name} < $ts_earliest::TIMESTAMPTZ OR {name} > $ts_latest::TIMESTAMPTZ)",
                )
            )
        for k, check in enumerate(column.checks):
            found.append(_check_rule(column, check, f"${_param(number, k)}"))
    return found


# A rule a row can break only against another row of its source, checked once all the
# source's files are in (settle.check_reversals); its id follows the per-row rules'.
REVERSAL_RULE = Rule(
    "reversal_of",
    "reversal_of names a posting this one does not mirror (a reversal has the opposite"
    " direction and the same amount and currency)",
    "false",
)


def cross_row_checks(rules: SourceRules) -> list[Rule]:
    """The source's rules that compare rows with each other (the ledger's reversals)."""
    names = set(rules.names)
    if rules.source == "ledger" and {"reversal_of", "direction", "amount", "currency"} <= names:
        return [REVERSAL_RULE]
    return []


def check_params(rules: SourceRules) -> dict[str, Any]:
    """The allowed values and bounds of the schema checks, as bound parameters."""
    params: dict[str, Any] = {}
    for number, column in enumerate(rules.columns):
        for k, check in enumerate(column.checks):
            if check.op in ("isin", "gt", "ge"):
                params[_param(number, k)] = (
                    list(check.allowed) if check.op == "isin" else check.bound
                )
    return params


def used_params(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """DuckDB rejects parameters a statement does not use; pass only those it names."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def statements(script: str) -> list[str]:
    """The statements of a .sql file (full-line comments dropped, split at semicolons)."""
    lines = [ln for ln in script.splitlines() if not ln.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _check_rule(column: ColumnRule, check: ValueCheck, param: str) -> Rule:
    typed = quote_ident(column.name)
    if check.op == "isin":
        if column.is_currency:
            reason = "unknown currency (not a code on the ISO 4217 list)"
        else:
            reason = f"unknown {column.name} (allowed: {', '.join(check.allowed)})"
        # a semi-join against the allowed values: cheaper than list_contains on long lists
        return Rule(column.name, reason, f"{typed} NOT IN (SELECT unnest({param}::VARCHAR[]))")
    if check.op == "not_json_container":
        return Rule(
            column.name,
            "unparseable text: a JSON array or object",
            f"recon_json_container({typed})",
        )
    if check.op == "no_control_characters":
        return Rule(
            column.name,
            "unparseable text: a control character in an identifier",
            f"recon_control_characters({typed})",
        )
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


def _typed(column: ColumnRule, typed: bool = False) -> str:
    """The raw value kept as `<name>__raw` and the parsed value under the column's name (a
    column that arrives `typed` is taken as it is)."""
    source = f"r.{quote_ident(column.name)}"
    if typed:
        parsed = source
    elif column.kind == "decimal":
        parsed = f"recon_decimal({source}, $sep)"
    elif column.kind == "timestamp":
        parsed = f"recon_timestamp({source}, $tz)"
    elif column.kind == "boolean":
        parsed = f"recon_boolean({source})"
    elif column.is_currency:
        parsed = f"recon_currency({source}, $alias_from::VARCHAR[], $alias_to::VARCHAR[])"
    else:
        parsed = f"recon_text({source})"
    return (
        f"{source} AS {_raw(column.name)},"
        f" CAST({parsed} AS {column.duckdb_type}) AS {quote_ident(column.name)}"
    )


def _unparsed(column: ColumnRule) -> str:
    """The text of a field that did not parse: "same content" compares it instead."""
    typed = quote_ident(column.name)
    return f"CASE WHEN {typed} IS NULL THEN recon_text({_raw(column.name)}) END"


def _raw(name: str) -> str:
    return quote_ident(f"{name}__raw")


def _param(column_number: int, check_number: int) -> str:
    return f"check_{column_number}_{check_number}"
