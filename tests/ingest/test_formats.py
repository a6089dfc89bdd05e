"""Parquet and JSON-lines extracts give the same rows as CSV, with their own line numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from recon.errors import UnreadableFileError

from .helpers import column, extracts, load, quarantine


def write_jsonl(path, records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")


def ledger_record(entry_id, amount="10.00", **changes):
    record = {
        "entry_id": entry_id,
        "txn_ref": "T1",
        "account_id": "A1",
        "direction": "D",
        "amount": amount,
        "currency": "CNY",
        "status": "POSTED",
        "posted_at": "2024-03-15T10:00:00Z",
        "request_id": "R1",
        "reversal_of": None,
    }
    return {**record, **changes}


def test_jsonl_amounts_may_be_strings_or_numbers(con, tmp_path):
    data = extracts(tmp_path)
    write_jsonl(
        data / "ledger.jsonl",
        [ledger_record("E1", amount="12.50"), ledger_record("E2", amount=7.1)],
    )

    load(con, data)

    assert column(con, "ledger", "amount") == [Decimal("12.50"), Decimal("7.10")]


def test_jsonl_lines_are_the_file_lines_and_a_broken_line_is_malformed(con, tmp_path):
    data = extracts(tmp_path)
    write_jsonl(
        data / "ledger.jsonl",
        [ledger_record("E1"), "", '{"entry_id": "E3", "amount": ', ledger_record("E4")],
    )

    result = load(con, data)

    assert column(con, "ledger", "_line") == [1, 4]
    assert quarantine(con) == [
        (
            "ledger.jsonl",
            3,
            None,
            '{"entry_id": "E3", "amount": ',
            "malformed row: not a JSON object",
        )
    ]
    assert result.counts["ledger"].read == 3


def test_a_jsonl_key_missing_from_a_record_reads_as_null(con, tmp_path):
    data = extracts(tmp_path)
    record = ledger_record("E1")
    del record["reversal_of"], record["request_id"]
    write_jsonl(data / "ledger.jsonl", [record])

    load(con, data)

    assert con.sql("SELECT request_id, reversal_of FROM ledger").fetchall() == [(None, None)]


def test_parquet_rows_are_numbered_from_one_and_typed_values_survive(con, tmp_path):
    data = extracts(tmp_path)
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES"
        " ('E1', 'T1', 'A1', 'D', 10.50::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL),"
        " ('E2', 'T1', 'A2', 'C', 0.00::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL))"
        " t(entry_id, txn_ref, account_id, direction, amount, currency, status, posted_at,"
        "   request_id, reversal_of)) TO '" + str(data / "ledger.parquet") + "' (FORMAT parquet)"
    )

    load(con, data)

    assert con.sql("SELECT entry_id, amount, posted_at, _line FROM ledger").fetchall() == [
        ("E1", Decimal("10.50"), datetime(2024, 3, 15, 10, tzinfo=UTC), 1)
    ]
    assert quarantine(con) == [("ledger.parquet", 2, "amount", "0.00", "amount <= 0 (must be > 0)")]


def write_parquet_ledger(path, rows_sql):
    """ledger.parquet from a VALUES list whose columns keep the types written in it."""
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES {rows_sql}) t(entry_id, txn_ref, account_id, direction,"
        " amount, currency, status, posted_at, request_id, reversal_of))"
        f" TO '{path}' (FORMAT parquet)"
    )


def test_a_parquet_amount_with_more_than_two_decimal_places_is_unparseable(con, tmp_path):
    data = extracts(tmp_path)
    write_parquet_ledger(
        data / "ledger.parquet",
        "('E1', 'T1', 'A1', 'D', 10.5000::DECIMAL(18,4), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL),"
        " ('E2', 'T1', 'A2', 'C', 10.1234::DECIMAL(18,4), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL)",
    )

    load(con, data)

    assert column(con, "ledger", "amount") == [Decimal("10.50")]
    assert quarantine(con) == [("ledger.parquet", 2, "amount", "10.1234", "unparseable amount")]


def test_a_parquet_timestamp_without_zone_is_wall_clock_time_in_the_configured_zone(con, tmp_path):
    data = extracts(tmp_path)
    write_parquet_ledger(
        data / "ledger.parquet",
        "('E1', 'T1', 'A1', 'D', 10.50::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMP '2024-03-15 18:00:00', 'R1', NULL)",
    )

    load(con, data, {"timezone": "Asia/Shanghai"})

    assert column(con, "ledger", "posted_at") == [datetime(2024, 3, 15, 10, tzinfo=UTC)]


def test_a_missing_typed_parquet_amount_is_a_missing_required_value(con, tmp_path):
    data = extracts(tmp_path)
    write_parquet_ledger(
        data / "ledger.parquet",
        "('E1', 'T1', 'A1', 'D', NULL::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL)",
    )

    load(con, data)

    assert quarantine(con) == [("ledger.parquet", 1, "amount", None, "missing required value")]


def test_a_parquet_file_may_leave_out_a_nullable_column(con, tmp_path):
    data = extracts(tmp_path)
    duckdb.sql(
        "COPY (SELECT 'E1' entry_id, 'T1' txn_ref, 'A1' account_id, 'D' direction,"
        " '10.00' amount, 'CNY' currency, 'POSTED' status, '2024-03-15T10:00:00Z' posted_at)"
        " TO '" + str(data / "ledger.parquet") + "' (FORMAT parquet)"
    )

    load(con, data)

    assert con.sql("SELECT entry_id, request_id FROM ledger").fetchall() == [("E1", None)]


def test_a_jsonl_line_that_is_not_utf8_is_malformed_and_later_lines_keep_their_number(
    con, tmp_path
):
    data = extracts(tmp_path)
    good = [json.dumps(ledger_record(f"E{n}")).encode() for n in (1, 3)]
    (data / "ledger.jsonl").write_bytes(
        good[0] + b"\n" + b'{"entry_id": "\xff\xfe"}\n' + good[1] + b"\n"
    )

    load(con, data)

    assert column(con, "ledger", "_line") == [1, 3]
    ((_, line, _, _, reason),) = quarantine(con)
    assert line == 2
    assert reason.startswith("malformed row: invalid UTF-8")


def test_a_jsonl_file_with_a_bom_reads_its_first_record(con, tmp_path):
    data = extracts(tmp_path)
    (data / "ledger.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps(ledger_record("E1")).encode())

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1"]


def test_a_parquet_amount_stored_as_a_float_stops_the_run_naming_the_column(con, tmp_path):
    """88980876322235.18 as a double reads back ...235.19: money is never floating point."""
    data = extracts(tmp_path)
    record = ledger_record("E1", amount=88980876322235.18)
    pq.write_table(pa.Table.from_pylist([record]), data / "ledger.parquet")

    with pytest.raises(UnreadableFileError, match="column amount is stored as double"):
        load(con, data)
