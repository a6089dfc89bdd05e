"""Adyen Settlement details report: payment lines as gateway records, every line accounted
for, the net rule per line and each batch's payout checked (report in adyen_sample.py)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon.errors import ConfigError, UnreadableFileError
from recon.ingest.formats.adyen import read_adyen_settlement
from recon.ingest.formats.adyen_money import cents
from recon.ingest.formats.options import FormatOptions
from tests.ingest.formats.adyen_sample import HEADER, batch_42, line, write_report


def read(path: Path, **options: object):
    return read_adyen_settlement(path, FormatOptions(**options))  # type: ignore[arg-type]


def test_payment_lines_are_gateway_records(tmp_path: Path) -> None:
    extract = read(write_report(tmp_path / "gateway_batch_42.csv"))
    assert [dict(r.fields) for r in extract.records][:1] == [
        {
            "gateway_ref": "8825000000000001",
            "txn_ref": "T100",
            "amount": "100.00",
            "currency": "EUR",
            "fee": "0.34",
            "status": "SUCCESS",
            "gateway_at": "2024-03-15 10:00:00+01:00",
        }
    ]
    assert [r.origin for r in extract.records] == [f"line {n}" for n in range(2, 7)]


def test_a_refund_is_its_own_record_linked_to_its_payment(tmp_path: Path) -> None:
    records = read(write_report(tmp_path / "gateway.csv")).records
    t101 = [(r.fields["gateway_ref"], r.fields["status"], r.fields["amount"]) for r in records
            if r.fields["txn_ref"] == "T101"]  # fmt: skip
    assert t101 == [
        ("8825000000000002", "SUCCESS", "250.00"),
        ("8835000000000004", "REFUNDED", "50.00"),
    ]


def test_the_fee_is_what_the_line_withholds(tmp_path: Path) -> None:
    """Fee columns with four decimals (0.0405 + 0.0100 + 0.0810) net 40.50 to 40.3685, which
    rounds half-up to 40.37: the fee is 0.13, what the money shows."""
    fees = [r.fields["fee"] for r in read(write_report(tmp_path / "gateway.csv")).records]
    assert fees == ["0.34", "3.75", "0.13", "0.90", "0.10"]


def test_every_line_is_accounted_for(tmp_path: Path) -> None:
    extract = read(write_report(tmp_path / "gateway.csv"))
    # header, five payment lines, the fee booking and the payout
    assert (len(extract.records), len(extract.rejects), extract.accounted) == (5, 0, 8)


def test_the_payout_agrees_with_the_batch(tmp_path: Path) -> None:
    [control] = read(write_report(tmp_path / "gateway.csv")).controls
    assert control.name.startswith("batch 42, BankCoEUR, EUR: MerchantPayout")
    assert (control.expected, control.actual) == (Decimal("409.03"), Decimal("409.03"))


def test_a_payout_that_disagrees_names_both_figures(tmp_path: Path) -> None:
    rows = batch_42()
    rows[-1] = line("MerchantPayout", modification="TX1", net_debit="410.03")
    [control] = read(write_report(tmp_path / "gateway.csv", rows)).controls
    assert (control.expected, control.actual) == (Decimal("410.03"), Decimal("409.03"))


def test_a_lost_payment_line_shows_in_the_payout(tmp_path: Path) -> None:
    rows = batch_42()
    del rows[1]
    [control] = read(write_report(tmp_path / "gateway.csv", rows)).controls
    assert control.expected - control.actual == Decimal("246.25")


def test_an_open_batch_has_no_payout_to_check(tmp_path: Path) -> None:
    assert read(write_report(tmp_path / "gateway.csv", batch_42()[:-1])).controls == ()


def test_a_line_whose_net_breaks_the_rule_is_quarantined_naming_both(tmp_path: Path) -> None:
    rows = batch_42()
    rows[2][HEADER.index("Net Credit (NC)")] = "40.36"
    extract = read(write_report(tmp_path / "gateway.csv", rows))
    [reject] = extract.rejects
    assert reject.origin == "line 4"
    assert reject.reason == (
        "Net Credit (NC) is 40.36 but Gross Credit 40.50 x rate 1 - fees 0.1315 is 40.37"
        " (rounded half-up to cents)"
    )
    assert reject.text.startswith("BankCo,BankCoEUR,8815000000000003,T102,")


def test_a_money_column_that_is_not_a_number_is_quarantined(tmp_path: Path) -> None:
    rows = batch_42()
    rows[0][HEADER.index("Interchange (NC)")] = "0.2 EUR"
    [reject] = read(write_report(tmp_path / "gateway.csv", rows)).rejects
    assert (reject.origin, reject.reason) == (
        "line 2",
        "Interchange (NC) is not an amount: '0.2 EUR'",
    )


def test_a_line_of_the_wrong_width_is_quarantined(tmp_path: Path) -> None:
    rows = batch_42()
    rows[0] = rows[0][:-1]
    [reject] = read(write_report(tmp_path / "gateway.csv", rows)).rejects
    assert (reject.origin, reject.reason) == ("line 2", "29 fields where the header has 30")


def test_an_ambiguous_time_zone_is_quarantined(tmp_path: Path) -> None:
    rows = batch_42()
    rows[0][HEADER.index("TimeZone")] = "CST"
    [reject] = read(write_report(tmp_path / "gateway.csv", rows)).rejects
    assert reject.reason.startswith("TimeZone 'CST' is not one recon reads unambiguously")


def test_a_chargeback_reversal_is_a_booking_unless_the_status_map_names_it(tmp_path: Path) -> None:
    rows = [*batch_42()[:-1]]
    rows.append(
        line("ChargebackReversed", psp="8815000000000003", ref="T102",
             modification="8845000000000005", gross_credit="40.50", net_credit="40.50")
    )  # fmt: skip
    path = write_report(tmp_path / "gateway.csv", rows)
    assert len(read(path).records) == 5
    mapped = read(path, status_map={"ChargebackReversed": "SUCCESS"}).records
    assert mapped[-1].fields["gateway_ref"] == "8845000000000005"


# Adyen's standard columns in its documented order (docs.adyen.com, "Settlement detail report
# structure", positions 1-30), as one header line; the two transaction lines are the examples
# on Adyen's "Settlement details report" page with a batch number filled in.
DOCUMENTED_HEADER = (
    "Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,"
    "Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),"
    "Gross Credit (GC),Exchange Rate,Net Currency,Net Debit (NC),Net Credit (NC),"
    "Commission (NC),Markup (NC),Scheme Fees (NC),Interchange (NC),Payment Method Variant,"
    "Modification Merchant Reference,Batch Number,Reserved4,Reserved5,Reserved6,Reserved7,"
    "Reserved8,Reserved9,Reserved10"
)
DOCUMENTED_BATCH = [
    "TestCompany,TestMerchant,1813702551707653,3vpzf7,visa,2013-06-03 11:26:49,CET,Settled,"
    "1713702551795048,GBP,,5.00,1,GBP,,4.88,,0.04,0.01,0.07,visaclassic,,7,,,,,,,",
    "TestCompany,TestMerchant,1313642467023511,324959451,visa,2013-03-26 22:37:26,CET,"
    "Chargeback,2313642467170922,EUR,349.99,,1,EUR,357.49,,7.5,,,,visaclassic,,7,,,,,,,",
    "TestCompany,TestMerchant,1813702551707700,3vpzf9,mc,2013-06-04 09:00:00,CEST,Settled,"
    "1713702551795101,EUR,,400.00,1,EUR,,394.00,6.00,,,,mccredit,,7,,,,,,,",
    "TestCompany,TestMerchant,,,,2013-06-11 04:55:40,BST,Fee,Transaction Fees June 2013,,,,,"
    "EUR,0.12,,,,,,,,7,,,,,,,",
    "TestCompany,TestMerchant,,,,2013-06-10 05:37:03,CEST,DepositCorrection,DepositCorrection,"
    ",,,,EUR,,10.00,,,,,,,7,,,,,,,",
    "TestCompany,TestMerchant,,,,2013-06-11 05:00:00,CEST,MerchantPayout,"
    '"TX1234567890XT batch 7, TestMerchant",,,,,GBP,4.88,,,,,,,,7,,,,,,,',
    "TestCompany,TestMerchant,,,,2013-06-11 05:00:00,CEST,MerchantPayout,"
    '"TX1234567891XT batch 7, TestMerchant",,,,,EUR,46.39,,,,,,,,7,,,,,,,',
]


def test_the_sample_writes_adyens_documented_header() -> None:
    assert HEADER == DOCUMENTED_HEADER.split(",")


def test_a_report_with_adyens_documented_header_is_read_end_to_end(tmp_path: Path) -> None:
    """Header line in Adyen's documented standard order; transaction lines, a transaction fee,
    a correction and a payout per settlement currency: the payment lines are records, every
    line is accounted for, and both payouts are checked against their lines."""
    path = tmp_path / "settlement_detail_report_batch_7.csv"
    path.write_text("\n".join([DOCUMENTED_HEADER, *DOCUMENTED_BATCH]) + "\n", encoding="utf-8")
    extract = read(path)
    assert [dict(r.fields) for r in extract.records] == [
        {"gateway_ref": "1713702551795048", "txn_ref": "3vpzf7", "amount": "5.00",
         "currency": "GBP", "fee": "0.12", "status": "SUCCESS",
         "gateway_at": "2013-06-03 11:26:49+01:00"},
        {"gateway_ref": "2313642467170922", "txn_ref": "324959451", "amount": "349.99",
         "currency": "EUR", "fee": "7.50", "status": "REFUNDED",
         "gateway_at": "2013-03-26 22:37:26+01:00"},
        {"gateway_ref": "1713702551795101", "txn_ref": "3vpzf9", "amount": "400.00",
         "currency": "EUR", "fee": "6.00", "status": "SUCCESS",
         "gateway_at": "2013-06-04 09:00:00+02:00"},
    ]  # fmt: skip
    assert (extract.rejects, extract.accounted) == ((), 1 + len(DOCUMENTED_BATCH))
    # EUR: 394.00 - 357.49 - 0.12 (fee) + 10.00 (correction) = 46.39
    assert [(c.name.split(":")[0], c.expected, c.actual) for c in extract.controls] == [
        ("batch 7, TestMerchant, EUR", Decimal("46.39"), Decimal("46.39")),
        ("batch 7, TestMerchant, GBP", Decimal("4.88"), Decimal("4.88")),
    ]


# a header as an Adyen account with added columns downloads it (the migrated report's extra
# columns, as in a public integrator's fixture), here reordered: columns are found by name
MIGRATED_HEADER = [
    "Batch Number", "Company Account", "Merchant Account", "Psp Reference", "Merchant Reference",
    "Payment Method", "Creation Date", "TimeZone", "Type", "Modification Reference",
    "Gross Currency", "Gross Debit (GC)", "Gross Credit (GC)", "Exchange Rate", "Net Currency",
    "Net Debit (NC)", "Net Credit (NC)", "Commission (NC)", "Markup (NC)", "Scheme Fees (NC)",
    "Interchange (NC)", "Payment Method Variant", "Modification Merchant Reference",
    "Reserved4", "Reserved5", "Reserved6", "Reserved7", "Reserved8", "Reserved9", "Reserved10",
    "Booking Date", "Booking Date TimeZone", "Metadata", "Balance Currency", "Net Debit (BC)",
    "Net Credit (BC)", "Payment Fees (NC)", "DCC Markup (NC)", "Funds Destination",
    "Shopper Country", "Merchant Order Reference", "ARN", "Gross Fees (NC)",
]  # fmt: skip


def test_added_and_reordered_columns_are_found_by_name(tmp_path: Path) -> None:
    base = {"Batch Number": "9", "Company Account": "BankCo", "Merchant Account": "BankCoUSD",
            "TimeZone": "PDT", "Net Currency": "USD", "Booking Date TimeZone": "PDT"}  # fmt: skip
    lines = [
        {**base, "Psp Reference": "8815000000000011", "Merchant Reference": "T200",
         "Payment Method": "visa", "Creation Date": "2025-09-11 11:44:20", "Type": "Settled",
         "Modification Reference": "8825000000000011", "Gross Currency": "USD",
         "Gross Credit (GC)": "25.00", "Exchange Rate": "1", "Net Credit (NC)": "24.82",
         "Commission (NC)": "0.18", "Booking Date": "2025-09-22 07:59:59",
         "Metadata": '{"order": "T200", "channel": "web"}', "Payment Fees (NC)": "0.18"},
        {**base, "Creation Date": "2025-09-25 15:17:00", "Type": "MerchantPayout",
         "Modification Reference": "TX53913667600XT batch 9, BankCoUSD",
         "Net Debit (NC)": "24.82", "Booking Date": "2025-09-25 15:17:00"},
    ]  # fmt: skip
    path = tmp_path / "settlement_detail_report_batch_9.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(MIGRATED_HEADER)
        writer.writerows([[row.get(c, "") for c in MIGRATED_HEADER] for row in lines])
    extract = read(path)
    [record] = extract.records
    assert (record.fields["txn_ref"], record.fields["fee"], record.fields["gateway_at"]) == (
        "T200",
        "0.18",
        "2025-09-11 11:44:20-07:00",
    )
    [control] = extract.controls
    assert (control.expected, control.actual, extract.accounted) == (
        Decimal("24.82"),
        Decimal("24.82"),
        3,
    )


def test_a_batch_carried_to_the_next_by_balancetransfer_is_checked(tmp_path: Path) -> None:
    """A batch that pays nothing out: the balance brought in (a Balancetransfer credit) less
    the fees leaves by a Balancetransfer debit to the next batch."""
    rows = [
        line("Balancetransfer", modification="Balancetransfer", net_credit="454331.99",
             batch="238"),
        line("Fee", modification="Transaction Fees March     01 2022", net_debit="0.09",
             batch="238"),
        line("Balancetransfer", modification="Balancetransfer", net_debit="454331.90",
             batch="238"),
    ]  # fmt: skip
    extract = read(write_report(tmp_path / "gateway.csv", rows))
    [control] = extract.controls
    assert (extract.records, extract.accounted) == ((), 4)
    assert (control.expected, control.actual) == (Decimal("454331.90"), Decimal("454331.90"))


def test_the_same_batch_number_of_two_merchant_accounts_is_two_batches(tmp_path: Path) -> None:
    """A report generated for several merchant accounts: each account numbers its own
    batches, so BankCoGBP's open batch 42 does not enter BankCoEUR's payout."""
    rows = [
        *batch_42(),
        line("Settled", psp="8815000000000021", ref="T300", modification="8825000000000021",
             gross_credit="20.00", net_credit="19.70", commission="0.30",
             merchant="BankCoGBP"),
    ]  # fmt: skip
    extract = read(write_report(tmp_path / "gateway.csv", rows))
    [control] = extract.controls
    assert control.name.startswith("batch 42, BankCoEUR, EUR:")
    assert (control.expected, control.actual) == (Decimal("409.03"), Decimal("409.03"))
    rows.append(line("MerchantPayout", modification="TX9", net_debit="19.70",
                     merchant="BankCoGBP"))  # fmt: skip
    controls = read(write_report(tmp_path / "gateway.csv", rows)).controls
    assert [(c.name.split(":")[0], c.agrees) for c in controls] == [
        ("batch 42, BankCoEUR, EUR", True),
        ("batch 42, BankCoGBP, EUR", True),
    ]


def test_settledbulk_is_no_settlement_details_type_unless_the_status_map_names_it(
    tmp_path: Path,
) -> None:
    """SettledBulk/RefundedBulk were payments accounting report records (sunset by Adyen in
    2019), not journal types of this report: such a line is a booking by default."""
    rows = batch_42()
    rows[0][HEADER.index("Type")] = "SettledBulk"
    path = write_report(tmp_path / "gateway.csv", rows)
    assert "T100" not in [r.fields["txn_ref"] for r in read(path).records]
    mapped = read(path, status_map={"SettledBulk": "SUCCESS"}).records
    assert mapped[0].fields["txn_ref"] == "T100"


def test_a_file_without_adyens_columns_is_refused_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "gateway.csv"
    path.write_text("Psp Reference,Type\n1,Settled\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not an Adyen settlement details report: no"
                       " column 'Merchant Reference'"):  # fmt: skip
        read(path)


def test_the_report_feeds_only_the_gateway(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="feeds the gateway source, not ledger"):
        read(write_report(tmp_path / "gateway.csv"), source="ledger")


@settings(max_examples=60, deadline=None)
@given(
    gross=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    fees=st.lists(st.decimals(min_value=0, max_value=Decimal("9.9999"), places=4), min_size=4,
                  max_size=4),
)  # fmt: skip
def test_any_line_written_by_the_rule_is_read_back_with_amount_minus_fee_as_net(
    tmp_path_factory: pytest.TempPathFactory, gross: Decimal, fees: list[Decimal]
) -> None:
    """Fuzz: whatever the four-decimal fees, a line whose net follows the rule is a record,
    its fee is gross - net, and the batch's payout agrees."""
    net = cents(gross - sum(fees))
    if net <= 0:
        return
    rows = [
        line("Settled", psp="8815000000000009", ref="T9", modification="8825000000000009",
             gross_credit=str(gross), net_credit=str(net), commission=str(fees[0]),
             markup=str(fees[1]), scheme=str(fees[2]), interchange=str(fees[3])),
        line("MerchantPayout", modification="TX9", net_debit=str(net)),
    ]  # fmt: skip
    extract = read(write_report(tmp_path_factory.mktemp("adyen") / "gateway.csv", rows))
    [record] = extract.records
    assert Decimal(record.fields["amount"]) - Decimal(record.fields["fee"]) == net
    assert all(c.agrees for c in extract.controls)
