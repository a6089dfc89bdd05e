"""Read one JSON-lines file (UTF-8) into DuckDB as text columns with line numbers.

Each line is read as one text value by DuckDB's CSV reader (so blank lines keep the line
count), then the object's fields are taken with json_extract_string: amounts may be JSON
strings or numbers and keep their exact text either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from recon.ingest.columns import json_keys
from recon.ingest.csv_reader import number_rows
from recon.ingest.raw import MalformedRow, RawFile
from recon.ingest.rules import SourceRules
from recon.sql import load_sql, quote_ident


def read_jsonl_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    name: str,
    rules: SourceRules,
    mapping: Mapping[str, str],
) -> RawFile:
    """Load `path` as temp table `name` (`_line` and our columns as VARCHAR)."""
    text_table, lines = f"{name}_text", f"{name}_lines"
    con.execute("DROP TABLE IF EXISTS recon_csv_rejects")
    con.execute("DROP TABLE IF EXISTS recon_csv_scans")
    con.execute(
        load_sql("recon.ingest", "jsonl_lines").format(table=text_table),
        {"path": str(path), "delim": "\x1e"},
    )
    rejects = con.execute(load_sql("recon.ingest", "csv_rejects")).fetchall()
    number_rows(
        con,
        table=text_table,
        view=lines,
        columns=["t.j AS j"],
        first_line=1,
        skipped=[int(r[0]) for r in rejects],
    )
    bad = con.execute(load_sql("recon.ingest", "jsonl_malformed").format(lines=lines)).fetchall()
    malformed = sorted(
        [MalformedRow(int(line), text, "malformed row: not a JSON object") for line, text in bad]
        + [MalformedRow(int(r[0]), r[1], "malformed row: unreadable line") for r in rejects],
        key=lambda m: m.line,
    )
    columns, params = _columns(json_keys(rules, mapping))
    con.execute(
        load_sql("recon.ingest", "jsonl_table").format(
            table=name, columns=", ".join(columns), lines=lines
        ),
        params,
    )
    return RawFile(relation=name, malformed=tuple(malformed))


def _columns(keys: Mapping[str, Sequence[str]]) -> tuple[list[str], dict[str, str]]:
    """One coalesce of json_extract_string per column; JSON paths are bound parameters."""
    columns: list[str] = []
    params: dict[str, str] = {}
    for index, (ours, candidates) in enumerate(keys.items()):
        parts = []
        for k, key in enumerate(candidates):
            param = f"k{index}_{k}"
            params[param] = '$."' + key.replace('"', '\\"') + '"'
            parts.append(f"json_extract_string(j, ${param})")
        columns.append(f"coalesce({', '.join(parts)}) AS {quote_ident(ours)}")
    return columns, params
