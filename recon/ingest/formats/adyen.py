"""Adyen's Settlement details report (CSV) as gateway records.

One report per payout batch (or several batches, of one or more merchant accounts):
payment-level lines (Settled, Refunded, Chargeback, ...) and batch-level bookings (Fee,
InvoiceDeduction, DepositCorrection, ...), closed by a MerchantPayout (and/or a
Balancetransfer to the next batch). Payment-level lines are records: our txn_ref is the
Merchant Reference (a refund carries its payment's), the gateway_ref the line's Modification
Reference, so a refund is its own record linked to the payment. Bookings are counted as read
and enter the batch total (`adyen_totals`). Columns are found by their header names, in any
order, extra columns ignored (docs/formats.md, "adyen-settlement-detail", names the Adyen
pages they were checked against).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

from recon.errors import ConfigError, UnreadableFileError
from recon.ingest.formats.adyen_money import LineMoney, NotAnAmount, cents, line_money
from recon.ingest.formats.adyen_totals import Booking, payout_controls
from recon.ingest.formats.extract import ProviderExtract, ProviderRecord, ProviderReject
from recon.ingest.formats.fill import with_constants
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format

REQUIRED = (
    "Psp Reference",
    "Merchant Reference",
    "Creation Date",
    "TimeZone",
    "Type",
    "Modification Reference",
    "Gross Currency",
    "Gross Debit (GC)",
    "Gross Credit (GC)",
    "Net Currency",
    "Net Debit (NC)",
    "Net Credit (NC)",
    "Batch Number",
)
# journal type -> contract status; a type not here is a booking (status_map adds). Adyen's
# journal types page: Settled is a credit; Refunded, Chargeback, SecondChargeback debits.
STATUS: Mapping[str, str] = {
    "Settled": "SUCCESS",
    "Refunded": "REFUNDED",
    "Chargeback": "REFUNDED",
    "SecondChargeback": "REFUNDED",
}
# Adyen's TimeZone column holds abbreviations; only unambiguous ones are read
OFFSETS: Mapping[str, str] = {
    "UTC": "+00:00", "GMT": "+00:00", "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "MSK": "+03:00",
    "SGT": "+08:00", "HKT": "+08:00", "JST": "+09:00", "KST": "+09:00", "AEST": "+10:00",
    "AEDT": "+11:00", "NZST": "+12:00", "NZDT": "+13:00", "EST": "-05:00", "EDT": "-04:00",
    "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "BRT": "-03:00",
}  # fmt: skip


def read_adyen_settlement(path: Path, options: FormatOptions) -> ProviderExtract:
    """Gateway records of the payment-level lines; every line accounted for; each batch's
    payout checked against the lines it pays out."""
    if options.source != "gateway":
        raise ConfigError(
            f"format adyen-settlement-detail feeds the gateway source, not {options.source}"
        )
    statuses = {**STATUS, **options.status_map}
    records: list[ProviderRecord] = []
    rejects: list[ProviderReject] = []
    bookings: list[Booking] = []
    accounted = 0
    delimiter = options.delimiter or ","
    for line, row, cells in _rows(path, options):
        accounted += 1
        origin, raw = f"line {line}", delimiter.join(cells)
        if isinstance(row, str):
            if row:
                rejects.append(ProviderReject(origin=origin, reason=row, text=raw))
            continue
        kind = row["Type"].strip()
        try:
            money = line_money(row)
        except NotAnAmount as err:
            rejects.append(ProviderReject(origin=origin, reason=str(err), text=raw))
            continue
        bookings.append(
            Booking(
                merchant=row.get("Merchant Account", "").strip(),
                batch=row["Batch Number"].strip(),
                currency=row["Net Currency"].strip(),
                kind=kind,
                money=money,
                line=line,
            )
        )
        if kind not in statuses:
            continue  # a batch-level booking: in the batch total, not a payment
        reason = money.rule_breach() or _time_problem(row)
        if reason:
            rejects.append(ProviderReject(origin=origin, reason=reason, text=raw))
            continue
        fields = with_constants(_fields(row, money, statuses[kind], options), options.constants)
        records.append(ProviderRecord(origin=origin, fields=fields))
    return ProviderExtract(
        source="gateway",
        records=tuple(records),
        rejects=tuple(rejects),
        controls=tuple(payout_controls(bookings)),
        accounted=accounted,
    )


def _rows(
    path: Path, options: FormatOptions
) -> Iterator[tuple[int, dict[str, str] | str, list[str]]]:
    """(line, row by header name, cells) per CSV record, counted from 1 with the header as
    line 1; the header and a blank line give "" and a record of the wrong width its reason."""
    encoding = options.encoding or "utf-8-sig"
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=options.delimiter or ",")
            header = [name.strip() for name in next(reader, [])]
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise UnreadableFileError(
                    path,
                    "not an Adyen settlement details report: no column "
                    + ", ".join(repr(m) for m in missing),
                    line=1,
                )
            yield 1, "", header
            while True:
                line = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    return
                if not any(cell.strip() for cell in cells):
                    yield line, "", cells
                elif len(cells) != len(header):
                    yield line, f"{len(cells)} fields where the header has {len(header)}", cells
                else:
                    yield line, dict(zip(header, cells, strict=True)), cells
    except UnicodeDecodeError as err:
        raise UnreadableFileError(path, f"not {encoding} text ({err.reason})") from None
    except csv.Error as err:
        raise UnreadableFileError(path, f"broken CSV structure: {err}") from None


def _time_problem(row: Mapping[str, str]) -> str:
    zone = row["TimeZone"].strip()
    if zone and zone.upper() not in OFFSETS:
        return f"TimeZone {zone!r} is not one recon reads unambiguously (UTC, CET, BST, ...)"
    try:
        datetime.strptime(row["Creation Date"].strip(), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return f"Creation Date is not YYYY-MM-DD HH:MM:SS: {row['Creation Date']!r}"
    return ""


def _fields(
    row: Mapping[str, str], money: LineMoney, status: str, options: FormatOptions
) -> dict[str, str]:
    credit = bool(money.gross_credit)
    if row["Gross Currency"].strip() != row["Net Currency"].strip():
        fee = cents(money.fees)  # in the settlement currency: see docs/formats.md
    elif credit:  # what was withheld, as the money shows it
        fee = cents(money.gross_credit * money.rate) - money.net_credit
    else:
        fee = money.net_debit - cents(money.gross_debit * money.rate)
    zone = row["TimeZone"].strip().upper()
    return {
        "gateway_ref": row["Modification Reference"].strip()
        or f"{row['Psp Reference'].strip()}/{row['Type'].strip()}",
        "txn_ref": row["Merchant Reference"].strip(),
        "amount": row["Gross Credit (GC)" if credit else "Gross Debit (GC)"].strip(),
        "currency": row["Gross Currency"].strip(),
        "fee": str(fee),
        "status": status,
        "gateway_at": row["Creation Date"].strip() + OFFSETS.get(zone, options.utc_offset),
    }


FORMAT = Format(
    name="adyen-settlement-detail",
    read=read_adyen_settlement,
    suffixes=(".csv",),
    summary="Adyen Settlement details report (payment lines; net = gross - fees per line and"
    " each batch's payout checked)",
)
