"""`recon generate`: write a generated business day (extracts, answer key, recon.toml)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from recon.errors import ConfigError
from recon.exit_codes import ExitCode


def register(subparsers: Any) -> None:
    """Add the `generate` command to the `recon` command's subparsers."""
    parser = subparsers.add_parser(
        "generate",
        help="write a realistic day of extracts with an outage, and its answer key",
        description="Write a business day of ledger, channel, gateway and invoice extracts "
        "with a ten-minute outage into OUT/data, the findings a correct reconciliation must "
        "report into OUT/truth (truth.csv, truth.json) and OUT/recon.toml to run it with. "
        "The same seed gives the same files.",
        epilog="Example: recon generate --out /tmp/day --transfers 1000000 --format parquet",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--transfers", type=int, default=2500, help="transfers in the day (2500)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--date", type=date.fromisoformat, default=date(2024, 3, 15), help="business date"
    )
    parser.add_argument(
        "--outage-start",
        type=time.fromisoformat,
        default=time(11, 20),
        help="local start of the outage, HH:MM (11:20)",
    )
    parser.add_argument("--outage-minutes", type=int, default=10, help="outage length (10)")
    parser.add_argument(
        "--format", choices=("csv", "parquet", "jsonl"), default="csv", help="file format (csv)"
    )
    parser.add_argument("--encoding", default="utf-8", help="CSV encoding, e.g. gb18030")
    parser.add_argument("--timezone", default="UTC", help="business time zone (UTC)")
    parser.add_argument("--parts", type=int, default=1, help="files per source (1)")
    parser.add_argument("--bad-rows", type=int, default=0, help="bad rows, spread over sources")
    parser.add_argument(
        "--duplicates", type=int, default=0, help="exact duplicate rows, spread over sources"
    )
    parser.add_argument(
        "--no-control-totals", action="store_true", help="write no .control.json sidecars"
    )
    parser.add_argument(
        "--currency-alias",
        help="local currency name the gateway writes, e.g. RMB (mapped in recon.toml)",
    )
    parser.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="SOURCE.COLUMN=NAME",
        help="write a column under the extract's own name, e.g. gateway.txn_ref=商户订单号 "
        "(repeatable; recon.toml maps it back)",
    )
    parser.add_argument(
        "--truncate",
        choices=("ledger", "channel", "gateway", "invoices"),
        help="cut the last tenth of this source's last file after its sidecar is written "
        "(recon must stop with exit 2)",
    )
    parser.add_argument(
        "--late-credits",
        action="store_true",
        help="also write late/ledger_late.* (credits that arrive after the run) and truth_late/ "
        "(the answer key of a rerun with that file copied into data/)",
    )
    parser.add_argument(
        "--thousands-separator",
        help="write CSV amounts as 1,234.50 (e.g. ','); recon.toml names it",
    )
    parser.add_argument("--memory-limit", help="DuckDB memory limit while generating, e.g. 2GB")
    parser.set_defaults(handler=_generate)


def renames(specs: list[str]) -> dict[str, dict[str, str]]:
    """`gateway.txn_ref=商户订单号` options as {source: {our column: their name}}."""
    out: dict[str, dict[str, str]] = {}
    for spec in specs:
        target, sep, name = spec.partition("=")
        source, dot, column = target.partition(".")
        if not (sep and dot and source and column and name):
            raise ConfigError(f"--rename wants SOURCE.COLUMN=NAME, got {spec!r}")
        out.setdefault(source, {})[column] = name
    return out


def _generate(args: argparse.Namespace) -> int:
    from recon.sample.generate import generate

    if args.transfers < 1:
        raise ConfigError(f"--transfers must be positive, got {args.transfers}")
    started = datetime.now().astimezone()
    result = generate(
        args.out,
        transfers=args.transfers,
        seed=args.seed,
        business_date=args.date,
        outage_start=args.outage_start,
        outage_minutes=args.outage_minutes,
        fmt=args.format,
        encoding=args.encoding,
        parts=args.parts,
        bad_rows=args.bad_rows,
        exact_duplicates=args.duplicates,
        control_totals=not args.no_control_totals,
        timezone=args.timezone,
        currency_alias=args.currency_alias,
        columns=renames(args.rename),
        truncate=args.truncate,
        late_credits=args.late_credits,
        thousands_separator=args.thousands_separator,
        memory_limit=args.memory_limit,
    )
    seconds = (datetime.now().astimezone() - started).total_seconds()
    rows = ", ".join(f"{s} {c.read}" for s, c in result.rows.items())
    print(
        f"wrote {result.transfers} transfers ({rows} rows) to {result.data_dir} in {seconds:.1f}s;"
        f" {sum(result.findings.values())} expected findings in {result.truth_dir}/truth.csv;"
        f" run with --config {result.config_path}"
    )
    return int(ExitCode.CLEAN)
