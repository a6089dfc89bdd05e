"""`load_extracts`: the four extracts of a data folder into validated working tables.

Per source: find its files (name order); type each file straight from DuckDB's reader into
the source's table (transcoding non-UTF-8 text first), each row marked with the first rule
it breaks; find exact duplicates and conflicting keys; check the control-total sidecars;
quarantine what is not valid and delete it. The accounting is returned as an IngestResult.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from types import MappingProxyType

import duckdb

from recon.config import REQUIRED_SOURCES, SOURCES, Config, SourceConfig
from recon.errors import AmountOverflowError, IncompleteDeliveryError, TooManyBadRows
from recon.ingest.columns import check_mapping
from recon.ingest.control import check_control_totals, read_control_totals
from recon.ingest.csv_reader import encoding_advice, read_csv
from recon.ingest.files import check_sidecars, extract_files, file_format
from recon.ingest.formats.ingest import Placement, format_files, place_origins, read_provider_file
from recon.ingest.jsonl_reader import jsonl_rows
from recon.ingest.parquet_reader import parquet_rows
from recon.ingest.raw import MalformedRow
from recon.ingest.rules import SourceRules, source_rules
from recon.ingest.scan import FileScan, scan_file
from recon.ingest.settle import FileCounts, check_reversals, find_duplicates, settle
from recon.ingest.stage import (
    Parsing,
    Window,
    create_source_table,
    cross_row_checks,
    define_macros,
    insert_rows,
    shift_lines,
    source_checks,
)
from recon.ingest.transcode import needs_transcoding, utf8_copy
from recon.model import IngestResult, InputFile, SourceCounts
from recon.sql import load_sql, quote_ident, run_statements

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
    now: datetime | None = None,
) -> IngestResult:
    """Fill `ledger`, `channel`, `gateway`, `invoices` and `quarantine` in `con`.

    A timestamp outside the plausible window (`plausible_window`; without a configured
    cutoff it ends `max_future_hours` after `now`, default the wall clock) is a bad value,
    so the default cutoff, the latest valid timestamp, never comes from one.

    Raises MissingExtractError (a required source has no file), UnreadableFileError,
    ControlTotalMismatch (a sidecar disagrees: nothing is published), and TooManyBadRows
    after the tables (quarantine included) are filled, so the run can still publish why.
    """
    say = progress or _quiet
    data_dir = Path(data_dir)
    check_sidecars(data_dir, SOURCES)
    plan = {
        s: extract_files(
            data_dir, s, required=s in REQUIRED_SOURCES, **format_files(config.source(s))
        )
        for s in SOURCES
    }
    for source in SOURCES:
        check_mapping(source_rules(source), config.source(source).columns)
    _create_tables(con, [path for paths in plan.values() for path in paths])
    define_macros(con)
    window = plausible_window(config, now or datetime.now(UTC))
    loaded: dict[str, _Loaded] = {}
    with (
        TemporaryDirectory(prefix="recon-ingest-") as tmp,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        # hashing (and counting lines) runs beside DuckDB's reading
        scans = {path: pool.submit(scan_file, path) for paths in plan.values() for path in paths}
        try:
            for source in SOURCES:
                loaded[source] = _load_source(
                    con, source_rules(source), plan[source], config, window, Path(tmp), scans, say
                )
        finally:
            for future in scans.values():
                future.cancel()
    result = IngestResult(
        counts=MappingProxyType({source: part.counts for source, part in loaded.items()}),
        files=tuple(f for part in loaded.values() for f in part.files),
        latest_timestamp=_latest_timestamp(con),
        absent=tuple(source for source in SOURCES if not plan[source]),
    )
    _check_bad_ratio(con, result, config.max_bad_ratio)
    return result


def plausible_window(config: Config, now: datetime) -> Window:
    """From the start of `min_date` in `timezone` to `max_future_hours` after the cutoff
    (without one, after `now`): a timestamp outside it is a bad value."""
    earliest = datetime.combine(config.min_date, time(), tzinfo=config.tz)
    anchor, after = (config.cutoff, "the cutoff") if config.cutoff else (now, "the run started")
    if anchor.tzinfo is None:
        anchor = anchor.replace(tzinfo=config.tz)
    return Window(
        earliest=earliest,
        latest=anchor + timedelta(hours=config.max_future_hours),
        reason=(
            f"timestamp outside the plausible window (before {config.min_date.isoformat()}"
            f" or more than {config.max_future_hours} hours after {after})"
        ),
    )


def _load_source(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    paths: list[Path],
    config: Config,
    window: Window,
    tmp: Path,
    scans: Mapping[Path, Future[FileScan]],
    say: Progress,
) -> _Loaded:
    source = rules.source
    settings = config.source(source)
    parsing = Parsing(
        config.timezone, settings.thousands_separator, config.currency_aliases, window
    )
    malformed: list[tuple[MalformedRow, ...]] = []
    placements: list[Placement] = []
    for number, path in enumerate(paths):
        say(f"{source}: reading {path.name} ({number + 1} of {len(paths)})")
        if settings.format:  # a provider's own file (docs/formats.md)
            read = read_provider_file(
                con, rules, path, file_no=number, settings=settings, parsing=parsing, tmp=tmp
            )
            malformed.append(read.malformed)
            placements.append(read.placement)
            continue
        malformed.append(_read_file(con, rules, path, number, settings, parsing, tmp, scans[path]))
    checks = source_checks(rules, window=window)
    if cross := cross_row_checks(rules):  # the ledger's reversals, the one such rule
        check_reversals(con, rules, len(checks) + 1)
        checks += cross
    say(f"{source}: finding duplicates")
    per_file = find_duplicates(con, rules)
    files: list[InputFile] = []
    read = duplicates = bad = 0
    for number, (path, broken_rows) in enumerate(zip(paths, malformed, strict=True)):
        counts = per_file.get(number, FileCounts(0, Decimal(0), 0, 0, 0))
        rows = counts.rows + len(broken_rows)
        total = counts.amount_sum + _malformed_amount_sum(
            con, broken_rows, settings.thousands_separator
        )
        expected = read_control_totals(path, settings.thousands_separator)
        if expected is not None:
            check_control_totals(path, expected, rows, total)
        if not settings.format:  # a provider format's reader accounts for its own lines
            check_not_cut_short(path, broken_rows, scans[path].result().lines)
        if abs(total) > AmountOverflowError.LIMIT:  # each amount fits, their sum need not
            raise AmountOverflowError(str(path), "amount sum", total)
        files.append(
            InputFile(
                source=source,
                path=str(path),
                format=settings.format or file_format(path.name) or "",
                sha256=scans[path].result().sha256,
                rows=rows,
                amount_sum=total,
            )
        )
        read += rows
        duplicates += counts.exact_duplicates
        bad += counts.broken + counts.conflicts + len(broken_rows)
    say(f"{source}: {read} rows read, {bad} quarantined, {duplicates} exact duplicates")
    settle(con, rules, checks)
    for path, broken_rows in zip(paths, malformed, strict=True):
        _quarantine_malformed(con, source, str(path), broken_rows)
    for placement in placements:
        place_origins(con, rules, placement)
    valid = con.sql(f"SELECT count(*) FROM {quote_ident(source)}").fetchall()[0][0]
    return _Loaded(SourceCounts(read, valid, bad, duplicates), tuple(files))


def _read_file(
    con: duckdb.DuckDBPyConnection,
    rules: SourceRules,
    path: Path,
    number: int,
    settings: SourceConfig,
    parsing: Parsing,
    tmp: Path,
    scan: Future[FileScan],
) -> tuple[MalformedRow, ...]:
    """Type one file into its source's table; its malformed rows (quarantined later)."""
    fmt = file_format(path.name)
    mapping = settings.columns
    readable = path
    if fmt != "parquet" and needs_transcoding(settings.encoding):
        readable = utf8_copy(path, settings.encoding, tmp, rules.source)
    if fmt == "csv":
        return read_csv(
            con,
            rules,
            readable,
            shown_as=path,
            file_no=number,
            settings=settings,
            parsing=parsing,
            # the scan counts the lines beside DuckDB's reading; a transcoded copy has its own
            scan=(lambda: scan_file(readable)) if readable != path else scan.result,
            tmp=tmp,
        )
    malformed: tuple[MalformedRow, ...] = ()
    if fmt == "parquet":
        rows = parquet_rows(path, rules=rules, mapping=mapping)
    elif fmt == "jsonl":
        table = f"recon_ingest_lines_{rules.source}_{number}"
        rows, malformed = jsonl_rows(con, readable, table=table, rules=rules, mapping=mapping)
    insert_rows(con, rules, rows, file_no=number, file=str(path), parsing=parsing)
    if fmt == "jsonl":
        con.execute(f"DROP TABLE IF EXISTS {quote_ident(table)}")
    shift_lines(
        con,
        rules,
        file_no=number,
        first_line=rows.first_line,
        skipped=rows.skipped,
    )
    return malformed


def check_not_cut_short(path: Path, broken: Sequence[MalformedRow], lines: int) -> None:
    """A text file whose last line is broken and has no newline was cut short mid-record (a
    truncated transfer, a disk that filled): stop, whatever the bad-row ratio says, because
    how much is missing after it is unknown (CONTRACT.md: a truncated extract stops the run).
    """
    if not broken or file_format(path.name) == "parquet" or max(m.line for m in broken) < lines:
        return
    with open(path, "rb") as handle:
        handle.seek(-1, 2)
        if handle.read(1) == b"\n":
            return
    raise IncompleteDeliveryError(
        path,
        f"ends in the middle of a record (line {lines} is broken and has no newline): the"
        " file was cut short, so an unknown number of rows is missing",
    )


def _quarantine_malformed(
    con: duckdb.DuckDBPyConnection, source: str, path: str, rows: tuple[MalformedRow, ...]
) -> None:
    if rows:
        con.execute(
            load_sql("recon.ingest", "malformed_rows"),
            {
                "source": source,
                "file": path,
                "lines": [m.line for m in rows],
                "texts": [m.text for m in rows],
                "reasons": [m.reason for m in rows],
            },
        )


def _malformed_amount_sum(
    con: duckdb.DuckDBPyConnection, rows: tuple[MalformedRow, ...], separator: str | None
) -> Decimal:
    amounts = [m.amount for m in rows if m.amount is not None]
    if not amounts:
        return Decimal(0)
    (total,) = con.execute(
        load_sql("recon.ingest", "malformed_amount_sum"), {"amounts": amounts, "sep": separator}
    ).fetchall()[0]
    return total or Decimal(0)


def _create_tables(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    run_statements(con, load_sql("recon.ingest", "file_type"), {"paths": [str(p) for p in paths]})
    for source in SOURCES:
        create_source_table(con, source_rules(source))
    con.execute(load_sql("recon.ingest", "quarantine_table"))
    con.execute(load_sql("recon.ingest", "quarantined_refs_table"))


def _latest_timestamp(con: duckdb.DuckDBPyConnection) -> datetime | None:
    parts: Iterable[str] = (
        f"SELECT max({quote_ident(column)}) AS ts FROM {quote_ident(source)}"
        for source in SOURCES
        for column in source_rules(source).timestamps
    )
    sql = load_sql("recon.ingest", "latest_timestamp").format(timestamps=" UNION ALL ".join(parts))
    return con.execute(sql).fetchall()[0][0]


def check_required_rows(result: IngestResult) -> None:
    """A required extract whose files hold no data row is an extract that did not arrive
    (CONTRACT.md section 1): stop rather than reconcile against nothing."""
    for source in REQUIRED_SOURCES:
        files = [f for f in result.files if f.source == source]
        if files and not result.counts[source].read:
            names = ", ".join(Path(f.path).name for f in files)
            raise IncompleteDeliveryError(
                files[0].path,
                f"the {source} extract ({names}) holds no data rows, only a header: a required"
                " extract cannot be empty",
            )


def _check_bad_ratio(
    con: duckdb.DuckDBPyConnection, result: IngestResult, max_ratio: Decimal
) -> None:
    for source, count in result.counts.items():
        if count.read and Decimal(count.quarantined) / Decimal(count.read) > max_ratio:
            raise TooManyBadRows(
                source,
                count.quarantined,
                count.read,
                str(max_ratio),
                result,
                hint=encoding_advice(con, source),  # rows not in UTF-8: which encoding they are in
            )


def _quiet(_message: str) -> None:
    return None
