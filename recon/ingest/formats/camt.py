"""camt.053 bank statements and camt.054 debit/credit notifications as canonical records.

Both carry the same `<Ntry>` entries (camt.053 under `<Stmt>`, camt.054 under `<Ntfctn>`),
so one reader serves both. An entry is one record, or, when it books a batch whose
transactions are itemised with their own amounts (two or more `<TxDtls>`), one record per
transaction: those are the payments a gateway or ledger extract knows. Values are handed on as
text; the canonical schema judges them (an unknown status or direction is quarantined there,
with this file's element path). The file's own totals are in `camt_totals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element

from recon.errors import ConfigError
from recon.ingest.formats.camt_totals import Entry, batch_control, statement_controls
from recon.ingest.formats.extract import ControlTotal, ProviderExtract, ProviderRecord
from recon.ingest.formats.fill import with_constants
from recon.ingest.formats.iso20022 import (
    amount,
    child,
    children,
    code,
    date_time,
    day,
    local,
    require_message,
    text,
)
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format
from recon.ingest.formats.xml_safe import parse_xml

# the report element of each message
_REPORT = {"camt.053": "Stmt", "camt.054": "Ntfctn"}
# entry status (`<Sts>`) -> contract status, per source; `status_map` overrides
STATUS: Mapping[str, Mapping[str, str]] = {
    "gateway": {"BOOK": "SUCCESS", "PDNG": "PENDING", "FUTR": "PENDING", "RJCT": "FAILED"},
    "ledger": {"BOOK": "POSTED", "PDNG": "PENDING", "FUTR": "PENDING", "RJCT": "FAILED"},
}
_DIRECTION = {"CRDT": "C", "DBIT": "D"}
# references that may carry our txn_ref, most specific first
_REFS = ("EndToEndId", "InstrId", "TxId")


@dataclass(frozen=True)
class _Unit:
    """One future record: an entry, or one itemised transaction of a batch entry."""

    origin: str
    record_id: str
    entry: Element
    tx: Element | None  # the entry's only transaction, or the itemised one
    itemised: bool = False


def read_camt053(path: Path, options: FormatOptions) -> ProviderExtract:
    """A camt.053 statement's entries (every `<Stmt>` of the file)."""
    return read_camt(path, options, "camt.053", "camt053")


def read_camt054(path: Path, options: FormatOptions) -> ProviderExtract:
    """A camt.054 notification's entries (every `<Ntfctn>` of the file)."""
    return read_camt(path, options, "camt.054", "camt054")


def read_camt(path: Path, options: FormatOptions, message: str, fmt: str) -> ProviderExtract:
    """Records for `options.source` ("gateway" or "ledger"), the file's totals beside what
    its entries add up to, and the count of entry and transaction elements read."""
    if options.source not in STATUS:
        raise ConfigError(f"format {fmt} feeds the ledger or gateway source, not {options.source}")
    statuses = {**STATUS[options.source], **options.status_map}
    body = require_message(path, parse_xml(path), message, fmt)
    body_path = f"/Document/{local(body.tag)}"
    records: list[ProviderRecord] = []
    controls: list[ControlTotal] = []
    accounted = 0
    for report_path, report in children(body, _REPORT[message], body_path):
        report_id = text(report, "Id") or report_path
        account = text(report, "Acct", "Id", "IBAN") or text(report, "Acct", "Id", "Othr", "Id")
        entries: list[Entry] = []
        for number, (entry_path, entry) in enumerate(children(report, "Ntry", report_path), 1):
            entries.append(_figures(entry))
            units, control = _units(entry_path, entry, f"{report_id}/{number}")
            controls.extend(control)
            accounted += 1 + (len(units) if len(units) > 1 else 0)
            for unit in units:
                fields = _fields(unit, account, options, statuses)
                records.append(
                    ProviderRecord(
                        origin=unit.origin, fields=with_constants(fields, options.constants)
                    )
                )
        controls.extend(
            statement_controls(
                report_path,
                report,
                entries,
                basis=options.balance_basis or "booking",
                source=options.source,
            )
        )
    return ProviderExtract(
        source=options.source,
        records=tuple(records),
        rejects=(),
        controls=tuple(controls),
        accounted=accounted,
    )


def _figures(entry: Element) -> Entry:
    return Entry(
        amount=amount(text(entry, "Amt")),
        credit={"CRDT": True, "DBIT": False}.get(text(entry, "CdtDbtInd")),
        booked=code(entry, "Sts") == "BOOK",
        value_day=day(child(entry, "ValDt")) or day(child(entry, "BookgDt")),
    )


def _transactions(entry_path: str, entry: Element) -> list[tuple[str, Element]]:
    found: list[tuple[str, Element]] = []
    for details_path, details in children(entry, "NtryDtls", entry_path):
        found.extend(children(details, "TxDtls", details_path))
    return found


def _tx_amount(tx: Element) -> Element | None:
    found = child(tx, "Amt")
    return found if found is not None else child(tx, "AmtDtls", "TxAmt", "Amt")


def _units(
    entry_path: str, entry: Element, entry_id: str
) -> tuple[list[_Unit], list[ControlTotal]]:
    """The entry as one unit, or its itemised transactions; with the batch's own control."""
    txs = _transactions(entry_path, entry)
    if len(txs) >= 2 and all(_tx_amount(tx) is not None for _, tx in txs):
        units = [
            _Unit(origin=tx_path, record_id=f"{entry_id}/{n}", entry=entry, tx=tx, itemised=True)
            for n, (tx_path, tx) in enumerate(txs, 1)
        ]
        figures = [(amount(_text_of(_tx_amount(tx))), text(tx, "CdtDbtInd")) for _, tx in txs]
        return units, batch_control(entry_path, entry, figures)
    only = txs[0][1] if len(txs) == 1 else None
    return [_Unit(origin=entry_path, record_id=entry_id, entry=entry, tx=only)], []


def _fields(
    unit: _Unit, account: str, options: FormatOptions, statuses: Mapping[str, str]
) -> dict[str, str]:
    entry, tx, source, offset = unit.entry, unit.tx, options.source, options.utc_offset
    amount_element = _tx_amount(tx) if unit.itemised and tx is not None else child(entry, "Amt")
    indicator = (text(tx, "CdtDbtInd") if unit.itemised else "") or text(entry, "CdtDbtInd")
    status_code = code(entry, "Sts")
    status = statuses.get(status_code, status_code)
    if text(entry, "RvslInd") == "true" and source == "gateway" and status == "SUCCESS":
        status = "REFUNDED"  # a reversal returns money after a payment
    booked_at = date_time(child(entry, "BookgDt"), offset) or date_time(
        child(entry, "ValDt"), offset
    )
    common = {
        "txn_ref": _txn_ref(entry, tx) or unit.record_id,
        "amount": _text_of(amount_element),
        "currency": amount_element.get("Ccy", "") if amount_element is not None else "",
        "status": status,
    }
    if source == "ledger":
        return {
            "entry_id": unit.record_id,
            **common,
            "account_id": account,
            "direction": _DIRECTION.get(indicator, indicator),
            "posted_at": booked_at,
            "request_id": "",
            "reversal_of": "",
        }
    return {
        "gateway_ref": unit.record_id,
        **common,
        "fee": str(_charges(tx if tx is not None else entry)),
        "gateway_at": booked_at,
    }


def _txn_ref(entry: Element, tx: Element | None) -> str:
    """The payment's own reference: end-to-end id, instruction id or transaction id of the
    transaction, else the entry's reference; never the bank's account-servicer reference,
    which our books do not know (and which banks repeat across entries)."""
    for name in _REFS:
        ref = text(tx, "Refs", name)
        if ref and ref.upper() != "NOTPROVIDED":
            return ref
    return text(entry, "NtryRef")


def _text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _charges(tx: Element) -> Decimal:
    """Charges the bank took on the transaction (`<Chrgs>`: v02 repeats `<Amt>`, later versions
    list `<Rcrd><Amt>`), as the gateway fee."""
    total = Decimal("0.00")
    charges = child(tx, "Chrgs")
    if charges is None:
        return total
    amounts = [c for c in charges if local(c.tag) == "Amt"]
    amounts += [a for r in charges if local(r.tag) == "Rcrd" for a in r if local(a.tag) == "Amt"]
    for element in amounts:
        value = amount((element.text or "").strip())
        total += value if value is not None else 0
    return total


FORMATS = (
    Format(
        name="camt053",
        read=read_camt053,
        suffixes=(".xml",),
        summary="ISO 20022 camt.053 bank-to-customer statement (entries; TxsSummry and balances"
        " checked)",
        defaults=FormatOptions(balance_basis="booking"),
    ),
    Format(
        name="camt054",
        read=read_camt054,
        suffixes=(".xml",),
        summary="ISO 20022 camt.054 debit/credit notification (entries; TxsSummry checked)",
    ),
)
