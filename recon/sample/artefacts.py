"""Extract artefacts a real re-extraction produces: exact duplicate rows and bad rows.

Both are built as small DuckDB tables (`gen_dup_<source>`, `gen_bad_<source>`) with the same
columns as the source's view plus `part`, and appended to the end of a part file by the writer.
An exact duplicate goes to the *next* part (so duplicates also cross files). A bad row is a
real row with a fresh key and one broken field (or a missing key); a conflicting duplicate
keeps the key, changes the amount and goes to the end of the last part, after its original.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from recon.config import SOURCES
from recon.sql import quote_ident

KEYS: Mapping[str, str] = {
    "ledger": "entry_id",
    "channel": "request_id",
    "gateway": "gateway_ref",
    "invoices": "invoice_id",
}


@dataclass(frozen=True)
class BadKind:
    """One way a row breaks its schema (CONTRACT.md section 1, "Bad rows")."""

    column: str
    value: str | None
    mode: str = "fresh"  # fresh key | missing key | conflict (same key, other amount)
    typed: bool = True  # representable in a typed (Parquet) file


_TS_BAD = "2023-02-30T10:00:00Z"  # an impossible date is unparseable
BAD_KINDS: Mapping[str, tuple[BadKind, ...]] = {
    "ledger": (
        BadKind("amount", "-5.00"),
        BadKind("status", "DONE"),
        BadKind("entry_id", None, "missing"),
        BadKind("amount", None, "conflict"),
        BadKind("amount", "abc", typed=False),
        BadKind("direction", "X"),
        BadKind("currency", "ZZZ"),
        BadKind("posted_at", _TS_BAD, typed=False),
        BadKind("amount", "0.00"),
    ),
    "channel": (
        BadKind("amount", "0.00"),
        BadKind("status", "OK"),
        BadKind("request_id", None, "missing"),
        BadKind("amount", None, "conflict"),
        BadKind("requested_at", "2023-02-30T25:00:00Z", typed=False),
        BadKind("currency", "ZZZ"),
        BadKind("amount", "12.3.4", typed=False),
    ),
    "gateway": (
        BadKind("fee", "-1.00"),
        BadKind("status", "DONE"),
        BadKind("gateway_ref", None, "missing"),
        BadKind("amount", None, "conflict"),
        BadKind("gateway_at", "yesterday", typed=False),
        BadKind("currency", "ZZZ"),
        BadKind("amount", "n/a", typed=False),
    ),
    "invoices": (
        BadKind("amount", "-10.00"),
        BadKind("status", "PAID"),
        BadKind("invoice_id", None, "missing"),
        BadKind("amount", None, "conflict"),
        BadKind("issued_at", _TS_BAD, typed=False),
    ),
}


def spread(total: int, sources: tuple[str, ...] = SOURCES) -> dict[str, int]:
    """`total` artefacts dealt round-robin over the sources, ledger first."""
    base, extra = divmod(total, len(sources))
    return {s: base + (1 if k < extra else 0) for k, s in enumerate(sources)}


def view_name(source: str, typed: bool) -> str:
    return f"gen_{source}" if typed else f"gen_{source}_text"


def build_duplicates(con: duckdb.DuckDBPyConnection, source: str, count: int, typed: bool) -> str:
    """Table of `count` rows of `source` chosen by seeded hash, each bound for the next part."""
    table = f"gen_dup_{source}"
    view, key = quote_ident(view_name(source, typed)), quote_ident(KEYS[source])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {quote_ident(table)} AS "
        f"SELECT * REPLACE ((part + 1) % (SELECT parts FROM gen_params) AS part) FROM {view} "
        f"ORDER BY hash((SELECT seed FROM gen_params), {key}, 'dup') LIMIT $k",
        {"k": count},
    )
    return table


def build_bad_rows(con: duckdb.DuckDBPyConnection, source: str, count: int, typed: bool) -> str:
    """Table of `count` bad rows of `source`, cycling through its bad kinds."""
    table = quote_ident(f"gen_bad_{source}")
    kinds = [k for k in BAD_KINDS[source] if k.typed or not typed]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gen_bad_kinds (kind_no BIGINT, col VARCHAR, value VARCHAR, "
        "mode VARCHAR)"
    )
    con.executemany(
        "INSERT INTO gen_bad_kinds VALUES (?, ?, ?, ?)",
        [(n, k.column, k.value, k.mode) for n, k in enumerate(kinds)],
    )
    view = quote_ident(view_name(source, typed))
    key = KEYS[source]
    columns = con.sql(f"DESCRIBE SELECT * FROM {view}").fetchall()
    select = []
    for name, dtype, *_ in columns:
        col = quote_ident(name)
        if name == "part":
            select.append(
                "CASE WHEN k.mode = 'conflict' THEN (SELECT parts FROM gen_params) - 1 "
                "ELSE r.part END AS part"
            )
        elif name == key:
            select.append(
                f"CASE k.mode WHEN 'missing' THEN NULL WHEN 'conflict' THEN r.{col} "
                f"ELSE 'X' || r.{col} END AS {col}"
            )
        elif name == "amount":
            bumped = "r.amount + 1" if typed else "(r.amount::DECIMAL(18, 2) + 1)::VARCHAR"
            select.append(
                f"CASE WHEN k.mode = 'conflict' THEN {bumped} "
                f"WHEN k.col = 'amount' THEN CAST(k.value AS {dtype}) ELSE r.amount END AS amount"
            )
        else:
            select.append(
                f"CASE WHEN k.col = '{name}' AND k.mode = 'fresh' THEN CAST(k.value AS {dtype}) "
                f"ELSE r.{col} END AS {col}"
            )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"WITH r AS (SELECT *, row_number() OVER (ORDER BY h) - 1 AS bad_no FROM ("
        f"  SELECT *, hash((SELECT seed FROM gen_params), {quote_ident(key)}, 'bad') AS h "
        f"  FROM {view} ORDER BY h LIMIT $k)) "
        f"SELECT {', '.join(select)} FROM r JOIN gen_bad_kinds k ON k.kind_no = r.bad_no % $kinds",
        {"k": count, "kinds": len(kinds)},
    )
    return f"gen_bad_{source}"


def empty_like(con: duckdb.DuckDBPyConnection, source: str, typed: bool, prefix: str) -> str:
    """An empty artefact table, so the writer can always append one."""
    table = f"{prefix}_{source}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {quote_ident(table)} AS "
        f"SELECT * FROM {quote_ident(view_name(source, typed))} LIMIT 0"
    )
    return table
