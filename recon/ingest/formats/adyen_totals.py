"""Each Adyen batch's payout against the lines it pays out.

A batch closes when Adyen pays its balance out (MerchantPayout) or carries it to the next
batch (a Balancetransfer that debits the batch). What leaves must be what the batch's other
lines (payments, refunds, fees, corrections, a balance brought in) net to, per settlement
currency. A batch without a closing line is still open: nothing to check. Batch numbers are
counted per merchant account, and one report may cover several merchant accounts, so a batch
is its Merchant Account and Batch Number together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from recon.ingest.formats.adyen_money import LineMoney
from recon.ingest.formats.extract import ControlTotal

ZERO = Decimal("0")
_CLOSING = {"merchantpayout", "balancetransfer"}


@dataclass(frozen=True)
class Booking:
    """One line of the report as the batch total sees it."""

    merchant: str  # Merchant Account ("" when the report leaves the column out)
    batch: str
    currency: str  # Net Currency
    kind: str  # Type
    money: LineMoney
    line: int


def _closes(booking: Booking) -> bool:
    return booking.kind.lower() in _CLOSING and booking.money.net < 0


def payout_controls(bookings: Iterable[Booking]) -> list[ControlTotal]:
    """One ControlTotal per merchant account, batch and currency that has a closing line:
    expected is what the closing lines pay out, actual what the other lines net to."""
    paid_out: dict[tuple[str, str, str], Decimal] = {}
    netted: dict[tuple[str, str, str], Decimal] = {}
    for booking in bookings:
        key = (booking.merchant, booking.batch, booking.currency)
        if _closes(booking):
            paid_out[key] = paid_out.get(key, ZERO) - booking.money.net
        else:
            netted[key] = netted.get(key, ZERO) + booking.money.net
    return [
        ControlTotal(
            name=f"{_batch_name(merchant, batch)}, {currency}: MerchantPayout/Balancetransfer"
            " (= net of the batch's other lines)",
            expected=paid_out[(merchant, batch, currency)],
            actual=netted.get((merchant, batch, currency), ZERO),
        )
        for merchant, batch, currency in sorted(paid_out)
    ]


def _batch_name(merchant: str, batch: str) -> str:
    """As Adyen names it in the payout's reference ("batch 1129, <merchant account>")."""
    return f"batch {batch}, {merchant}" if merchant else f"batch {batch}"
