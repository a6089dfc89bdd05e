"""Generate a realistic business day of extracts with a ten-minute outage, plus its answer key.

Everything is columnar DuckDB SQL over `range()` with seeded hashes (no per-row Python), so
millions of transfers stream from views straight into COPY in bounded memory. Layout of
`out_dir` (like the shared public scenario):

    data/      ledger, channel, gateway, invoices extracts (+ .control.json sidecars)
    truth/     truth.csv (one row per expected finding) and truth.json (row accounting,
               findings per subtype, compensation per customer)
    recon.toml the config to reconcile it with
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import duckdb

from recon.db import connect
from recon.model import SourceCounts
from recon.sample import artefacts
from recon.sample.plan import GenerationSpec, SlotLayout, plan_slots, rate_fraction
from recon.sample.writer import WrittenFile, write_source
from recon.sql import load_sql

PACKAGE = "recon.sample"
CLEARING_ACCOUNTS = ("CLR-CNAPS-01", "CLR-UNIONPAY-01", "CLR-SWIFT-01")


@dataclass(frozen=True)
class GenerationResult:
    """Where the generated day went and what a correct reconciliation of it must report."""

    root: Path
    data_dir: Path
    truth_dir: Path
    config_path: Path
    cutoff: datetime
    transfers: int
    files: tuple[WrittenFile, ...] = ()
    rows: Mapping[str, SourceCounts] = field(default_factory=lambda: MappingProxyType({}))
    findings: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    compensation_total: Decimal = Decimal("0")


def generate(
    out_dir: Path,
    *,
    transfers: int,
    seed: int,
    business_date: date,
    outage_start: time | datetime = time(11, 20),
    outage_minutes: int = 10,
    fmt: str = "csv",
    encoding: str = "utf-8",
    parts: int = 1,
    bad_rows: int = 0,
    exact_duplicates: int = 0,
    control_totals: bool = True,
    timezone: str = "UTC",
    currency_alias: str | None = None,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    truncate: str | None = None,
    late_credits: bool = False,
    thousands_separator: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> GenerationResult:
    """Write one generated day into `out_dir` (see the module docstring for the layout).

    Optional shapes of real extracts: `currency_alias` (the gateway writes e.g. RMB for the
    currency; recon.toml maps it), `columns` (per source, our column -> the extract's own
    name; recon.toml maps them back), `truncate` (a source whose last file loses its last
    tenth of rows after its sidecar was written: recon must stop with exit 2),
    `late_credits` (late/ledger_late.* and truth_late/: the rerun after credits arrived),
    `thousands_separator` (CSV amounts as "1,234.50"; recon.toml names it).
    """
    spec = GenerationSpec(
        transfers=transfers,
        seed=seed,
        business_date=business_date,
        outage_start=outage_start,
        outage_minutes=outage_minutes,
        fmt=fmt,
        encoding=encoding,
        parts=parts,
        bad_rows=bad_rows,
        exact_duplicates=exact_duplicates,
        control_totals=control_totals,
        timezone=timezone,
        currency_alias=currency_alias,
        columns=MappingProxyType(dict(columns or {})),
        truncate=truncate,
        thousands_separator=thousands_separator,
    )
    out_dir = Path(out_dir)
    data_dir, truth_dir = out_dir / "data", out_dir / "truth"
    spill = out_dir / ".tmp"  # DuckDB spills here past memory_limit
    con = connect(memory_limit=memory_limit, threads=threads, temp_directory=spill)
    try:
        con.execute("SET preserve_insertion_order = true")
        _run_sql(con, "templates")
        cycle_len = int(con.sql("SELECT count(*) FROM gen_cycle").fetchall()[0][0])
        layout = plan_slots(spec, cycle_len)
        data_dir.mkdir(parents=True, exist_ok=True)
        truth_dir.mkdir(parents=True, exist_ok=True)
        _remove_previous(out_dir)
        con.execute(load_sql(PACKAGE, "params"), _params(spec, layout, cycle_len))
        for name in ("slots", "sources", "truth"):
            _run_sql(con, name)
        files, rows = _write_extracts(con, spec, data_dir)
        findings, total = _write_truth(con, spec, layout, truth_dir, rows, files)
        if late_credits:
            _write_late_credits(con, spec, layout, out_dir, rows, files)
        config_path = _write_config(out_dir, spec, layout)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return GenerationResult(
        root=out_dir,
        data_dir=data_dir,
        truth_dir=truth_dir,
        config_path=config_path,
        cutoff=layout.cutoff,
        transfers=transfers,
        files=tuple(files),
        rows=MappingProxyType(rows),
        findings=MappingProxyType(findings),
        compensation_total=total,
    )


def _remove_previous(out_dir: Path) -> None:
    """Remove an earlier generated day's extracts and answer keys (other files stay), so a
    smaller rerun leaves no stale part file behind for `recon run` to pick up."""
    stale = [p for s in artefacts.SOURCES for p in (out_dir / "data").glob(f"{s}*")]
    stale += list((out_dir / "late").glob("ledger_late*"))
    for truth in ("truth", "truth_late"):
        stale += [out_dir / truth / "truth.csv", out_dir / truth / "truth.json"]
    for path in stale:
        if path.is_file():
            path.unlink()


def _run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute(load_sql(PACKAGE, name))


def _params(spec: GenerationSpec, layout: SlotLayout, cycle_len: int) -> dict[str, object]:
    rate_num, rate_den = rate_fraction(spec.annual_rate)
    return {
        "seed": spec.seed,
        "n": spec.transfers,
        "a": layout.a,
        "b": layout.b,
        "cycle_len": cycle_len,
        "n_customers": layout.n_customers,
        "day_start": layout.day_start,
        "day_ms": layout.day_ms,
        "pre_ms": layout.pre_ms,
        "outage_ms": layout.outage_ms,
        "post_end_ms": layout.post_end_ms,
        "inflight_from_ms": layout.inflight_from_ms,
        "parts": spec.parts,
        "date_tag": spec.business_date.strftime("%Y%m%d"),
        "currency": spec.currency,
        "rate_num": rate_num,
        "rate_den": rate_den,
        "gateway_currency": spec.currency_alias or spec.currency,
        "tz": spec.timezone,
        "utc_out": spec.timezone == "UTC",
    }


def _write_extracts(
    con: duckdb.DuckDBPyConnection, spec: GenerationSpec, data_dir: Path
) -> tuple[list[WrittenFile], dict[str, SourceCounts]]:
    typed = spec.fmt == "parquet"
    dups = artefacts.spread(spec.exact_duplicates)
    bads = artefacts.spread(spec.bad_rows)
    files: list[WrittenFile] = []
    rows: dict[str, SourceCounts] = {}
    for source in artefacts.SOURCES:
        extras = (
            artefacts.build_duplicates(con, source, dups[source], typed)
            if dups[source]
            else artefacts.empty_like(con, source, typed, "gen_dup"),
            artefacts.build_bad_rows(con, source, bads[source], typed)
            if bads[source]
            else artefacts.empty_like(con, source, typed, "gen_bad"),
        )
        dup_n = int(con.sql(f'SELECT count(*) FROM "{extras[0]}"').fetchall()[0][0])
        bad_n = int(con.sql(f'SELECT count(*) FROM "{extras[1]}"').fetchall()[0][0])
        written = write_source(
            con,
            source,
            artefacts.view_name(source, typed),
            extras,
            data_dir,
            parts=spec.parts,
            fmt=spec.fmt,
            encoding=spec.encoding,
            control_totals=spec.control_totals,
            rename=spec.columns.get(source),
            truncate=spec.truncate == source,
            separator=spec.thousands_separator,
        )
        files.extend(written)
        read = sum(f.rows for f in written)
        rows[source] = SourceCounts(
            read=read, valid=read - dup_n - bad_n, quarantined=bad_n, exact_duplicates=dup_n
        )
    return files, rows


def _write_truth(
    con: duckdb.DuckDBPyConnection,
    spec: GenerationSpec,
    layout: SlotLayout,
    truth_dir: Path,
    rows: Mapping[str, SourceCounts],
    files: list[WrittenFile],
    *,
    late: bool = False,
) -> tuple[dict[str, int], Decimal]:
    """truth.csv and truth.json; with `late`, the answer key of a rerun with the late credits."""
    truth_dir.mkdir(parents=True, exist_ok=True)
    keep = "FROM gen_truth WHERE NOT ($late AND healed_by_late_credit)"
    con.execute(
        f"COPY (SELECT type, subtype, txn_ref, customer_id, amount, compensation {keep} "
        "ORDER BY type, subtype, txn_ref, n) TO $path (FORMAT csv, HEADER true)",
        {"path": str(truth_dir / "truth.csv"), "late": late},
    )
    found = con.execute(
        f"SELECT type, subtype, count(*) {keep} GROUP BY ALL ORDER BY ALL", {"late": late}
    ).fetchall()
    findings = {f"{t}/{s}": int(c) for t, s, c in found}
    paid = con.execute(
        f"SELECT customer_id, sum(compensation) {keep} GROUP BY ALL "
        "HAVING sum(compensation) > 0 ORDER BY ALL",
        {"late": late},
    ).fetchall()
    compensation = {cust: f"{amount:.2f}" for cust, amount in paid}
    total = sum((Decimal(v) for v in compensation.values()), Decimal("0"))
    answer: dict[str, object] = {
        "cutoff": layout.cutoff.isoformat(),
        "timezone": spec.timezone,
        "rows": {
            s: {
                "read": c.read,
                "valid": c.valid,
                "quarantined": c.quarantined,
                "exact_duplicates": c.exact_duplicates,
            }
            for s, c in rows.items()
        },
        "findings": findings,
        "findings_total": sum(findings.values()),
        "compensation": compensation,
        "compensation_total": f"{total:.2f}",
        "compensation_currency": spec.currency,
    }
    if late:
        healed = con.sql(
            "SELECT txn_ref FROM gen_truth WHERE healed_by_late_credit ORDER BY ALL"
        ).fetchall()
        answer["healed_txn_refs"] = [t for (t,) in healed]
    cut = [f for f in files if f.truncated]
    if cut:  # a truncated extract: the run must stop (exit 2) and record no findings
        answer["expected_exit"] = 2
        answer["truncated"] = [{"file": f.path.name, "rows_left": f.rows} for f in cut]
    (truth_dir / "truth.json").write_text(json.dumps(answer, indent=1) + "\n", encoding="utf-8")
    return findings, total


def _write_late_credits(
    con: duckdb.DuckDBPyConnection,
    spec: GenerationSpec,
    layout: SlotLayout,
    out_dir: Path,
    rows: Mapping[str, SourceCounts],
    files: list[WrittenFile],
) -> None:
    """late/ledger_late.* (credits that arrive after the run) and truth_late/ (the answer key
    of a rerun with that file added to data/: their DEBIT_WITHOUT_CREDIT findings heal)."""
    late_dir = out_dir / "late"
    late_dir.mkdir(parents=True, exist_ok=True)
    written = write_source(
        con,
        "ledger_late",
        "gen_late_ledger" if spec.fmt == "parquet" else "gen_late_ledger_text",
        (),
        late_dir,
        parts=1,
        fmt=spec.fmt,
        encoding=spec.encoding,
        control_totals=spec.control_totals,
        rename=spec.columns.get("ledger"),
        separator=spec.thousands_separator,
    )
    added = sum(f.rows for f in written)
    after = dict(rows)
    ledger = rows["ledger"]
    after["ledger"] = replace(ledger, read=ledger.read + added, valid=ledger.valid + added)
    _write_truth(con, spec, layout, out_dir / "truth_late", after, files, late=True)


def _write_config(out_dir: Path, spec: GenerationSpec, layout: SlotLayout) -> Path:
    """The recon.toml to reconcile the day with: its time zone, encoding, clearing accounts and
    the nightly cutoff (the end of the business date)."""
    accounts = ", ".join(f'"{a}"' for a in CLEARING_ACCOUNTS)
    text = (
        f"# Generated by `recon generate` (seed {spec.seed}): business date "
        f"{spec.business_date.isoformat()} ({spec.timezone}), {spec.transfers} transfers,\n"
        f"# a {spec.outage_minutes}-minute outage. Other keys keep the contract's defaults.\n"
        f'timezone = "{spec.timezone}"\n'
        f'encoding = "{spec.encoding}"\n'
        f"clearing_accounts = [{accounts}]\n"
        f'cutoff = "{layout.cutoff.isoformat()}"\n'
    )
    if spec.thousands_separator:
        text += f"thousands_separator = {_toml(spec.thousands_separator)}\n"
    if spec.currency_alias:
        text += f"currency_aliases = {{ {_toml(spec.currency_alias)} = {_toml(spec.currency)} }}\n"
    for source, mapping in spec.columns.items():
        text += f"\n[sources.{source}.columns]\n"
        text += "".join(f"{_toml(theirs)} = {_toml(ours)}\n" for ours, theirs in mapping.items())
    path = out_dir / "recon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _toml(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML)."""
    return json.dumps(text, ensure_ascii=False)
