"""Each kind of bad row is quarantined with our column name, its raw value and the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.errors import ConfigError

from .helpers import LEDGER, column, extracts, ledger_row, load, quarantine


@pytest.mark.parametrize(
    ("row", "bad_column", "value", "reason"),
    [
        (ledger_row("", txn_ref="T9"), "entry_id", None, "missing key"),
        (ledger_row("E2", account_id=""), "account_id", None, "missing required value"),
        (ledger_row("E2", amount="12.3.4"), "amount", "12.3.4", "unparseable amount"),
        (ledger_row("E2", amount="ten"), "amount", "ten", "unparseable amount"),
        (ledger_row("E2", amount="1.234"), "amount", "1.234", "unparseable amount"),
        (ledger_row("E2", amount="0.00"), "amount", "0.00", "amount <= 0 (must be > 0)"),
        (ledger_row("E2", amount="-5"), "amount", "-5", "amount <= 0 (must be > 0)"),
        (
            ledger_row("E2", direction="X"),
            "direction",
            "X",
            "unknown direction (allowed: D, C)",
        ),
        (
            ledger_row("E2", status="DONE"),
            "status",
            "DONE",
            "unknown status (allowed: POSTED, PENDING, FAILED)",
        ),
        (
            ledger_row("E2", currency="XYZ"),
            "currency",
            "XYZ",
            "unknown currency (not a code on the ISO 4217 list)",
        ),
        (
            ledger_row("E2", posted_at="2024-02-30T10:00:00Z"),
            "posted_at",
            "2024-02-30T10:00:00Z",
            "unparseable timestamp",
        ),
        (
            ledger_row("E2", posted_at="15/03/2024 10:00"),
            "posted_at",
            "15/03/2024 10:00",
            "unparseable timestamp",
        ),
    ],
)
def test_a_row_breaking_its_schema_is_quarantined(con, tmp_path, row, bad_column, value, reason):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), row])

    result = load(con, data)

    assert quarantine(con) == [("ledger.csv", 3, bad_column, value, reason)]
    assert column(con, "ledger", "entry_id") == ["E1"]
    assert result.counts["ledger"].quarantined == 1


def test_a_row_with_too_few_fields_is_quarantined_as_malformed(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), "E2,T2,A1,D,5.00", ledger_row("E3")])

    load(con, data)

    ((name, line, col, value, reason),) = quarantine(con)
    assert (name, line, col, value) == ("ledger.csv", 3, None, "E2,T2,A1,D,5.00")
    assert reason.startswith("malformed row: too few fields")
    assert column(con, "ledger", "entry_id") == ["E1", "E3"]


def test_a_row_with_too_many_fields_is_quarantined_as_malformed(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1") + ",extra", ledger_row("E2")])

    load(con, data)

    ((_, line, _, _, reason),) = quarantine(con)
    assert line == 2
    assert reason.startswith("malformed row: too many fields")


def test_rows_after_a_malformed_row_keep_their_physical_line(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), "garbage", ledger_row("E3")])

    load(con, data)

    assert column(con, "ledger", "_line") == [2, 4]


def test_rows_after_a_blank_line_keep_their_physical_line(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), "", "", ledger_row("E4")])

    result = load(con, data)

    assert column(con, "ledger", "_line") == [2, 5]
    assert result.counts["ledger"].read == 2


def test_an_unterminated_quote_is_quarantined_not_lost(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), 'E2,"T2,A1,D,5.00,CNY,POSTED'])

    result = load(con, data)

    ((_, line, _, _, reason),) = quarantine(con)
    assert line == 3
    assert reason.startswith("malformed row: unterminated or stray quote")
    assert result.counts["ledger"].balanced


def test_a_nullable_column_missing_from_the_file_reads_as_null(con, tmp_path):
    header = "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at"
    (tmp_path / "ledger.csv").write_text(
        header + "\nE1,T1,A1,D,10.00,CNY,POSTED,2024-03-15T10:00:00Z\n"
    )
    extracts(tmp_path)

    load(con, tmp_path)

    assert con.sql("SELECT request_id, reversal_of FROM ledger").fetchall() == [(None, None)]


def test_extra_columns_are_ignored(con, tmp_path):
    (tmp_path / "ledger.csv").write_text(
        "note," + "entry_id,txn_ref,account_id,direction,amount,currency,status,posted_at\n"
        "hello,E1,T1,A1,D,10.00,CNY,POSTED,2024-03-15T10:00:00Z\n"
    )
    extracts(tmp_path)

    load(con, tmp_path)

    assert column(con, "ledger", "entry_id") == ["E1"]
    assert "note" not in [c[0] for c in con.sql("DESCRIBE ledger").fetchall()]


def test_currency_aliases_map_local_names_before_the_iso_check(con, tmp_path):
    data = extracts(
        tmp_path, ledger=[ledger_row("E1", currency="RMB"), ledger_row("E2", currency="cny")]
    )

    load(con, data, {"currency_aliases": {"RMB": "CNY"}})

    assert column(con, "ledger", "currency") == ["CNY", "CNY"]
    assert quarantine(con) == []


def test_thousands_separators_are_read_when_configured(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="1,234.50")])

    load(con, data, {"thousands_separator": ","})

    assert column(con, "ledger", "amount") == [Decimal("1234.50")]


def test_thousands_separators_are_unparseable_when_not_configured(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="1,234.50")])

    load(con, data)

    assert quarantine(con) == [("ledger.csv", 2, "amount", "1,234.50", "unparseable amount")]


def test_a_source_can_have_its_own_thousands_separator(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="1 234.50")])

    load(con, data, {"sources": {"ledger": {"thousands_separator": " "}}})

    assert quarantine(con) == []


def test_a_csv_row_that_is_not_utf8_is_malformed_and_later_rows_keep_their_line(con, tmp_path):
    data = extracts(tmp_path)
    bad = ledger_row("E2").encode().replace(b"A1", b"A\xff")
    body = [LEDGER.encode(), ledger_row("E1").encode(), bad, ledger_row("E3").encode()]
    (data / "ledger.csv").write_bytes(b"\n".join(body) + b"\n")

    load(con, data)

    assert column(con, "ledger", "_line") == [2, 4]
    ((_, line, _, _, reason),) = quarantine(con)
    assert line == 3
    assert reason.startswith("malformed row: invalid UTF-8 (check the encoding setting)")


def test_a_column_mapping_to_an_unknown_column_is_a_config_error(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])

    with pytest.raises(ConfigError, match=r"\[sources\.ledger\.columns\] maps to unknown"):
        load(con, data, {"sources": {"ledger": {"columns": {"Betrag": "amont"}}}})


def test_crlf_line_ends_and_a_blank_crlf_line_keep_physical_lines(con, tmp_path):
    data = extracts(tmp_path)
    lines = [LEDGER, ledger_row("E1"), "", ledger_row("E3")]
    (data / "ledger.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode())

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1", "E3"]
    assert column(con, "ledger", "_line") == [2, 4]
    assert column(con, "ledger", "reversal_of") == [None, None]
