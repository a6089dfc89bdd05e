"""A small Adyen Settlement details report written from Adyen's documented columns
(docs/formats.md, "adyen-settlement-detail"): one payout batch, checkable by hand. HEADER is
the report's 30 standard columns in Adyen's documented order.

Batch 42, EUR: four payments settled, one partly refunded, the batch's transaction fees,
and the payout. Nets: 99.66 + 246.25 + 40.37 + 74.10 - 50.10 - 1.25 = 409.03 paid out.
"""

from __future__ import annotations

from pathlib import Path

HEADER = [
    "Company Account", "Merchant Account", "Psp Reference", "Merchant Reference",
    "Payment Method", "Creation Date", "TimeZone", "Type", "Modification Reference",
    "Gross Currency", "Gross Debit (GC)", "Gross Credit (GC)", "Exchange Rate", "Net Currency",
    "Net Debit (NC)", "Net Credit (NC)", "Commission (NC)", "Markup (NC)", "Scheme Fees (NC)",
    "Interchange (NC)", "Payment Method Variant", "Modification Merchant Reference",
    "Batch Number", "Reserved4", "Reserved5", "Reserved6", "Reserved7", "Reserved8",
    "Reserved9", "Reserved10",
]  # fmt: skip


def line(
    kind: str,
    *,
    psp: str = "",
    ref: str = "",
    modification: str = "",
    created: str = "2024-03-15 10:00:00",
    gross_debit: str = "",
    gross_credit: str = "",
    net_debit: str = "",
    net_credit: str = "",
    commission: str = "",
    markup: str = "",
    scheme: str = "",
    interchange: str = "",
    batch: str = "42",
    zone: str = "CET",
    merchant: str = "BankCoEUR",
) -> list[str]:
    payment = bool(psp)
    return [
        "BankCo", merchant, psp, ref, "visa" if payment else "", created, zone, kind,
        modification, "EUR" if payment else "", gross_debit, gross_credit,
        "1" if payment else "", "EUR", net_debit, net_credit, commission, markup, scheme,
        interchange, "visadebit" if payment else "", "", batch, "", "", "", "", "", "", "",
    ]  # fmt: skip


def batch_42() -> list[list[str]]:
    """The report's data lines, in Adyen's order: payments, fees, payout."""
    return [
        line("Settled", psp="8815000000000001", ref="T100", modification="8825000000000001",
             gross_credit="100.00", net_credit="99.66", markup="0.1200", scheme="0.0213",
             interchange="0.2000"),  # fees 0.3413 -> net 99.6587 -> 99.66
        line("Settled", psp="8815000000000002", ref="T101", modification="8825000000000002",
             created="2024-03-15 10:05:00", gross_credit="250.00", net_credit="246.25",
             commission="3.7500"),
        line("Settled", psp="8815000000000003", ref="T102", modification="8825000000000003",
             created="2024-03-15 10:10:00", gross_credit="40.50", net_credit="40.37",
             markup="0.0405", scheme="0.0100", interchange="0.0810"),  # 40.3685 -> 40.37
        line("Settled", psp="8815000000000005", ref="T103", modification="8825000000000005",
             created="2024-03-15 10:15:00", gross_credit="75.00", net_credit="74.10",
             commission="0.9000"),
        line("Refunded", psp="8815000000000002", ref="T101", modification="8835000000000004",
             created="2024-03-15 11:00:00", gross_debit="50.00", net_debit="50.10",
             commission="0.1000"),
        line("Fee", modification="Transaction Fees March", created="2024-03-15 23:00:00",
             net_debit="1.25"),
        line("MerchantPayout", modification="TX3456789012XT", created="2024-03-15 23:30:00",
             net_debit="409.03"),
    ]  # fmt: skip


def write_report(path: Path, rows: list[list[str]] | None = None) -> Path:
    """The report as Adyen writes it: a header line, then one line per booking."""
    lines = [HEADER, *(batch_42() if rows is None else rows)]
    path.write_text("".join(",".join(cells) + "\n" for cells in lines), encoding="utf-8")
    return path
