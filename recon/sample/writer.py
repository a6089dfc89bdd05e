"""Write one source as part files (CSV, Parquet or JSON lines) with control-total sidecars.

DuckDB's COPY streams each part straight from the generator's views, keeping insertion order,
so the artefact rows appended after the part's own rows stay at the end of the file.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

from recon.sql import quote_ident

EXTENSIONS = {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}
COPY_OPTIONS = {
    "csv": "(FORMAT csv, HEADER true)",
    "parquet": "(FORMAT parquet, COMPRESSION zstd)",
    "jsonl": "(FORMAT json)",
}
CHUNK = 1 << 20


@dataclass(frozen=True)
class WrittenFile:
    source: str
    path: Path
    rows: int  # data rows now in the file
    amount_sum: Decimal  # as in its sidecar
    truncated: bool = False  # rows were cut after the sidecar was written


def part_name(source: str, part: int, parts: int, fmt: str) -> str:
    """`ledger.csv`, `ledger_part2.csv`, ...; zero-padded so name order is file order."""
    ext = EXTENSIONS[fmt]
    if part == 0:
        return f"{source}.{ext}"
    width = len(str(parts)) if parts >= 10 else 1
    return f"{source}_part{part + 1:0{width}d}.{ext}"


def write_source(
    con: duckdb.DuckDBPyConnection,
    source: str,
    view: str,
    extras: tuple[str, ...],
    data_dir: Path,
    *,
    parts: int,
    fmt: str,
    encoding: str,
    control_totals: bool,
    rename: Mapping[str, str] | None = None,
    truncate: bool = False,
    separator: str | None = None,
) -> list[WrittenFile]:
    """Write `view` (plus the artefact tables `extras`, appended per part) as `parts` files.

    `rename` maps our column names to the extract's own; `truncate` cuts the last tenth of the
    last file's rows after its sidecar is written, as a broken transfer would; `separator`
    writes CSV amounts (and the sidecar's amount_sum) with a thousands separator.
    """
    rename = rename or {}
    columns = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {quote_ident(view)}").fetchall()]
    out_cols = [c for c in columns if c != "part"]
    written = []
    for part in range(parts):
        path = data_dir / part_name(source, part, parts, fmt)
        json_numbers = fmt == "jsonl" and part % 2 == 1
        select_cols = ", ".join(
            _column(
                c,
                rename.get(c, c),
                json=fmt == "jsonl",
                numbers=json_numbers,
                grouped=bool(separator),
            )
            for c in out_cols
        )
        union = " UNION ALL ".join(
            f"SELECT {select_cols} FROM {quote_ident(t)} WHERE part = $part"
            for t in (view, *extras)
        )
        params: dict[str, object] = {"part": part, "path": str(path)}
        if separator:
            params["sep"] = separator
        con.execute(f"COPY ({union}) TO $path {COPY_OPTIONS[fmt]}", params)
        rows, amount_sum = _totals(con, path, fmt, rename.get("amount", "amount"), separator)
        if fmt == "csv" and not _is_utf8(encoding):
            transcode(path, encoding)
        if control_totals:
            sidecar = path.with_name(path.name + ".control.json")
            sidecar.write_text(
                json.dumps({"rows": rows, "amount_sum": _grouped(amount_sum, separator)}) + "\n",
                encoding="utf-8",
            )
        cut = truncate and part == parts - 1
        if cut:
            rows = cut_tail(con, path, fmt, keep=rows - max(1, rows // 10))
        written.append(WrittenFile(source, path, rows, amount_sum, truncated=cut))
    return written


def _column(ours: str, theirs: str, *, json: bool, numbers: bool, grouped: bool) -> str:
    """One output column under the extract's own name. JSON lines carry the flag as a JSON
    boolean and, with `numbers` (every second file), amounts that parse as JSON numbers, so
    both forms the contract allows appear; with `grouped`, amounts that parse get the bound
    thousands separator `$sep` ("1,234.50"); everything else is text."""
    value = quote_ident(ours)
    parses = f"try_cast({value} AS DECIMAL(18, 2)) IS NOT NULL"
    if json and ours == "invoice_required":
        value = f"{value}::BOOLEAN"
    elif numbers and ours in ("amount", "fee"):
        value = f"CASE WHEN {parses} THEN {value}::JSON ELSE to_json({value}) END"
    elif grouped and ours in ("amount", "fee"):
        value = (
            f"CASE WHEN {parses} THEN "
            f"replace(format('{{:,}}', split_part({value}, '.', 1)::BIGINT), ',', $sep)"
            f" || '.' || split_part({value}, '.', 2) ELSE {value} END"
        )
    return f"{value} AS {quote_ident(theirs)}"


def _grouped(amount: Decimal, separator: str | None) -> str:
    """An amount as the sidecar writes it: with the source's thousands separator, if any."""
    return f"{amount:,.2f}".replace(",", separator) if separator else f"{amount:.2f}"


def cut_tail(con: duckdb.DuckDBPyConnection, path: Path, fmt: str, keep: int) -> int:
    """Keep the first `keep` data rows of a written file; returns `keep`."""
    tmp = path.with_name(path.name + ".tmp")
    if fmt == "parquet":
        con.execute(
            "COPY (SELECT * FROM read_parquet($src) LIMIT $keep) TO $dst (FORMAT parquet)",
            {"src": str(path), "dst": str(tmp), "keep": keep},
        )
    else:
        lines = keep + (1 if fmt == "csv" else 0)  # the header line stays
        with path.open("rb") as src, tmp.open("wb") as dst:
            for n, line in enumerate(src):
                if n >= lines:
                    break
                dst.write(line)
    os.replace(tmp, path)
    return keep


def _totals(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: str, amount: str, separator: str | None
) -> tuple[int, Decimal]:
    """Rows and the sum of every amount that parses as a decimal, read back from the file."""
    reader = {
        "csv": "read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"')",
        "parquet": "read_parquet($path)",
        "jsonl": "read_json($path, format = 'newline_delimited')",
    }[fmt]
    rows, total = con.execute(
        f"SELECT count(*), coalesce(sum(try_cast("
        f"replace({quote_ident(amount)}::VARCHAR, $sep, '') AS DECIMAL(18, 2))), 0) "
        f"FROM {reader}",
        {"path": str(path), "sep": separator or "\x00"},
    ).fetchall()[0]
    return int(rows), Decimal(total)


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def transcode(path: Path, encoding: str) -> None:
    """Re-encode a UTF-8 file in place, streaming (e.g. GB18030, as Chinese core systems export)."""
    tmp = path.with_name(path.name + ".tmp")
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as src, tmp.open("wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(decoder.decode(chunk).encode(encoding))
        dst.write(decoder.decode(b"", final=True).encode(encoding))
    os.replace(tmp, path)
