"""exceptions/corrections/compensation/quarantine files: columns, order, exact money."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.publish.columns import (
    COMPENSATION_COLUMNS,
    CORRECTION_COLUMNS,
    EXCEPTION_COLUMNS,
    QUARANTINE_COLUMNS,
)
from recon.publish.exports import write_exports

from .tables import (
    COMPENSATION_DDL,
    EXCEPTIONS_DDL,
    create_empty_tables,
    exception_row,
    insert,
)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_exceptions_csv_starts_with_the_contract_columns_in_contract_order(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    header, _ = read_csv(tmp_path / "exceptions.csv")
    assert header[: len(EXCEPTION_COLUMNS)] == list(EXCEPTION_COLUMNS)


def test_exceptions_csv_money_keeps_cents_exactly(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    _, rows = read_csv(tmp_path / "exceptions.csv")
    amounts = {r["exception_id"]: (r["amount"], r["compensation"]) for r in rows}
    assert amounts == {
        "EX-A": ("0.10", "0.01"),
        "EX-B": ("1234.50", "0.17"),
        "EX-C": ("99.99", "0.00"),
    }


def test_exceptions_csv_rows_sorted_by_type_subtype_txn_ref_and_id(con, tmp_path):
    create_empty_tables(con)
    insert(
        con,
        "exceptions",
        [
            exception_row("EX-3", "INVOICE", "MISSING", "T1", "1.00"),
            exception_row("EX-2", "DUPLICATE_DEBIT", "SAME_REQUEST", "T9", "1.00"),
            exception_row("EX-1", "DUPLICATE_DEBIT", "SAME_REQUEST", "T9", "1.00"),
            exception_row("EX-4", "DUPLICATE_DEBIT", "GATEWAY_DOUBLE_CHARGE", "T5", "1.00"),
        ],
    )
    write_exports(tmp_path, con)
    _, rows = read_csv(tmp_path / "exceptions.csv")
    assert [r["exception_id"] for r in rows] == ["EX-4", "EX-1", "EX-2", "EX-3"]


def test_timestamps_are_iso_8601_in_utc_with_offset_whatever_the_session_zone(tmp_path):
    con = connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    create_empty_tables(con)
    insert(con, "exceptions", [exception_row("EX-1", "INVOICE", "MISSING", "T1", "5.00")])
    write_exports(tmp_path, con)
    _, rows = read_csv(tmp_path / "exceptions.csv")
    assert rows[0]["detected_at"] == "2024-03-16T00:05:00+00:00"


def test_context_columns_come_from_findings_when_the_store_did_not_copy_them(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    _, rows = read_csv(tmp_path / "exceptions.csv")
    by_id = {r["exception_id"]: r for r in rows}
    assert by_id["EX-B"]["event_at"] == "2024-03-15T11:22:00+00:00"
    assert by_id["EX-B"]["channel"] == "WEB"
    assert by_id["EX-C"]["channel"] == ""
    assert by_id["EX-B"]["severity"] == ""


def test_aging_columns_are_written_when_the_store_provides_them(con, tmp_path):
    create_empty_tables(con)
    con.execute(
        "ALTER TABLE exceptions ADD COLUMN severity VARCHAR;"
        "ALTER TABLE exceptions ADD COLUMN sla_breached BOOLEAN;"
        "ALTER TABLE exceptions ADD COLUMN age_hours DOUBLE;"
    )
    insert(
        con,
        "exceptions",
        [
            (*exception_row("EX-1", "INVOICE", "MISSING", "T1", "5.00"), "HIGH", True, 25.25),
        ],
    )
    write_exports(tmp_path, con)
    _, rows = read_csv(tmp_path / "exceptions.csv")
    assert (rows[0]["severity"], rows[0]["sla_breached"], rows[0]["age_hours"]) == (
        "HIGH",
        "true",
        "25.3",
    )


def test_exceptions_parquet_holds_the_same_rows_with_exact_decimal_money(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    table = pq.read_table(tmp_path / "exceptions.parquet")
    assert table.column_names[: len(EXCEPTION_COLUMNS)] == list(EXCEPTION_COLUMNS)
    assert str(table.schema.field("amount").type) == "decimal128(18, 2)"
    assert table.column("exception_id").to_pylist() == ["EX-A", "EX-B", "EX-C"]
    assert table.column("amount").to_pylist() == [
        Decimal("0.10"),
        Decimal("1234.50"),
        Decimal("99.99"),
    ]
    assert table.column("detected_at").to_pylist()[0] == datetime(2024, 3, 16, 0, 5, tzinfo=UTC)


def test_corrections_csv_has_contract_columns_and_exact_amounts(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    header, rows = read_csv(tmp_path / "corrections.csv")
    assert header == list(CORRECTION_COLUMNS)
    assert [(r["correction_id"], r["direction"], r["amount"]) for r in rows] == [
        ("CR-1", "D", "0.10"),
        ("CR-2", "C", "0.10"),
    ]


def test_compensation_csv_has_contract_columns_one_row_per_customer(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    header, rows = read_csv(tmp_path / "compensation.csv")
    assert header == list(COMPENSATION_COLUMNS)
    assert [tuple(r.values()) for r in rows] == [
        ("C1", "CNY", "0.01", "EX-A"),
        ("C2", "CNY", "0.17", "EX-B"),
    ]


def test_compensation_exception_ids_given_as_a_list_are_joined_with_semicolons(con, tmp_path):
    con.execute(
        "CREATE TABLE compensation (customer_id VARCHAR, currency VARCHAR,"
        " compensation DECIMAL(18,2), exception_ids VARCHAR[])"
    )
    con.execute("INSERT INTO compensation VALUES ('C1', 'CNY', 1.50, ['EX-1', 'EX-2'])")
    write_exports(tmp_path, con)
    _, rows = read_csv(tmp_path / "compensation.csv")
    assert rows[0]["exception_ids"] == "EX-1;EX-2"


def test_quarantine_csv_keeps_values_with_commas_intact(tiny, tmp_path):
    write_exports(tmp_path, tiny)
    header, rows = read_csv(tmp_path / "quarantine.csv")
    assert header == list(QUARANTINE_COLUMNS)
    assert list(rows[0].values()) == [
        "ledger",
        "ledger.csv",
        "7",
        "amount",
        "1,2x",
        "unparseable amount",
    ]


def test_empty_tables_give_files_with_only_a_header(con, tmp_path):
    create_empty_tables(con)
    write_exports(tmp_path, con)
    for name in ("exceptions.csv", "corrections.csv", "compensation.csv", "quarantine.csv"):
        header, rows = read_csv(tmp_path / name)
        assert header, name
        assert rows == [], name
    assert pq.read_table(tmp_path / "exceptions.parquet").num_rows == 0


def test_missing_tables_still_give_every_file_with_its_header(con, tmp_path):
    paths = write_exports(tmp_path, con)
    assert sorted(paths) == [
        "compensation.csv",
        "corrections.csv",
        "exceptions.csv",
        "exceptions.parquet",
        "quarantine.csv",
    ]
    assert read_csv(tmp_path / "corrections.csv") == (list(CORRECTION_COLUMNS), [])
    assert read_csv(tmp_path / "quarantine.csv") == (list(QUARANTINE_COLUMNS), [])
    header, rows = read_csv(tmp_path / "exceptions.csv")
    assert header[: len(EXCEPTION_COLUMNS)] == list(EXCEPTION_COLUMNS)
    assert rows == []


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999999.99"), places=2)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=st.lists(money, min_size=1, max_size=5))
def test_any_two_place_amount_survives_the_csv_exactly(tmp_path_factory, amounts):
    out = tmp_path_factory.mktemp("out")
    con = duckdb.connect()
    try:
        con.execute(EXCEPTIONS_DDL)
        con.execute(COMPENSATION_DDL)
        insert(
            con,
            "exceptions",
            [
                exception_row(f"EX-{i}", "INVOICE", "MISSING", f"T{i}", str(a))
                for i, a in enumerate(amounts)
            ],
        )
        write_exports(out, con)
    finally:
        con.close()
    _, rows = read_csv(out / "exceptions.csv")
    written = {r["exception_id"]: r["amount"] for r in rows}
    assert written == {f"EX-{i}": f"{a:.2f}" for i, a in enumerate(amounts)}
