"""summary.json: the contract's fields, exact money, and the record of a failed run."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.model import SourceCounts, StoreOutcome
from recon.publish import write_failure, write_outputs
from recon.publish.summary import jsonable, summary_document

from .tables import COMPENSATION_DDL, QUARANTINE_DDL, create_empty_tables, insert, run_summary

GOLDEN = Path(__file__).parent / "golden" / "summary_tiny.json"


def test_summary_of_the_tiny_run_matches_the_reviewed_golden_file(tiny, store_outcome, tmp_path):
    write_outputs(tmp_path, tiny, run_summary(outcome=store_outcome))
    written = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_findings_are_counted_per_type_then_subtype(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert doc["findings"] == {
        "DUPLICATE_DEBIT": {"SAME_REQUEST": 1},
        "HALF_COMPLETED": {"DEBIT_WITHOUT_CREDIT": 1},
        "INVOICE": {"MISSING": 1},
    }
    assert doc["findings_total"] == 3


def test_rows_per_source_come_from_the_run_counts(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert doc["rows"]["ledger"] == {
        "read": 11,
        "valid": 9,
        "quarantined": 1,
        "exact_duplicates": 1,
    }


def test_compensation_total_is_an_exact_decimal_string(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert doc["compensation_total"] == "0.18"


def test_new_reopened_and_healed_list_exception_ids_from_the_store(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert (doc["new"], doc["reopened"], doc["healed"]) == (["EX-A", "EX-B"], ["EX-C"], ["EX-OLD"])


def test_outcome_is_findings_when_exceptions_stay_open(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert (doc["outcome"], doc["exit_code"], doc["open_total"]) == ("findings", 1, 3)


def test_outcome_is_clean_when_nothing_is_open(con):
    create_empty_tables(con)
    outcome = StoreOutcome(run_id="r", healed=("EX-1",), open_total=0)
    doc = summary_document(con, run_summary(outcome=outcome))
    assert (doc["outcome"], doc["exit_code"], doc["findings_total"]) == ("clean", 0, 0)
    assert doc["compensation_total"] == "0.00"


def test_open_total_is_counted_from_the_exceptions_table_without_a_store_outcome(tiny):
    assert summary_document(tiny, run_summary())["open_total"] == 3


def test_decimals_and_datetimes_become_strings_that_round_trip(tiny, store_outcome):
    doc = summary_document(tiny, run_summary(outcome=store_outcome))
    assert doc["parameters"]["annual_rate"] == "0.05"
    assert doc["cutoff"] == "2024-03-16T00:00:00+00:00"
    assert doc["inputs"][0]["amount_sum"] == "1334.59"
    assert json.loads(json.dumps(doc)) == doc


def test_jsonable_never_turns_money_into_float():
    assert jsonable({"x": Decimal("1E+2"), "y": [Decimal("0.10")]}) == {"x": "100", "y": ["0.10"]}


def test_failure_summary_carries_the_error_and_no_findings(tmp_path):
    summary = run_summary(error="ledger.csv: control total rows is 1200 in the sidecar but 1199")
    paths = write_failure(tmp_path, None, summary)
    doc = json.loads(paths["summary.json"].read_text(encoding="utf-8"))
    assert doc["outcome"] == "failed"
    assert doc["exit_code"] == 2
    assert doc["error"].startswith("ledger.csv: control total rows")
    assert (doc["findings"], doc["findings_total"], doc["open_total"]) == ({}, 0, None)
    assert doc["rows"]["ledger"]["read"] == 11


def test_failure_writes_quarantine_csv_when_the_table_exists(con, tmp_path):
    con.execute(QUARANTINE_DDL)
    insert(con, "quarantine", [("gateway", "gateway.csv", 3, "amount", "-1", "amount <= 0")])
    paths = write_failure(tmp_path, con, run_summary(error="gateway: 1 of 2 rows quarantined"))
    with paths["quarantine.csv"].open(newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [
            ["source", "file", "line", "column", "value", "reason"],
            ["gateway", "gateway.csv", "3", "amount", "-1", "amount <= 0"],
        ]
    doc = json.loads(paths["summary.json"].read_text(encoding="utf-8"))
    assert doc["quarantine"] == {"gateway": {"amount: amount <= 0": 1}}


def test_failure_without_a_quarantine_table_writes_no_quarantine_csv(con, tmp_path):
    paths = write_failure(tmp_path, con, run_summary(error="no ledger extract"))
    assert sorted(paths) == ["report.html", "summary.json"]
    assert not (tmp_path / "quarantine.csv").exists()


def test_failure_removes_outputs_an_earlier_run_left_in_out(tiny, store_outcome, tmp_path):
    write_outputs(tmp_path, tiny, run_summary(outcome=store_outcome))
    (tmp_path / "notes.txt").write_text("the analyst's own file", encoding="utf-8")
    write_failure(tmp_path, None, run_summary(error="ledger.csv: truncated"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "report.html",
        "summary.json",
    ]


def test_failure_report_names_the_error_escaped(tmp_path):
    write_failure(tmp_path, None, run_summary(error="bad value <img src=x> in ledger.csv line 9"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "could not reconcile" in html
    assert "bad value &lt;img src=x&gt; in ledger.csv line 9" in html
    assert "<img" not in html


def test_failure_does_not_raise_on_a_closed_connection(tmp_path):
    closed = connect()
    closed.close()
    paths = write_failure(tmp_path, closed, run_summary(error="crash"))
    assert sorted(paths) == ["report.html", "summary.json"]


def test_failure_does_not_raise_when_out_cannot_be_written(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where OUT should be", encoding="utf-8")
    assert write_failure(blocker / "out", None, run_summary(error="crash")) == {}


@pytest.mark.parametrize("counts", [{}, {"ledger": SourceCounts(read=5, quarantined=5)}])
def test_failure_summary_reports_whatever_was_counted_before_the_stop(tmp_path, counts):
    summary = run_summary(error="stop", counts=counts)
    doc = json.loads(write_failure(tmp_path, None, summary)["summary.json"].read_text())
    assert doc["rows"] == {
        k: {
            "read": v.read,
            "valid": v.valid,
            "quarantined": v.quarantined,
            "exact_duplicates": v.exact_duplicates,
        }
        for k, v in counts.items()
    }


def test_write_outputs_writes_every_contract_file(tiny, store_outcome, tmp_path):
    paths = write_outputs(tmp_path / "out", tiny, run_summary(outcome=store_outcome))
    assert sorted(paths) == [
        "compensation.csv",
        "corrections.csv",
        "exceptions.csv",
        "exceptions.parquet",
        "quarantine.csv",
        "report.html",
        "summary.json",
    ]
    assert all(p.is_file() and p.parent == tmp_path / "out" for p in paths.values())


cents = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999999.99"), places=2)


@settings(max_examples=40, deadline=None)
@given(st.lists(cents, max_size=8))
def test_compensation_total_equals_the_sum_of_compensation_csv_to_the_cent(amounts):
    con = duckdb.connect()
    try:
        con.execute(COMPENSATION_DDL)
        insert(con, "compensation", [(f"C{i}", "CNY", a, f"EX-{i}") for i, a in enumerate(amounts)])
        doc = summary_document(con, run_summary(outcome=StoreOutcome(run_id="r")))
    finally:
        con.close()
    assert doc["compensation_total"] == f"{sum(amounts, Decimal('0')):.2f}"
