"""Every real camt.053/054 and pain.002 sample in ../shared/external is read in full: each
entry and transaction element is a record or a reject, and the file's own totals agree
with it (a sample whose totals genuinely disagree is a finding written down here)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest

from recon.config import config_from_mapping
from recon.errors import UnreadableFileError
from recon.ingest.formats.camt import read_camt053, read_camt054
from recon.ingest.formats.ingest import ProviderTotalMismatch, check_accounting, check_totals
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.pain002 import read_pain002

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "external" / "iso20022-moov"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/external is not here")


def _names(pattern: str) -> list[str]:
    return sorted(p.name for p in SAMPLES.glob(pattern)) if SAMPLES.is_dir() else []


POSTFINANCE_053 = "camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml"
CAMT053 = [POSTFINANCE_053, *_names("FI_camt_053*"), "statement_1.xml"]
CAMT054 = _names("*camt.054*") + _names("*camt054*") + _names("FI_camt_054*")
PAIN002 = _names("pain002*")


def element_paths(path: Path, wanted: str) -> list[str]:
    """Every `wanted` element's path, found by walking the tree here, not by the reader."""

    def walk(element: ElementTree.Element, where: str) -> list[str]:
        found, counts = [], {}
        for child in element:
            name = child.tag.rsplit("}", 1)[-1]
            counts[name] = counts.get(name, 0) + 1
            child_path = f"{where}/{name}[{counts[name]}]"
            found += [child_path] if name == wanted else []
            found += walk(child, child_path)
        return found

    return walk(ElementTree.parse(path).getroot(), "/Document")


def _trim(path: str) -> str:
    """Paths of the reader and of `element_paths` spell the top elements alike."""
    parts = path.split("/")
    return "/".join(p.split("[")[0] if i <= 2 else p for i, p in enumerate(parts))


@pytest.mark.parametrize("name", CAMT053 + CAMT054)
def test_every_camt_entry_is_a_record_itself_or_through_its_transactions(name: str) -> None:
    path = SAMPLES / name
    read = read_camt053 if name in CAMT053 else read_camt054
    extract = read(path, FormatOptions())
    origins = [_trim(r.origin) for r in extract.records] + [
        _trim(r.origin) for r in extract.rejects
    ]
    entries = [_trim(p) for p in element_paths(path, "Ntry")]
    assert entries, "a sample with no entries proves nothing"
    for entry in entries:
        assert entry in origins or any(o.startswith(entry + "/") for o in origins), entry
    itemised = [o for o in origins if o not in entries]
    assert extract.accounted == len(entries) + len(itemised)
    assert len(origins) == len(set(origins))


@pytest.mark.parametrize("name", CAMT053 + CAMT054)
def test_every_camt_sample_reads_for_the_ledger_too(name: str) -> None:
    read = read_camt053 if name in CAMT053 else read_camt054
    gateway = read(SAMPLES / name, FormatOptions())
    ledger = read(SAMPLES / name, FormatOptions(source="ledger"))
    assert [r.origin for r in ledger.records] == [r.origin for r in gateway.records]
    assert {r.fields["direction"] for r in ledger.records} <= {"C", "D"}


@pytest.mark.parametrize("name", [n for n in CAMT053 + CAMT054 if n != POSTFINANCE_053])
def test_the_camt_samples_own_totals_agree(name: str) -> None:
    read = read_camt053 if name in CAMT053 else read_camt054
    extract = read(SAMPLES / name, FormatOptions())
    assert [c for c in extract.controls if not c.agrees] == []


def test_the_checked_totals_of_the_samples_that_state_them() -> None:
    """Which figures the samples give us to check (the rest state none: PostFinance's camt.054
    have neither TxsSummry nor balances; statement_1.xml states only available balances,
    OPAV and CLAV, which are not defined as opening plus entries, and are not checked)."""
    counted = {
        name: len(
            (read_camt053 if name in CAMT053 else read_camt054)(
                SAMPLES / name, FormatOptions()
            ).controls
        )
        for name in CAMT053 + CAMT054
    }
    assert counted["FI_camt_053_sample.xml.xml"] == 9  # TxsSummry 5, CLBD 1, batches 3
    assert counted["FI_camt_054_sample.xml.xml"] == 13  # TxsSummry 2, batches 11
    assert counted["statement_1.xml"] == 0
    assert counted[POSTFINANCE_053] == 1  # CLBD


def camt053_options(**spec: object) -> FormatOptions:
    """The options a `[sources.gateway] format = "camt053"` table with `spec` gives."""
    config = config_from_mapping({"sources": {"gateway": {"format": "camt053", **spec}}})
    return config.source("gateway").format_options


def test_finding_postfinance_camt053_closing_balance_is_value_dated() -> None:
    """FINDING: PostFinance's sample statement says CLBD 215112.21, but OPBD 211993.19 plus
    its booked credits (4733.72) minus debits (77.70) is 216649.21 (its FWAV). The 1537.00
    difference is the one entry booked 2020-11-24 with value date 2020-11-25: this bank
    computes CLBD by value date, not by booking date as ISO 20022 defines it. On the default
    booking basis the check is not silenced: the file stops a run, and the stop says that by
    value date it agrees."""
    path = SAMPLES / POSTFINANCE_053
    extract = read_camt053(path, camt053_options())
    [balance] = extract.controls
    assert "CLBD" in balance.name
    assert (balance.expected, balance.actual) == (Decimal("215112.21"), Decimal("216649.21"))
    later_value = [r for r in extract.records if r.fields["amount"] == "1537.00"]
    assert balance.actual - balance.expected == Decimal("1537.00")
    assert len(later_value) == 1
    with pytest.raises(ProviderTotalMismatch) as caught:
        check_totals(path, extract.controls)
    assert "is 215112.21 but its rows add up to 216649.21" in str(caught.value)
    assert str(caught.value).endswith(
        '(by value date it agrees: set balance_basis = "value" in [sources.gateway])'
    )


def test_postfinance_camt053_on_the_value_basis_is_read_in_full_and_its_balance_agrees() -> None:
    path = SAMPLES / POSTFINANCE_053
    extract = read_camt053(path, camt053_options(balance_basis="value"))
    [balance] = extract.controls
    assert balance.name.endswith("valued on or before 2020-11-24)")
    assert (balance.expected, balance.actual) == (Decimal("215112.21"), Decimal("215112.21"))
    check_totals(path, extract.controls)  # no stop
    check_accounting(path, extract)
    entries = [_trim(p) for p in element_paths(path, "Ntry")]
    assert sorted(_trim(r.origin) for r in extract.records) == sorted(entries)
    assert extract.accounted == len(entries) == 5
    assert "1537.00" in [r.fields["amount"] for r in extract.records]  # kept as its row


def test_a_tampered_summary_in_a_real_statement_disagrees(tmp_path: Path) -> None:
    text = (SAMPLES / "FI_camt_053_sample.xml.xml").read_text(encoding="utf-8")
    assert text.count("<Sum>23075.00</Sum>") == 1
    tampered = tmp_path / "gateway_fi.xml"
    tampered.write_text(text.replace("<Sum>23075.00</Sum>", "<Sum>23076.00</Sum>"), "utf-8")
    wrong = [c for c in read_camt053(tampered, FormatOptions()).controls if not c.agrees]
    assert [(c.name.split("Stmt[1]/")[1], c.expected, c.actual) for c in wrong] == [
        ("TxsSummry/TtlCdtNtries/Sum", Decimal("23076.00"), Decimal("23075.00"))
    ]


@pytest.mark.parametrize("name", PAIN002)
def test_every_pain002_transaction_status_is_a_record_or_a_reject(name: str) -> None:
    path = SAMPLES / name
    extract = read_pain002(path, FormatOptions())
    origins = sorted(_trim(r.origin) for r in (*extract.records, *extract.rejects))
    assert origins == sorted(_trim(p) for p in element_paths(path, "TxInfAndSts"))
    blocks = element_paths(path, "OrgnlPmtInfAndSts") + element_paths(path, "OrgnlGrpInfAndSts")
    assert extract.accounted == len(origins) + len(blocks)
    assert [c for c in extract.controls if not c.agrees] == []


def test_the_real_status_reports_carry_no_original_amounts() -> None:
    """FINDING: PostFinance's pain.002 samples give no OrgnlTxRef/Amt, so their two itemised
    rejects (AC01, account invalid) cannot stand as gateway records: both are quarantined
    with that reason; the other three report group or block statuses only."""
    rejects = [r for name in PAIN002 for r in read_pain002(SAMPLES / name, FormatOptions()).rejects]
    assert len(rejects) == 2
    assert all("no original amount" in r.reason for r in rejects)


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("FI_camt_052_sample.xml.xml", "camt.052 message (an intraday account report"),
        ("musterfile_pain.001_Nov2020.xml", "pain.001 message (a payment instruction"),
        ("pain008-musterfile.xml", "pain.008 message (a direct-debit instruction"),
        ("valid_camt_v09.xml", "camt.055 message (a cancellation request"),
    ],
)
def test_messages_that_are_not_payment_results_are_refused(name: str, what: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        read_camt053(SAMPLES / name, FormatOptions())
    assert f"{name}: is a {what}" in str(caught.value)
