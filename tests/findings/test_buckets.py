"""A partitioned run finds exactly what a whole-day run finds, whatever the number of buckets.

The per-transfer checks run bucket by bucket (hash of txn_ref); the checks that look across
transfers (a duplicate's original under another txn_ref, a request whose debit names another
transfer, a reversal) run on the whole day. Any difference would be a silent wrong answer, so
every table a run leaves for the store is compared row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon.config import load_config
from recon.db import connect
from recon.findings import find_breaks
from recon.findings.bucket_run import run_bucket
from recon.findings.buckets import BucketPlan, buckets_for
from recon.ingest import load_extracts
from recon.resources import limit_bytes

from .test_invariants import build, transfer
from .working import PARAMS, Extracts

ROOT = Path(__file__).resolve().parents[2]


def outcome(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every table a run leaves behind for the store, in a fixed order."""
    return {
        "findings": con.sql("SELECT * FROM findings ORDER BY exception_id").fetchall(),
        "evaluated": con.sql("SELECT * FROM evaluated_txn_refs ORDER BY txn_ref").fetchall(),
        "unchecked": con.sql("SELECT * FROM unchecked_types ORDER BY type").fetchall(),
    }


def fill_sample(con: duckdb.DuckDBPyConnection):
    config = load_config(ROOT / "sample_data" / "recon.toml")
    ingested = load_extracts(con, ROOT / "sample_data" / "data", config)
    from recon.pipeline import detection_params

    return detection_params(config, ingested)


@pytest.mark.parametrize("buckets", [2, 7])
def test_the_sample_day_in_buckets_gives_the_whole_day_answer(tmp_path, buckets):
    whole, cut = connect(), connect(temp_directory=tmp_path)
    params = fill_sample(whole)
    fill_sample(cut)
    find_breaks(whole, params)
    find_breaks(cut, params, plan=BucketPlan(buckets=buckets))
    expected = outcome(whole)
    assert len(expected["findings"]) > 50  # the sample day has every kind of finding
    assert outcome(cut) == expected


def cross_transfer_day(con: duckdb.DuckDBPyConnection) -> None:
    """Breaks whose rows sit under different txn_refs (so, mostly, in different buckets)."""
    x = Extracts(con)
    # a retry under a new txn_ref: the duplicate's original is another transfer's debit
    x.request("R1", "100.00", "09:00", status="TIMEOUT", txn_ref="T1", credit_account="B9")
    x.ledger("E1", "T1", "A1", "D", "100.00", "09:00", request_id="R1")
    x.ledger("E1C", "T1", "B9", "C", "100.00", "09:00", request_id="R1")
    x.request("R2", "100.00", "09:03", txn_ref="T2", credit_account="B9")
    x.ledger("E2", "T2", "A1", "D", "100.00", "09:03", request_id="R2")
    x.ledger("E2C", "T2", "B9", "C", "100.00", "09:03", request_id="R2")
    # told SUCCESS under T3, but its debit was booked under T4, which has no credit
    x.request("R3", "50.00", "10:00", txn_ref="T3")
    x.ledger("E4", "T4", "A2", "D", "50.00", "10:00", request_id="R3")
    # a request without txn_ref whose leg names T5; a reversal posted under T6
    x.request("R5", "70.00", "11:00", status="FAILED")
    x.ledger("E5", "T5", "A3", "D", "70.00", "11:00", request_id="R5")
    x.ledger("E6", "T6", "A3", "C", "70.00", "11:05", reversal_of="E5")
    # a double charge and two invoices for one payment
    x.ledger("E7", "T7", "A4", "D", "20.00", "12:00")
    x.payment("G7a", "T7", "20.00", "12:01")
    x.payment("G7b", "T7", "20.00", "12:02")
    x.invoice("I7a", "T7", "20.00", "12:03")
    x.invoice("I7b", "T7", "20.00", "12:04")


@pytest.mark.parametrize("buckets", [2, 3, 5, 11])
def test_breaks_across_transfers_survive_the_cut(tmp_path, buckets):
    whole, cut = connect(), connect(temp_directory=tmp_path)
    cross_transfer_day(whole)
    cross_transfer_day(cut)
    find_breaks(whole, PARAMS)
    find_breaks(cut, PARAMS, plan=BucketPlan(buckets=buckets))
    expected = outcome(whole)
    subtypes = {row[3] for row in expected["findings"]}
    assert {"SUSPECTED_RETRY", "GATEWAY_DOUBLE_CHARGE", "DUPLICATE"} <= subtypes
    assert outcome(cut) == expected


def numbered_day(con: duckdb.DuckDBPyConnection) -> None:
    """Extra rows at one instant, the middle one settled: the key's #n counts the extract's rows
    (the invoices' in the buckets, the charges' and debits' after them)."""
    x = Extracts(con)
    x.ledger("E1", "T1", "A1", "D", "20.00", "12:00", request_id="R1")
    x.ledger("E2", "T1", "A1", "D", "20.00", "12:00", request_id="R1")
    x.ledger("E3", "T1", "A1", "D", "20.00", "12:00", request_id="R1")
    x.ledger("E4", "T1", "A1", "C", "20.00", "12:05", reversal_of="E2")
    x.ledger("E5", "T1", "CLR-1", "C", "20.00", "12:00", request_id="R1")
    for ref, status in (("G1", "SUCCESS"), ("G2", "REFUNDED"), ("G3", "SUCCESS")):
        x.payment(ref, "T1", "20.00", "12:01", status=status)
    for invoice_id, status in (("I1", "ISSUED"), ("I2", "VOID"), ("I3", "ISSUED")):
        x.invoice(invoice_id, "T1", "20.00", "12:02", status=status)


@pytest.mark.parametrize("buckets", [2, 3])
def test_rows_numbered_at_one_instant_keep_their_numbers_in_buckets(tmp_path, buckets):
    whole, cut = connect(), connect(temp_directory=tmp_path)
    numbered_day(whole)
    numbered_day(cut)
    find_breaks(whole, PARAMS)
    find_breaks(cut, PARAMS, plan=BucketPlan(buckets=buckets))
    expected = outcome(whole)
    keys = sorted(row[1].rsplit("|", 1)[-1] for row in expected["findings"] if "#" in row[1])
    assert keys == [
        "gateway@2024-03-15T12:01:00.000000Z#2",
        "invoices@2024-03-15T12:02:00.000000Z#2",
        "ledger@2024-03-15T12:00:00.000000Z#2",
    ]
    assert outcome(cut) == expected


@settings(max_examples=30, deadline=None)
@given(
    transfers=st.lists(transfer, min_size=1, max_size=6),
    buckets=st.integers(min_value=2, max_value=6),
)
def test_any_day_in_any_number_of_buckets_gives_the_same_answer(transfers, buckets):
    whole, cut = connect(), connect()
    build(whole, transfers)
    build(cut, transfers)
    find_breaks(whole, PARAMS)
    find_breaks(cut, PARAMS, plan=BucketPlan(buckets=buckets))
    assert outcome(cut) == outcome(whole)


def test_a_failed_bucket_leaves_no_exchange_folder_and_no_findings(tmp_path):
    cut = connect()
    cross_transfer_day(cut)
    seen: list[str] = []

    def failing(jobs):
        seen.append(jobs[0].exchange)
        run_bucket(jobs[0])
        raise RuntimeError("worker lost")

    plan = BucketPlan(buckets=3, executor=failing, exchange_root=str(tmp_path))
    with pytest.raises(RuntimeError, match="worker lost"):
        find_breaks(cut, PARAMS, plan=plan)
    assert seen
    assert not Path(seen[0]).exists()
    assert not cut.sql("SELECT * FROM duckdb_tables() WHERE table_name = 'findings'").fetchall()
    assert not cut.sql("SELECT * FROM duckdb_views() WHERE view_name LIKE '_fb_%'").fetchall()


def test_a_bucket_run_twice_writes_the_same_files(tmp_path):
    outputs: list[list[dict[str, str]]] = []

    def twice(jobs):
        first = [run_bucket(job) for job in jobs]
        contents = [{t: Path(p).read_bytes() for t, p in out.items()} for out in first]
        again = [run_bucket(job) for job in jobs]
        assert again == first
        assert [{t: Path(p).read_bytes() for t, p in out.items()} for out in again] == contents
        outputs.append(again)
        return again

    cut = connect()
    cross_transfer_day(cut)
    plan = BucketPlan(buckets=2, executor=twice, exchange_root=str(tmp_path))
    find_breaks(cut, PARAMS, plan=plan)
    assert outputs


def test_one_bucket_while_the_day_fits_the_memory_limit():
    assert buckets_for(3_800_000, "2000MB") == 1
    assert buckets_for(37_800_000, "2000MB") == 5
    assert buckets_for(378_000_000, "2000MB") == 48


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2000MB", 2_000_000_000),
        ("1.5GB", 1_500_000_000),
        ("1GiB", 1024**3),
        (" 512 mb ", 512_000_000),
    ],
)
def test_memory_limits_read_as_duckdb_reads_them(text, expected):
    assert limit_bytes(text) == expected


def test_a_memory_limit_that_is_no_size_is_refused():
    with pytest.raises(ValueError, match="not a size"):
        limit_bytes("lots")


def test_an_exchange_behind_an_fsspec_url_gives_the_same_answer():
    """`cluster_storage = "s3://..."` works through fsspec; memory:// stands in for it here."""
    import fsspec

    whole, cut = connect(), connect()
    cross_transfer_day(whole)
    cross_transfer_day(cut)
    find_breaks(whole, PARAMS)
    find_breaks(cut, PARAMS, plan=BucketPlan(buckets=3, exchange_root="memory://exchange"))
    assert outcome(cut) == outcome(whole)
    assert fsspec.filesystem("memory").ls("/exchange") == []  # removed once done
