"""The totals a camt statement or notification states about itself, beside its entries.

`<TxsSummry>`: the number and sum of all entries, of credit and of debit entries, and the net.
`<Bal>`: the opening booked balance (OPBD, else PRCD) plus booked credits minus booked debits
is the closing booked balance (CLBD), as ISO 20022 defines it (booking date, not value date).
A source with `balance_basis = "value"` (banks such as PostFinance state CLBD by value date)
counts only the booked entries valued on or before the CLBD's own date: an entry valued later
is outside that balance (it is in the forward balance, FWAV). An entry without a value date
counts by its booking date. On the booking basis, a CLBD that disagrees but would agree by
value date says so (the ControlTotal's hint).
A batch entry whose transactions are itemised: their amounts add up to the entry, and their
number is the batch's `<NbOfTxs>`. Each is a ControlTotal; ingest stops a run on any that
disagrees, naming both figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element

from recon.ingest.formats.extract import ControlTotal
from recon.ingest.formats.iso20022 import amount, child, children, code, day, text
from recon.ingest.formats.options import BalanceBasis

ZERO = Decimal("0")


@dataclass(frozen=True)
class Entry:
    """What the totals need of one `<Ntry>`."""

    amount: Decimal | None  # None when the file's text is not an amount
    credit: bool | None  # None when CdtDbtInd is neither CRDT nor DBIT
    booked: bool  # Sts BOOK
    value_day: str = ""  # the value date (YYYY-MM-DD), else the booking date, else ""


def statement_controls(
    report_path: str,
    report: Element,
    entries: Sequence[Entry],
    *,
    basis: BalanceBasis = "booking",
    source: str = "gateway",
) -> list[ControlTotal]:
    """TxsSummry and balance checks of one `<Stmt>`/`<Ntfctn>` (those the file states); the
    closing balance on `basis`, `source` named in a hint to change it."""
    return _summary(report_path, report, entries) + _balance(
        report_path, report, entries, basis, source
    )


def _sum(entries: Sequence[Entry]) -> Decimal:
    return sum((e.amount for e in entries if e.amount is not None), ZERO)


def _summary(path: str, report: Element, entries: Sequence[Entry]) -> list[ControlTotal]:
    summary = child(report, "TxsSummry")
    if summary is None:
        return []
    where = f"{path}/TxsSummry"
    credits = [e for e in entries if e.credit is True]
    debits = [e for e in entries if e.credit is False]
    found: list[ControlTotal] = []
    for group, members in (
        ("TtlNtries", entries),
        ("TtlCdtNtries", credits),
        ("TtlDbtNtries", debits),
    ):
        found += _stated(where, summary, group, "NbOfNtries", Decimal(len(members)))
        found += _stated(where, summary, group, "Sum", _sum(members))
    net = child(summary, "TtlNtries", "TtlNetNtry")
    stated = amount(text(net, "Amt"))
    if net is not None and stated is not None:
        sign = -1 if text(net, "CdtDbtInd") == "DBIT" else 1
        found.append(
            ControlTotal(
                name=f"{where}/TtlNtries/TtlNetNtry (credits - debits)",
                expected=sign * stated,
                actual=_sum(credits) - _sum(debits),
            )
        )
    return found


def _stated(
    where: str, summary: Element, group: str, figure: str, actual: Decimal
) -> list[ControlTotal]:
    raw = text(summary, group, figure)
    if not raw:
        return []
    expected = amount(raw)
    # a figure that is not a number disagrees with anything: say so with -1
    return [
        ControlTotal(
            name=f"{where}/{group}/{figure}",
            expected=expected if expected is not None else Decimal(-1),
            actual=actual,
        )
    ]


def _balances(path: str, report: Element) -> dict[str, tuple[Decimal, str]]:
    """Each balance type's first amount (signed) and its date (`Dt/Dt` or `Dt/DtTm`'s day)."""
    found: dict[str, tuple[Decimal, str]] = {}
    for _, balance in children(report, "Bal", path):
        kind = code(balance, "Tp", "CdOrPrtry")
        value = amount(text(balance, "Amt"))
        if kind and value is not None and kind not in found:
            signed = -value if text(balance, "CdtDbtInd") == "DBIT" else value
            found[kind] = (signed, day(child(balance, "Dt")))
    return found


def _net(entries: Sequence[Entry]) -> Decimal:
    """Booked credits minus booked debits."""
    booked = [e for e in entries if e.booked]
    return _sum([e for e in booked if e.credit is True]) - _sum(
        [e for e in booked if e.credit is False]
    )


def _valued_by(entries: Sequence[Entry], closing_day: str) -> list[Entry]:
    """The entries inside a balance struck by value date on `closing_day`: all but those
    valued after it (without a closing date, none is known to be after it)."""
    return [e for e in entries if not (closing_day and e.value_day and e.value_day > closing_day)]


def _balance(
    path: str, report: Element, entries: Sequence[Entry], basis: BalanceBasis, source: str
) -> list[ControlTotal]:
    balances = _balances(path, report)
    opening_code = "OPBD" if "OPBD" in balances else "PRCD"
    if opening_code not in balances or "CLBD" not in balances:
        return []
    opening = balances[opening_code][0]
    closing, closing_day = balances["CLBD"]
    by_value = opening + _net(_valued_by(entries, closing_day))
    if basis == "value":
        on = closing_day or "its date (none stated: every entry)"
        return [
            ControlTotal(
                name=f"{path}/Bal CLBD (= {opening_code} + booked credits - booked debits"
                f" valued on or before {on})",
                expected=closing,
                actual=by_value,
            )
        ]
    by_booking = opening + _net(entries)
    hint = ""
    if by_booking != closing and by_value == closing:
        hint = f'by value date it agrees: set balance_basis = "value" in [sources.{source}]'
    return [
        ControlTotal(
            name=f"{path}/Bal CLBD (= {opening_code} + booked credits - booked debits)",
            expected=closing,
            actual=by_booking,
            hint=hint,
        )
    ]


def batch_control(
    entry_path: str, entry: Element, transactions: Sequence[tuple[Decimal | None, str]]
) -> list[ControlTotal]:
    """An itemised batch: its transactions' amounts (signed against the entry's direction)
    add up to the entry's amount, and their number is `<Btch><NbOfTxs>` when stated."""
    direction = text(entry, "CdtDbtInd")
    total = sum(
        (
            (value if indicator in ("", direction) else -value)
            for value, indicator in transactions
            if value is not None
        ),
        ZERO,
    )
    stated = amount(text(entry, "Amt"))
    found = [
        ControlTotal(
            name=f"{entry_path}: Amt (= sum of its TxDtls amounts)",
            expected=stated if stated is not None else Decimal(-1),
            actual=total,
        )
    ]
    for details_path, details in children(entry, "NtryDtls", entry_path):
        itemised = Decimal(sum(1 for _ in children(details, "TxDtls", details_path)))
        for batch_path, batch in children(details, "Btch", details_path):
            count = amount(text(batch, "NbOfTxs"))
            if count is not None:
                found.append(
                    ControlTotal(name=f"{batch_path}/NbOfTxs", expected=count, actual=itemised)
                )
    return found
