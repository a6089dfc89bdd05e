"""The money of one Adyen settlement line: gross, net and fees, and the rule that ties them.

Adyen states gross in the payment's currency (GC) and net and fees in the settlement currency
(NC). Fee columns may carry four or more decimals (interchange is priced per mille). The rule,
documented in docs/formats.md ("adyen-settlement-detail"): the fee columns are added exactly;
net = gross x exchange rate - fees for a credit (a payment), + fees for a debit (a refund),
rounded half-up to cents once, at the end. A line whose stated net breaks the rule is
quarantined naming both figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0")
FEE_COLUMNS = ("Commission (NC)", "Markup (NC)", "Scheme Fees (NC)", "Interchange (NC)")
MONEY_COLUMNS = (
    "Gross Debit (GC)",
    "Gross Credit (GC)",
    "Exchange Rate",
    "Net Debit (NC)",
    "Net Credit (NC)",
    *FEE_COLUMNS,
)


class NotAnAmount(ValueError):
    """A money column holds something that is not a decimal number."""


def cents(value: Decimal) -> Decimal:
    """Half-up to cents: the one rounding of the rule."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _number(row: Mapping[str, str], column: str) -> Decimal | None:
    raw = row.get(column, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise NotAnAmount(f"{column} is not an amount: {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise NotAnAmount(f"{column} is not an amount: {raw!r}")
    return value


@dataclass(frozen=True)
class LineMoney:
    """A line's figures, absent ones as zero."""

    gross_debit: Decimal
    gross_credit: Decimal
    rate: Decimal
    net_debit: Decimal
    net_credit: Decimal
    fees: Decimal  # exact sum of the fee columns

    @property
    def net(self) -> Decimal:
        """Credit minus debit in the settlement currency, as stated."""
        return self.net_credit - self.net_debit

    def rule_breach(self) -> str:
        """ "" when the stated net follows the rule, else why not (both figures)."""
        if self.gross_credit and not self.gross_debit:
            column, stated = "Net Credit (NC)", self.net_credit
            computed = cents(self.gross_credit * self.rate - self.fees)
            how = f"Gross Credit {self.gross_credit} x rate {self.rate} - fees {self.fees}"
        elif self.gross_debit and not self.gross_credit:
            column, stated = "Net Debit (NC)", self.net_debit
            computed = cents(self.gross_debit * self.rate + self.fees)
            how = f"Gross Debit {self.gross_debit} x rate {self.rate} + fees {self.fees}"
        else:
            return "a payment line needs exactly one of Gross Debit (GC) and Gross Credit (GC)"
        if stated == computed:
            return ""
        return f"{column} is {stated} but {how} is {computed} (rounded half-up to cents)"


def line_money(row: Mapping[str, str]) -> LineMoney:
    """The line's figures; NotAnAmount names the first column that is not a number."""
    values = {column: _number(row, column) for column in MONEY_COLUMNS}
    rate = values["Exchange Rate"]
    return LineMoney(
        gross_debit=values["Gross Debit (GC)"] or ZERO,
        gross_credit=values["Gross Credit (GC)"] or ZERO,
        rate=rate if rate is not None else Decimal(1),
        net_debit=values["Net Debit (NC)"] or ZERO,
        net_credit=values["Net Credit (NC)"] or ZERO,
        fees=sum((values[c] or ZERO for c in FEE_COLUMNS), ZERO),
    )
