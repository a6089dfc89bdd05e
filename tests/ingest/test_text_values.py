"""Text values: a JSON array or object is not a value, and an identifier holds no control
characters (schemas/text.py; the same checks in Pandera and in DuckDB)."""

from __future__ import annotations

import json

import pytest

from .helpers import CHANNEL, column, extracts, ledger_row, load, quarantine, write_lines

JSON = "unparseable text: a JSON array or object"
CONTROL = "unparseable text: a control character in an identifier"


@pytest.mark.parametrize("value", ["[1,2]", '{"a":1}', " [] ", "{}"])
def test_a_json_array_or_object_in_a_text_field_is_quarantined(con, tmp_path, value):
    data = extracts(tmp_path, ledger=[ledger_row("E1", account_id=value), ledger_row("E2")])

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E2"]
    assert quarantine(con) == [("ledger.csv", 2, "account_id", value, JSON)]


def test_brackets_inside_a_value_are_text(con, tmp_path):
    data = extracts(
        tmp_path, ledger=[ledger_row("E1", account_id="A[1]"), ledger_row("E2", account_id="[A")]
    )

    load(con, data)

    assert column(con, "ledger", "account_id") == ["A[1]", "[A"]


def test_a_json_object_in_free_text_of_the_channel_is_quarantined(con, tmp_path):
    row = 'R1,K1,APP,C1,A1,B1,10.00,CNY,2024-03-15T10:00:00Z,FAILED,"{""code"":1}",T1'
    data = extracts(tmp_path, ledger=[ledger_row()], channel=[row])

    load(con, data)

    assert quarantine(con, "channel") == [("channel.csv", 2, "error_code", '{"code":1}', JSON)]


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\x1f", "\x7f"])
def test_a_control_character_in_a_key_is_quarantined(con, tmp_path, char):
    data = extracts(tmp_path)
    (data / "ledger.jsonl").write_text(
        json.dumps(
            {
                "entry_id": f"E{char}1",
                "txn_ref": "T1",
                "account_id": "A1",
                "direction": "D",
                "amount": "10.00",
                "currency": "CNY",
                "status": "POSTED",
                "posted_at": "2024-03-15T10:00:00Z",
            }
        )
        + "\n"
    )

    load(con, data)

    assert quarantine(con) == [("ledger.jsonl", 1, "entry_id", f"E{char}1", CONTROL)]


@pytest.mark.parametrize("char", ["\x00", "\x01"])
def test_a_control_character_in_a_csv_txn_ref_is_quarantined(con, tmp_path, char):
    data = extracts(tmp_path, ledger=[ledger_row("E1", txn_ref=f"T{char}1"), ledger_row("E2")])

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E2"]
    assert quarantine(con) == [("ledger.csv", 2, "txn_ref", f"T{char}1", CONTROL)]


def test_free_text_may_hold_a_tab(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row()])
    write_lines(
        data / "channel.csv",
        CHANNEL,
        ["R1,K1,APP,C1,A1,B1,10.00,CNY,2024-03-15T10:00:00Z,FAILED,SYSTEM\tBUSY,T1"],
    )

    load(con, data)

    assert column(con, "channel", "error_code") == ["SYSTEM\tBUSY"]
