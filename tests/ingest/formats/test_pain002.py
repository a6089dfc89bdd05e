"""pain.002 reader: transaction statuses as gateway records, and the report's own counts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from recon.errors import ConfigError
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.pain002 import read_pain002

PER_STATUS = """<NbOfTxsPerSts><DtldNbOfTxs>{acsc}</DtldNbOfTxs><DtldSts>ACSC</DtldSts>
  <DtldCtrlSum>{acsc_sum}</DtldCtrlSum></NbOfTxsPerSts>
  <NbOfTxsPerSts><DtldNbOfTxs>1</DtldNbOfTxs><DtldSts>RJCT</DtldSts>
  <DtldCtrlSum>5.00</DtldCtrlSum></NbOfTxsPerSts>"""


def tx(end_to_end: str, status: str = "", amount: str = "10.00") -> str:
    sts = f"<TxSts>{status}</TxSts>" if status else ""
    amt = f'<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">{amount}</InstdAmt></Amt></OrgnlTxRef>'
    return (
        f"<TxInfAndSts><OrgnlInstrId>I-{end_to_end}</OrgnlInstrId>"
        f"<OrgnlEndToEndId>{end_to_end}</OrgnlEndToEndId>{sts}{amt if amount else ''}"
        "</TxInfAndSts>"
    )


def report(*txs: str, group: str = "", block_status: str = "PART") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>ST1</MsgId><CreDtTm>2024-03-15T18:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>OUR-FILE-7</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
{group}</OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId><PmtInfSts>{block_status}</PmtInfSts>
{"".join(txs)}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"""


def read(tmp_path: Path, xml: str, **options: object):
    path = tmp_path / "gateway_status.xml"
    path.write_text(xml, encoding="utf-8")
    return read_pain002(path, FormatOptions(**options))  # type: ignore[arg-type]


def test_a_transaction_status_is_a_gateway_record(tmp_path: Path) -> None:
    extract = read(tmp_path, report(tx("T1", "ACSC")))
    assert [dict(r.fields) for r in extract.records] == [
        {
            "gateway_ref": "ST1/I-T1",
            "txn_ref": "T1",
            "amount": "10.00",
            "currency": "EUR",
            "fee": "0.00",
            "status": "SUCCESS",
            "gateway_at": "2024-03-15T18:00:00",
        }
    ]
    assert extract.records[0].origin == (
        "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]"
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [("ACSC", "SUCCESS"), ("ACCC", "SUCCESS"), ("ACSP", "PENDING"), ("ACCP", "PENDING"),
     ("PDNG", "PENDING"), ("RJCT", "FAILED"), ("CANC", "FAILED")],
)  # fmt: skip
def test_status_codes_map_to_contract_statuses(tmp_path: Path, code: str, status: str) -> None:
    assert read(tmp_path, report(tx("T1", code))).records[0].fields["status"] == status


def test_a_transaction_without_status_takes_its_blocks(tmp_path: Path) -> None:
    extract = read(tmp_path, report(tx("T1"), block_status="RJCT"))
    assert extract.records[0].fields["status"] == "FAILED"


def test_status_map_overrides_the_default(tmp_path: Path) -> None:
    extract = read(tmp_path, report(tx("T1", "ACCP")), status_map={"ACCP": "SUCCESS"})
    assert extract.records[0].fields["status"] == "SUCCESS"


def test_a_status_without_the_original_amount_is_quarantined(tmp_path: Path) -> None:
    extract = read(tmp_path, report(tx("T1", "RJCT", amount="")))
    assert extract.records == ()
    [reject] = extract.rejects
    assert reject.origin.endswith("/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]")
    assert reject.reason.startswith("no original amount (OrgnlTxRef/Amt/InstdAmt)")


def test_group_and_block_elements_are_counted_as_read(tmp_path: Path) -> None:
    assert read(tmp_path, report(tx("T1", "ACSC"), tx("T2", "RJCT"))).accounted == 4


def test_counts_per_status_that_agree(tmp_path: Path) -> None:
    group = "<OrgnlNbOfTxs>3</OrgnlNbOfTxs><OrgnlCtrlSum>25.00</OrgnlCtrlSum>" + (
        PER_STATUS.format(acsc=2, acsc_sum="20.00")
    )
    xml = report(tx("T1", "ACSC"), tx("T2", "ACSC"), tx("T3", "RJCT", "5.00"), group=group)
    controls = read(tmp_path, xml).controls
    assert len(controls) == 6
    assert all(c.agrees for c in controls)


def test_a_status_count_that_disagrees_names_both_figures(tmp_path: Path) -> None:
    group = "<OrgnlNbOfTxs>4</OrgnlNbOfTxs>" + PER_STATUS.format(acsc=3, acsc_sum="20.00")
    xml = report(tx("T1", "ACSC"), tx("T2", "ACSC"), tx("T3", "RJCT", "5.00"), group=group)
    wrong = [c for c in read(tmp_path, xml).controls if not c.agrees]
    assert [(c.name.rsplit("/", 1)[1], c.expected, c.actual) for c in wrong] == [
        ("DtldNbOfTxs (ACSC)", Decimal(3), Decimal(2))
    ]


def test_a_status_the_report_does_not_itemise_is_not_counted(tmp_path: Path) -> None:
    """A report that lists only its rejects says how many were accepted without listing them."""
    group = "<OrgnlNbOfTxs>99</OrgnlNbOfTxs>" + PER_STATUS.format(acsc=98, acsc_sum="980.00")
    controls = read(tmp_path, report(tx("T3", "RJCT", "5.00"), group=group)).controls
    assert all(c.agrees for c in controls)
    assert [c.name.split("OrgnlGrpInfAndSts/", 1)[1] for c in controls] == [
        "OrgnlNbOfTxs (= sum of NbOfTxsPerSts/DtldNbOfTxs)",
        "NbOfTxsPerSts[2]/DtldNbOfTxs (RJCT)",
        "NbOfTxsPerSts[2]/DtldCtrlSum (RJCT)",
    ]


def test_a_status_report_feeds_only_the_gateway(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="feeds the gateway source, not ledger"):
        read(tmp_path, report(tx("T1", "ACSC")), source="ledger")
