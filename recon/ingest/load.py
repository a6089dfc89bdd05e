"""`load_extracts`: the four extracts of a data folder into validated working tables.

Per source: find its files (name order), read each into DuckDB as text (transcoding
non-UTF-8 text first), stage them (type, drop exact duplicates, check the schema rules, find
conflicting keys), check the control-total sidecars, then publish the valid rows to the
source's table and the rest to `quarantine`. The accounting is returned as an IngestResult.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from types import MappingProxyType

import duckdb

from recon.config import REQUIRED_SOURCES, SOURCES, Config
from recon.errors import TooManyBadRows
from recon.ingest.columns import check_mapping
from recon.ingest.control import check_control_totals, read_control_totals
from recon.ingest.csv_reader import read_csv_file
from recon.ingest.files import extract_files, file_format
from recon.ingest.jsonl_reader import read_jsonl_file
from recon.ingest.parquet_reader import read_parquet_file
from recon.ingest.raw import RawFile
from recon.ingest.rules import SourceRules, source_rules
from recon.ingest.scan import FileScan, scan_file
from recon.ingest.stage import Parsing, Rule, define_macros, stage_rows
from recon.ingest.transcode import needs_transcoding, utf8_copy
from recon.model import IngestResult, InputFile, SourceCounts
from recon.sql import load_sql, quote_ident

Progress = Callable[[str], None]


@dataclass(frozen=True)
class _Loaded:
    counts: SourceCounts
    files: tuple[InputFile, ...]


def load_extracts(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    config: Config,
    *,
    progress: Progress | None = None,
) -> IngestResult:
    """Fill `ledger`, `channel`, `gateway`, `invoices` and `quarantine` in `con`.

    Raises MissingExtractError (a required source has no file), UnreadableFileError,
    ControlTotalMismatch (a sidecar disagrees: nothing is published), and TooManyBadRows
    after the tables (quarantine included) are filled, so the run can still publish why.
    """
    say = progress or _quiet
    data_dir = Path(data_dir)
    plan = {s: extract_files(data_dir, s, required=s in REQUIRED_SOURCES) for s in SOURCES}
    for source in SOURCES:
        check_mapping(source_rules(source), config.source(source).columns)
    _create_tables(con)
    define_macros(con)
    loaded: dict[str, _Loaded] = {}
    with (
        TemporaryDirectory(prefix="recon-ingest-") as tmp,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        # hashing runs beside DuckDB's reading; blank lines are found in the same pass
        scans = {
            path: pool.submit(
                scan_file,
                path,
                find_blank_lines=file_format(path.name) == "csv"
                and not needs_transcoding(config.source(source).encoding),
            )
            for source, paths in plan.items()
            for path in paths
        }
        try:
            for source in SOURCES:
                loaded[source] = _load_source(
                    con, source_rules(source), plan[source], config, Path(tmp), scans, say
                )
        finally:
            for future in scans.values():
                future.cancel()
    counts = {source: result.counts for source, result in loaded.items()}
    _check_bad_ratio(counts, config.max_bad_ratio)
    return IngestResult(
        counts=MappingProxyType(counts),
        files=tuple(f for result in loaded.values() for f in result.files),
        latest_timestamp=_latest_timestamp(con),
    )


def _load_source(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    paths: list[Path],
    config: Config,
    tmp: Path,
    scans: Mapping[Path, Future[FileScan]],
    say: Progress,
) -> _Loaded:
    source = rules.source
    settings = config.source(source)
    if not paths:
        return _Loaded(SourceCounts(), ())
    raws: list[RawFile] = []
    for number, path in enumerate(paths):
        say(f"{source}: reading {path.name} ({number + 1} of {len(paths)})")
        raws.append(
            _read_file(
                con, rules, path, number, settings.encoding, settings.columns, tmp, scans[path]
            )
        )
    say(f"{source}: checking rows")
    parsing = Parsing(config.timezone, settings.thousands_separator, config.currency_aliases)
    rules_used = stage_rows(con, rules, [r.relation for r in raws], parsing)
    per_file = {
        row[0]: row[1:] for row in con.execute(load_sql("recon.ingest", "stage_counts")).fetchall()
    }
    files: list[InputFile] = []
    read = duplicates = bad = 0
    for number, (path, raw) in enumerate(zip(paths, raws, strict=True)):
        rows, amount_sum, dups, broken, conflicts = per_file.get(number, (0, None, 0, 0, 0))
        rows += len(raw.malformed)
        total = (amount_sum or Decimal(0)) + _malformed_amount_sum(
            con, raw, settings.thousands_separator
        )
        expected = read_control_totals(path, settings.thousands_separator)
        if expected is not None:
            check_control_totals(path, expected, rows, total)
        files.append(
            InputFile(
                source=source,
                path=str(path),
                format=file_format(path.name) or "",
                sha256=scans[path].result().sha256,
                rows=rows,
                amount_sum=total,
            )
        )
        read += rows
        duplicates += dups
        bad += broken + conflicts + len(raw.malformed)
    say(f"{source}: publishing {read - duplicates - bad} valid rows")
    _publish(con, rules, [str(p) for p in paths], raws, rules_used)
    valid = con.sql(f"SELECT count(*) FROM {quote_ident(source)}").fetchall()[0][0]
    _drop_temporaries(con)
    return _Loaded(SourceCounts(read, valid, bad, duplicates), tuple(files))


def _read_file(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    path: Path,
    number: int,
    encoding: str,
    mapping: Mapping[str, str],
    tmp: Path,
    scan: Future[FileScan],
) -> RawFile:
    name = f"recon_ingest_{rules.source}_{number}"
    fmt = file_format(path.name)
    if fmt == "parquet":
        return read_parquet_file(con, path, name=name, rules=rules, mapping=mapping)
    readable = path
    if needs_transcoding(encoding):
        readable = utf8_copy(path, encoding, tmp)
    if fmt == "jsonl":
        return read_jsonl_file(con, readable, name=name, rules=rules, mapping=mapping)
    blank_lines = scan_file(readable).blank_lines if readable != path else scan.result().blank_lines
    return read_csv_file(
        con,
        readable,
        name=name,
        rules=rules,
        mapping=mapping,
        blank_lines=blank_lines,
        shown_as=path,
    )


def _publish(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    paths: list[str],
    raws: list[RawFile],
    rules_used: list[Rule],
) -> None:
    source = rules.source
    con.execute(
        load_sql("recon.ingest", "valid_rows").format(
            table=quote_ident(source), columns=", ".join(quote_ident(c) for c in rules.names)
        ),
        {"paths": paths},
    )
    con.execute(
        load_sql("recon.ingest", "quarantine_rows").format(key=quote_ident(rules.key.name)),
        {
            "source": source,
            "paths": paths,
            "key": rules.key.name,
            "rule_columns": [r.column for r in rules_used] or [""],
            "rule_reasons": [r.reason for r in rules_used] or [""],
        },
    )
    for path, raw in zip(paths, raws, strict=True):
        if raw.malformed:
            con.execute(
                load_sql("recon.ingest", "malformed_rows"),
                {
                    "source": source,
                    "file": path,
                    "lines": [m.line for m in raw.malformed],
                    "texts": [m.text for m in raw.malformed],
                    "reasons": [m.reason for m in raw.malformed],
                },
            )


def _malformed_amount_sum(
    con: duckdb.DuckDBPyConnection, raw: RawFile, separator: str | None
) -> Decimal:
    amounts = [m.amount for m in raw.malformed if m.amount is not None]
    if not amounts:
        return Decimal(0)
    (total,) = con.execute(
        load_sql("recon.ingest", "malformed_amount_sum"), {"amounts": amounts, "sep": separator}
    ).fetchall()[0]
    return total or Decimal(0)


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for source in SOURCES:
        rules = source_rules(source)
        con.execute(
            load_sql("recon.ingest", "tables").format(
                table=quote_ident(source),
                columns=", ".join(f"{quote_ident(c.name)} {c.duckdb_type}" for c in rules.columns),
            )
        )
    con.execute(load_sql("recon.ingest", "quarantine_table"))


def _drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    """Views first: a view over a table must go before the table."""
    found = con.execute(load_sql("recon.ingest", "temp_objects")).fetchall()
    for kind, name in sorted(found, key=lambda item: item[0] != "VIEW"):
        con.execute(f"DROP {kind} IF EXISTS {quote_ident(name)}")


def _latest_timestamp(con: duckdb.DuckDBPyConnection) -> datetime | None:
    parts: Iterable[str] = (
        f"SELECT max({quote_ident(column)}) AS ts FROM {quote_ident(source)}"
        for source in SOURCES
        for column in source_rules(source).timestamps
    )
    sql = load_sql("recon.ingest", "latest_timestamp").format(timestamps=" UNION ALL ".join(parts))
    return con.execute(sql).fetchall()[0][0]


def _check_bad_ratio(counts: Mapping[str, SourceCounts], max_ratio: Decimal) -> None:
    for source, count in counts.items():
        if count.read and Decimal(count.quarantined) / Decimal(count.read) > max_ratio:
            raise TooManyBadRows(source, count.quarantined, count.read, str(max_ratio))


def _quiet(_message: str) -> None:
    return None
