"""Control-total sidecars catch truncated or corrupt extracts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from recon.errors import ControlTotalMismatch, UnreadableFileError

from .helpers import LEDGER, extracts, ledger_row, load


def sidecar(data, rows, amount_sum, name="ledger.csv"):
    (data / f"{name}.control.json").write_text(json.dumps({"rows": rows, "amount_sum": amount_sum}))


def test_a_matching_sidecar_lets_the_file_through(con, tmp_path):
    data = extracts(
        tmp_path, ledger=[ledger_row("E1", amount="10.00"), ledger_row("E2", amount="5.50")]
    )
    sidecar(data, 2, "15.50")

    result = load(con, data)

    (ledger_file,) = [f for f in result.files if f.source == "ledger"]
    assert (ledger_file.rows, ledger_file.amount_sum) == (2, Decimal("15.50"))


def test_rows_count_bad_and_duplicate_rows_and_the_sum_every_amount_that_parses(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", amount="10.00"),
            ledger_row("E1", amount="10.00"),  # exact duplicate
            ledger_row("E2", amount="-4.00"),  # quarantined, but its amount parses
            ledger_row("E3", amount="abc"),  # quarantined, no amount
        ],
    )
    sidecar(data, 4, "16.00")

    result = load(con, data)

    assert result.counts["ledger"].read == 4


def test_a_file_cut_mid_row_stops_the_run_naming_the_file_and_both_sums(con, tmp_path):
    data = extracts(tmp_path)
    cut = "E2,T1,A1,D,25"  # the writer stopped inside the amount "25.75"
    (data / "ledger.csv").write_text("\n".join([LEDGER, ledger_row("E1", amount="10.00"), cut]))
    sidecar(data, 2, "35.75")

    with pytest.raises(ControlTotalMismatch) as caught:
        load(con, data)

    assert str(caught.value).endswith(
        "ledger.csv: control total amount_sum is 35.75 in the sidecar but 35.00 in the file"
        " (truncated or corrupt extract)"
    )


def test_a_file_missing_its_last_rows_stops_the_run_naming_both_row_counts(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), ledger_row("E2")])
    sidecar(data, 3, "30.00")

    with pytest.raises(ControlTotalMismatch, match=r"ledger\.csv: control total rows is 3 .* 2"):
        load(con, data)


def test_the_sidecar_sum_may_use_the_thousands_separator(con, tmp_path):
    data = extracts(
        tmp_path, ledger=[ledger_row("E1", amount="1,000.00"), ledger_row("E2", amount="234.50")]
    )
    sidecar(data, 2, "1,234.50")

    result = load(con, data, {"thousands_separator": ","})

    assert result.counts["ledger"].valid == 2


def test_an_unreadable_sidecar_is_reported_as_such(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    (data / "ledger.csv.control.json").write_text("{not json")

    with pytest.raises(UnreadableFileError, match=r"ledger\.csv\.control\.json"):
        load(con, data)


def test_a_transcoded_file_is_counted_against_its_sidecar(con, tmp_path):
    data = extracts(tmp_path)
    rows = [ledger_row("E1", amount="10.00", account_id="账户一"), ledger_row("E2", amount="2.00")]
    (data / "ledger.csv").write_bytes(("\n".join([LEDGER, *rows]) + "\n").encode("gb18030"))
    sidecar(data, 2, "12.00")

    result = load(con, data, {"sources": {"ledger": {"encoding": "gb18030"}}})

    assert result.counts["ledger"].valid == 2


@pytest.mark.parametrize("name", ["LEDGER.CSV.CONTROL.JSON", "ledger.csv.CONTROL.json"])
def test_a_sidecar_is_found_whatever_the_case_of_its_suffix(con, tmp_path, name):
    """Extracts are matched regardless of case; their sidecars were not, and were ignored."""
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="10.00")])
    (data / name).write_text(json.dumps({"rows": 99, "amount_sum": "10.00"}))

    with pytest.raises(ControlTotalMismatch, match="rows"):
        load(con, data)


def test_an_amount_sum_written_as_a_json_number_is_read_exactly(con, tmp_path):
    """Through a float, 88980876322235.18 would be ...235.19 and refuse a correct file."""
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="88980876322235.18")])
    (data / "ledger.csv.control.json").write_text('{"rows": 1, "amount_sum": 88980876322235.18}')

    load(con, data)  # no mismatch
