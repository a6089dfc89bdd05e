"""camt.053/camt.054 reader: each behaviour on a small statement you can check by eye."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon.errors import ConfigError, UnreadableFileError
from recon.ingest.formats.camt import read_camt053, read_camt054
from recon.ingest.formats.ingest import ProviderTotalMismatch, check_totals
from recon.ingest.formats.options import FormatOptions

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"
OPENING = """<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
  <Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-15</Dt></Dt></Bal>"""
CLOSING = """<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
  <Amt Ccy="EUR">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-03-15</Dt></Dt></Bal>"""
SUMMARY = """<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>{sum}</Sum></TtlNtries>
  <TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>50.00</Sum></TtlCdtNtries>
  <TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>20.00</Sum></TtlDbtNtries></TxsSummry>"""


def entry(
    amount: str = "50.00",
    indicator: str = "CRDT",
    status: str = "BOOK",
    *,
    refs: str = "<EndToEndId>T1</EndToEndId>",
    booked: str = "<Dt>2024-03-15</Dt>",
    valued: str = "<Dt>2024-03-15</Dt>",
    extra: str = "",
) -> str:
    value_date = f"<ValDt>{valued}</ValDt>" if valued else ""
    return f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>{extra}
  <Sts>{status}</Sts><BookgDt>{booked}</BookgDt>{value_date}
  <NtryDtls><TxDtls><Refs>{refs}</Refs></TxDtls></NtryDtls></Ntry>"""


def statement(*entries: str, head: str = "", namespace: str = NS) -> str:
    body = "".join(entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{namespace}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>CH93</IBAN></Id></Acct>{head}{body}</Stmt>
</BkToCstmrStmt></Document>"""


def two_entries(*, closing: str = "130.00", total: str = "70.00") -> str:
    return statement(
        entry("50.00", "CRDT", refs="<EndToEndId>T1</EndToEndId>"),
        entry("20.00", "DBIT", refs="<EndToEndId>T2</EndToEndId>"),
        head=OPENING + CLOSING.format(closing=closing) + SUMMARY.format(sum=total),
    )


def read(tmp_path: Path, xml: str, source: str = "gateway", **options: object):
    path = tmp_path / "gateway_stmt.xml"
    path.write_text(xml, encoding="utf-8")
    return read_camt053(path, FormatOptions(source=source, **options))  # type: ignore[arg-type]


def test_each_entry_is_a_gateway_record_in_canonical_columns(tmp_path: Path) -> None:
    extract = read(tmp_path, two_entries())
    assert [dict(r.fields) for r in extract.records] == [
        {
            "gateway_ref": "S1/1",
            "txn_ref": "T1",
            "amount": "50.00",
            "currency": "EUR",
            "status": "SUCCESS",
            "fee": "0.00",
            "gateway_at": "2024-03-15T00:00:00",
        },
        {
            "gateway_ref": "S1/2",
            "txn_ref": "T2",
            "amount": "20.00",
            "currency": "EUR",
            "status": "SUCCESS",
            "fee": "0.00",
            "gateway_at": "2024-03-15T00:00:00",
        },
    ]


def test_a_record_keeps_its_entry_element_path(tmp_path: Path) -> None:
    extract = read(tmp_path, two_entries())
    assert [r.origin for r in extract.records] == [
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]",
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]",
    ]
    assert extract.accounted == 2
    assert extract.rejects == ()


def test_for_the_ledger_an_entry_is_one_posting_on_the_statement_account(tmp_path: Path) -> None:
    extract = read(tmp_path, two_entries(), source="ledger")
    assert dict(extract.records[1].fields) == {
        "entry_id": "S1/2",
        "txn_ref": "T2",
        "account_id": "CH93",
        "direction": "D",
        "amount": "20.00",
        "currency": "EUR",
        "status": "POSTED",
        "posted_at": "2024-03-15T00:00:00",
        "request_id": "",
        "reversal_of": "",
    }
    assert extract.source == "ledger"


def test_summary_and_balance_totals_that_agree(tmp_path: Path) -> None:
    controls = read(tmp_path, two_entries()).controls
    assert [c.name.rsplit("Stmt[1]/", 1)[1] for c in controls] == [
        "TxsSummry/TtlNtries/NbOfNtries",
        "TxsSummry/TtlNtries/Sum",
        "TxsSummry/TtlCdtNtries/NbOfNtries",
        "TxsSummry/TtlCdtNtries/Sum",
        "TxsSummry/TtlDbtNtries/NbOfNtries",
        "TxsSummry/TtlDbtNtries/Sum",
        "Bal CLBD (= OPBD + booked credits - booked debits)",
    ]
    assert all(c.agrees for c in controls)


def test_a_summary_sum_that_disagrees_names_both_figures(tmp_path: Path) -> None:
    controls = read(tmp_path, two_entries(total="75.00")).controls
    wrong = [c for c in controls if not c.agrees]
    assert [(c.name.rsplit("/", 2)[-2:], c.expected, c.actual) for c in wrong] == [
        (["TtlNtries", "Sum"], Decimal("75.00"), Decimal("70.00"))
    ]


def test_a_closing_balance_that_disagrees(tmp_path: Path) -> None:
    controls = read(tmp_path, two_entries(closing="131.00")).controls
    wrong = [c for c in controls if not c.agrees]
    assert [(c.expected, c.actual) for c in wrong] == [(Decimal("131.00"), Decimal("130.00"))]


def test_a_pending_entry_is_outside_the_booked_balance(tmp_path: Path) -> None:
    xml = statement(
        entry("50.00", "CRDT"),
        entry("9.00", "CRDT", "PDNG", refs="<EndToEndId>T9</EndToEndId>"),
        head=OPENING + CLOSING.format(closing="150.00"),
    )
    extract = read(tmp_path, xml)
    assert [r.fields["status"] for r in extract.records] == ["SUCCESS", "PENDING"]
    assert all(c.agrees for c in extract.controls)


def valued_after_closing(*, closing: str = "130.00", late: str = "<Dt>2024-03-18</Dt>") -> str:
    """OPBD 100.00 and CLBD `closing`, both dated 2024-03-15; three entries booked that day:
    50.00 CRDT and 20.00 DBIT valued that day, 30.00 CRDT valued `late` (a Friday booking
    valued on Monday). By booking date CLBD is 160.00, by value date 130.00."""
    return statement(
        entry("50.00", "CRDT", refs="<EndToEndId>T1</EndToEndId>"),
        entry("20.00", "DBIT", refs="<EndToEndId>T2</EndToEndId>"),
        entry("30.00", "CRDT", refs="<EndToEndId>T3</EndToEndId>", valued=late),
        head=OPENING + CLOSING.format(closing=closing),
    )


def stop_message(tmp_path: Path, xml: str, **options: object) -> str:
    """The one line a run stops with on this statement's first disagreeing total."""
    with pytest.raises(ProviderTotalMismatch) as caught:
        check_totals(tmp_path / "gateway_stmt.xml", read(tmp_path, xml, **options).controls)
    return str(caught.value)


def test_by_default_the_closing_balance_counts_every_booked_entry(tmp_path: Path) -> None:
    [balance] = read(tmp_path, valued_after_closing(closing="160.00")).controls
    assert balance.name.endswith("Bal CLBD (= OPBD + booked credits - booked debits)")
    assert (balance.expected, balance.actual, balance.hint) == (
        Decimal("160.00"),
        Decimal("160.00"),
        "",
    )


def test_value_basis_leaves_out_an_entry_valued_after_the_closing_date(tmp_path: Path) -> None:
    extract = read(tmp_path, valued_after_closing(), balance_basis="value")
    [balance] = extract.controls
    assert balance.name.endswith("booked debits valued on or before 2024-03-15)")
    assert (balance.expected, balance.actual) == (Decimal("130.00"), Decimal("130.00"))
    assert [r.fields["txn_ref"] for r in extract.records] == ["T1", "T2", "T3"]
    assert extract.accounted == 3


def test_value_basis_compares_the_day_of_a_value_date_time(tmp_path: Path) -> None:
    same_day = valued_after_closing(closing="160.00", late="<DtTm>2024-03-15T23:59:00</DtTm>")
    assert all(c.agrees for c in read(tmp_path, same_day, balance_basis="value").controls)
    next_day = valued_after_closing(late="<DtTm>2024-03-16T00:01:00+01:00</DtTm>")
    assert all(c.agrees for c in read(tmp_path, next_day, balance_basis="value").controls)


def test_value_basis_counts_an_entry_without_value_date_by_its_booking_date(
    tmp_path: Path,
) -> None:
    xml = statement(
        entry("50.00", "CRDT", valued=""),
        entry("30.00", "CRDT", booked="<Dt>2024-03-18</Dt>", valued=""),
        head=OPENING + CLOSING.format(closing="150.00"),
    )
    assert all(c.agrees for c in read(tmp_path, xml, balance_basis="value").controls)


def test_value_basis_still_stops_totals_wrong_by_value_date_too(tmp_path: Path) -> None:
    message = stop_message(tmp_path, valued_after_closing(closing="131.00"), balance_basis="value")
    assert "valued on or before 2024-03-15) is 131.00 but its rows add up to 130.00" in message
    assert "(truncated or corrupt file)" in message


def test_a_booking_basis_stop_says_when_the_value_basis_would_agree(tmp_path: Path) -> None:
    message = stop_message(tmp_path, valued_after_closing(closing="130.00"))
    assert "is 130.00 but its rows add up to 160.00" in message
    assert message.endswith(
        '(by value date it agrees: set balance_basis = "value" in [sources.gateway])'
    )


def test_no_value_basis_hint_when_it_would_disagree_too(tmp_path: Path) -> None:
    message = stop_message(tmp_path, valued_after_closing(closing="131.00"))
    assert "is 131.00 but its rows add up to 160.00" in message
    assert "balance_basis" not in message
    assert message.endswith("(truncated or corrupt file)")


def test_an_unmapped_status_is_handed_on_for_the_schema_to_quarantine(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(entry(status="INFO")))
    assert extract.records[0].fields["status"] == "INFO"


def test_status_map_overrides_the_default(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(entry(status="INFO")), status_map={"INFO": "PENDING"})
    assert extract.records[0].fields["status"] == "PENDING"


def test_a_later_version_wraps_the_status_in_a_code(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(entry(status="<Cd>PDNG</Cd>")))
    assert extract.records[0].fields["status"] == "PENDING"


def test_a_reversal_entry_is_a_refund_on_the_gateway_side(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(entry(extra="<RvslInd>true</RvslInd>")))
    assert extract.records[0].fields["status"] == "REFUNDED"


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ("<InstrId>I1</InstrId><EndToEndId>E1</EndToEndId>", "E1"),
        ("<InstrId>I1</InstrId><EndToEndId>NOTPROVIDED</EndToEndId>", "I1"),
        ("<TxId>X1</TxId>", "X1"),
        ("<AcctSvcrRef>BANK1</AcctSvcrRef>", "S1/1"),
    ],
)
def test_txn_ref_is_the_payments_own_reference(tmp_path: Path, refs: str, expected: str) -> None:
    extract = read(tmp_path, statement(entry(refs=refs)))
    assert extract.records[0].fields["txn_ref"] == expected


def test_the_entry_reference_serves_when_the_transaction_has_none(tmp_path: Path) -> None:
    xml = statement(entry(refs="", extra="<NtryRef>R7</NtryRef>").replace("<Amt ", "<Amt ", 1))
    assert read(tmp_path, xml).records[0].fields["txn_ref"] == "R7"


def test_a_booking_time_is_kept_a_booking_date_starts_its_day(tmp_path: Path) -> None:
    xml = statement(entry(booked="<DtTm>2024-03-15T10:20:30+01:00</DtTm>"), entry())
    stamps = [r.fields["gateway_at"] for r in read(tmp_path, xml).records]
    assert stamps == ["2024-03-15T10:20:30+01:00", "2024-03-15T00:00:00"]


def test_bank_charges_on_the_transaction_are_the_fee(tmp_path: Path) -> None:
    charged = entry().replace(
        "</Refs>", "</Refs><Chrgs><Rcrd><Amt Ccy='EUR'>1.25</Amt></Rcrd></Chrgs>"
    )
    assert read(tmp_path, statement(charged)).records[0].fields["fee"] == "1.25"


BATCH = """<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
  <BookgDt><Dt>2024-03-15</Dt></BookgDt><NtryDtls><Btch><NbOfTxs>{count}</NbOfTxs></Btch>
  <TxDtls><Refs><EndToEndId>B1</EndToEndId></Refs><Amt Ccy="EUR">10.00</Amt></TxDtls>
  <TxDtls><Refs><EndToEndId>B2</EndToEndId></Refs><Amt Ccy="EUR">{second}</Amt></TxDtls>
  </NtryDtls></Ntry>"""


def test_an_itemised_batch_gives_one_record_per_transaction(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(BATCH.format(count=2, second="20.00")))
    assert [(r.origin.rsplit("/", 2)[-2:], r.fields["gateway_ref"]) for r in extract.records] == [
        (["NtryDtls[1]", "TxDtls[1]"], "S1/1/1"),
        (["NtryDtls[1]", "TxDtls[2]"], "S1/1/2"),
    ]
    assert [r.fields["amount"] for r in extract.records] == ["10.00", "20.00"]
    assert extract.accounted == 3  # the entry and its two transactions
    assert all(c.agrees for c in extract.controls)


def test_an_itemised_batch_that_does_not_add_up(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(BATCH.format(count=3, second="21.00")))
    wrong = {c.name.rsplit("Ntry[1]", 1)[1]: (c.expected, c.actual) for c in extract.controls}
    assert wrong == {
        ": Amt (= sum of its TxDtls amounts)": (Decimal("30.00"), Decimal("31.00")),
        "/NtryDtls[1]/Btch[1]/NbOfTxs": (Decimal(3), Decimal(2)),
    }


def test_a_camt054_notification_is_read_the_same_way(tmp_path: Path) -> None:
    xml = (
        statement(entry())
        .replace("camt.053", "camt.054")
        .replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")
        .replace("Stmt>", "Ntfctn>")
    )
    path = tmp_path / "gateway_ntf.xml"
    path.write_text(xml, encoding="utf-8")
    extract = read_camt054(path, FormatOptions())
    assert [r.origin for r in extract.records] == [
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]"
    ]


def test_a_notification_is_refused_as_a_statement_naming_both(tmp_path: Path) -> None:
    xml = statement(entry()).replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")
    with pytest.raises(UnreadableFileError, match=r"gateway_stmt\.xml: is a camt\.054 message"):
        read(tmp_path, xml)


def test_an_intraday_report_is_refused_with_the_messages_recon_reads(tmp_path: Path) -> None:
    xml = statement(entry()).replace("BkToCstmrStmt", "BkToCstmrAcctRpt")
    with pytest.raises(UnreadableFileError) as caught:
        read(tmp_path, xml)
    message = str(caught.value)
    assert "is a camt.052 message (an intraday account report" in message
    assert "recon reads: camt.053, camt.054, pain.002" in message
    assert "\n" not in message


def test_a_statement_feeds_only_the_ledger_or_the_gateway(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="feeds the ledger or gateway source, not channel"):
        read(tmp_path, two_entries(), source="channel")


def test_utc_offset_is_written_after_a_booking_date(tmp_path: Path) -> None:
    extract = read(tmp_path, statement(entry()), utc_offset="+01:00")
    assert extract.records[0].fields["gateway_at"] == "2024-03-15T00:00:00+01:00"


def test_constants_fill_what_the_file_leaves_empty(tmp_path: Path) -> None:
    xml = statement(entry()).replace(' Ccy="EUR"', "")
    extract = read(tmp_path, xml, constants={"currency": "CHF", "amount": "1.00"})
    assert (extract.records[0].fields["currency"], extract.records[0].fields["amount"]) == (
        "CHF",
        "50.00",
    )


ENTRIES = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
        st.sampled_from(["CRDT", "DBIT"]),
        st.sampled_from(["BOOK", "PDNG"]),
    ),
    min_size=1,
    max_size=8,
)


def summarised(entries: list[tuple[Decimal, str, str]], tamper: int | None = None) -> str:
    """A statement whose TxsSummry and CLBD are computed from `entries`; with `tamper`, that
    entry's amount is written one cent higher than the totals say."""
    credits = sum((a for a, d, _ in entries if d == "CRDT"), Decimal(0))
    debits = sum((a for a, d, _ in entries if d == "DBIT"), Decimal(0))
    booked = sum((a if d == "CRDT" else -a for a, d, s in entries if s == "BOOK"), Decimal(0))
    closing = Decimal("100.00") + booked
    head = (
        OPENING
        + CLOSING.format(closing=abs(closing)).replace("CRDT", "DBIT" if closing < 0 else "CRDT")
        + f"<TxsSummry><TtlNtries><NbOfNtries>{len(entries)}</NbOfNtries>"
        f"<Sum>{credits + debits}</Sum></TtlNtries>"
        f"<TtlCdtNtries><Sum>{credits}</Sum></TtlCdtNtries>"
        f"<TtlDbtNtries><Sum>{debits}</Sum></TtlDbtNtries></TxsSummry>"
    )
    written = [
        entry(str(a + Decimal("0.01") if n == tamper else a), d, s, refs=f"<TxId>X{n}</TxId>")
        for n, (a, d, s) in enumerate(entries)
    ]
    return statement(*written, head=head)


@settings(max_examples=40, deadline=None)
@given(entries=ENTRIES, data=st.data())
def test_fuzz_every_entry_is_read_and_a_cent_off_anywhere_is_caught(
    tmp_path_factory: pytest.TempPathFactory, entries: list, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("camt")
    extract = read(folder, summarised(entries))
    assert len(extract.records) == extract.accounted == len(entries)
    assert all(c.agrees for c in extract.controls)
    tampered = read(folder, summarised(entries, data.draw(st.integers(0, len(entries) - 1))))
    assert not all(c.agrees for c in tampered.controls)
