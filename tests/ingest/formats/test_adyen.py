"""Adyen Settlement details report: payment lines as gateway records, every line accounted
for, the net rule per line and each batch's payout checked (report in adyen_sample.py)."""

from __future__ import annotations

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
    assert control.name.startswith("batch 42 EUR: MerchantPayout")
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
