"""JSON-lines files (UTF-8): read line by line, then the SELECT of their objects as text.

Each line is read as one text value by DuckDB's CSV reader (blank lines keep the count, so
the ordinal is the line), then the object's fields are taken with json_extract_string, and
a number with a fraction or exponent from the line's own text (recon_json_exact): amounts
may be JSON strings or numbers and keep their exact text either way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from recon.ingest.columns import json_keys
from recon.ingest.csv_reader import clear_rejects, rejected_rows
from recon.ingest.raw import MalformedRow, TextRows, physical_line
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident

RECORD_SEPARATOR = "\x1e"


def jsonl_rows(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    table: str,
    rules: SourceRules,
    mapping: Mapping[str, str],
) -> tuple[TextRows, tuple[MalformedRow, ...]]:
    """Load the lines of `path` into temp table `table`; the SELECT of its objects as text,
    and its malformed lines (not a JSON object, or unreadable)."""
    clear_rejects(con)
    con.execute(
        load_sql("recon.ingest", "jsonl_lines").format(table=table),
        {"path": str(path), "delim": RECORD_SEPARATOR},
    )
    unreadable = rejected_rows(con)
    skipped = [m.line for m in unreadable]
    not_objects = [
        MalformedRow(physical_line(int(n), skipped), text, reason)
        for n, text, reason in con.execute(
            load_sql("recon.ingest", "jsonl_malformed").format(lines=table)
        ).fetchall()
    ]
    columns, params = _columns(json_keys(rules, mapping))
    rows = TextRows(
        select=load_sql("recon.ingest", "jsonl_rows").format(
            columns=", ".join(columns), lines=table
        ),
        params=params,
        first_line=1,
        skipped=tuple(skipped),  # lines DuckDB could not read have no ordinal
    )
    return rows, tuple(sorted([*unreadable, *not_objects], key=lambda m: m.line))


def _columns(keys: Mapping[str, Sequence[str]]) -> tuple[list[str], dict[str, str]]:
    """One coalesce of exact field texts per column (recon_json_exact in macros.sql); JSON
    paths and key patterns are bound parameters."""
    columns: list[str] = []
    params: dict[str, str] = {}
    for index, (ours, candidates) in enumerate(keys.items()):
        parts = []
        for k, key in enumerate(candidates):
            param = f"json_{index}_{k}"
            params[param] = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
            params[f"{param}_re"] = re.escape(json.dumps(key, ensure_ascii=False))
            parts.append(
                f"recon_json_exact(j, json_extract_string(j, ${param}), ${param}, ${param}_re)"
            )
        columns.append(f"coalesce({', '.join(parts)}) AS {quote_ident(ours)}")
    return columns, params
