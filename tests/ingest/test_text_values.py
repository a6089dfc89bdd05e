"""Text values: a JSON array or object is not a value, and an identifier holds no control
characters (schemas/text.py; the same checks in Pandera and in DuckDB): C0, DEL and C1, the
line and paragraph separators and the bidi controls; ordinary non-ASCII text is a value."""

from __future__ import annotations

import json

import duckdb
import pytest

from recon.ingest.rules import source_rules
from schemas import SCHEMAS

from .helpers import (
    CHANNEL,
    GATEWAY,
    INVOICES,
    LEDGER,
    column,
    extracts,
    ledger_row,
    load,
    quarantine,
    write_lines,
)

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


# C1 controls (U+0080-U+009F: NEL U+0085, CSI U+009B, ...): Unicode controls like C0 and DEL
C1 = ["\x80", "\x85", "\x9b", "\x9f"]
# line and paragraph separators, bidi controls: they break or reorder what a reader sees
LAYOUT = ["\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\x1f", "\x7f", *C1, *LAYOUT])
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


@pytest.mark.parametrize("char", ["\x00", "\x01", *C1, *LAYOUT])
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


def test_a_c1_control_in_a_raw_utf8_jsonl_key_is_quarantined(con, tmp_path):
    # the character itself in the file, not a \\u0085 escape
    data = extracts(tmp_path)
    record = {"entry_id": "E1", "txn_ref": "T3\x85", "account_id": "A1", "direction": "D",
              "amount": "10.00", "currency": "CNY", "status": "POSTED",
              "posted_at": "2024-03-15T10:00:00Z"}  # fmt: skip
    good = {**record, "entry_id": "E2", "txn_ref": "T2"}
    lines = [json.dumps(r, ensure_ascii=False) for r in (good, record)]
    (data / "ledger.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = load(con, data)

    assert column(con, "ledger", "entry_id") == ["E2"]
    assert quarantine(con) == [("ledger.jsonl", 2, "txn_ref", "T3\x85", CONTROL)]
    assert (result.counts["ledger"].read, result.counts["ledger"].quarantined) == (2, 1)


@pytest.mark.parametrize("char", ["\x85", "\x9b", "\u202e"])
def test_a_control_character_in_a_parquet_key_is_quarantined(con, tmp_path, char):
    data = extracts(tmp_path)
    path = data / "ledger.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES"
        " ('E1', 'T1', 'A1', 'D', 10.00::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL),"
        " ('E6' || chr($code), 'T1', 'A2', 'C', 10.00::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL))"
        " t(entry_id, txn_ref, account_id, direction, amount, currency, status, posted_at,"
        f"   request_id, reversal_of)) TO '{path}' (FORMAT parquet)",
        {"code": ord(char)},
    )

    result = load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1"]
    assert quarantine(con) == [("ledger.parquet", 2, "entry_id", f"E6{char}", CONTROL)]
    assert result.counts["ledger"].balanced


# every identifier of every source: the columns a finding, a match or a key is made of
IDENTIFIERS = {
    "ledger": ["entry_id", "txn_ref", "account_id", "request_id", "reversal_of"],
    "channel": ["request_id", "idempotency_key", "customer_id", "debit_account",
                "credit_account", "txn_ref"],
    "gateway": ["gateway_ref", "txn_ref"],
    "invoices": ["invoice_id", "txn_ref"],
}  # fmt: skip
HEADERS = {"ledger": LEDGER, "channel": CHANNEL, "gateway": GATEWAY, "invoices": INVOICES}
VALID = {
    "ledger": ("E1,T1,A1,D,10.00,CNY,POSTED,2024-03-15T10:00:00Z,R1,E0",
               "E2,T2,A1,D,10.00,CNY,POSTED,2024-03-15T10:00:00Z,R2,E0"),
    "channel": ("R1,K1,APP,C1,A1,B1,10.00,CNY,2024-03-15T10:00:00Z,FAILED,BUSY,T1",
                "R2,K2,APP,C1,A1,B1,10.00,CNY,2024-03-15T10:00:00Z,FAILED,BUSY,T2"),
    "gateway": ("G1,T1,10.00,CNY,0.10,SUCCESS,2024-03-15T10:00:05Z,true",
                "G2,T2,10.00,CNY,0.10,SUCCESS,2024-03-15T10:00:05Z,true"),
    "invoices": ("I1,T1,10.00,ISSUED,2024-03-15T10:01:00Z",
                 "I2,T2,10.00,ISSUED,2024-03-15T10:01:00Z"),
}  # fmt: skip


def test_every_identifier_of_every_source_is_checked_for_control_characters():
    checked = {
        source: [c.name for c in source_rules(source).columns
                 if any(k.op == "no_control_characters" for k in c.checks)]
        for source in SCHEMAS
    }  # fmt: skip
    assert checked == IDENTIFIERS


CASES = [
    (source, name, (C1 + LAYOUT)[n % len(C1 + LAYOUT)])
    for n, (source, name) in enumerate(
        (source, name) for source, names in IDENTIFIERS.items() for name in names
    )
]


@pytest.mark.parametrize(("source", "name", "char"), CASES)
def test_a_control_character_in_any_identifier_is_quarantined(con, tmp_path, source, name, char):
    header = HEADERS[source].split(",")
    bad = VALID[source][1].split(",")
    bad[header.index(name)] = value = f"X{char}1"
    data = extracts(tmp_path, ledger=[])
    write_lines(data / f"{source}.csv", HEADERS[source], [VALID[source][0], ",".join(bad)])

    result = load(con, data)

    assert quarantine(con, source) == [(f"{source}.csv", 3, name, value, CONTROL)]
    counts = result.counts[source]
    assert (counts.read, counts.valid, counts.quarantined) == (2, 1, 1)
    assert counts.balanced


@pytest.mark.parametrize(
    "value",
    [
        "客户张三",  # Chinese
        "Ünïcødé-Zoë",  # accented Latin
        "Счёт-7",  # Cyrillic
        "T\u00a01",  # a no-break space is a character, not a control
        # a zero-width space (or joiner) neither breaks a line nor reorders it: a value (as
        # any other invisible format character but the separators and bidi controls)
        "A5\u200b",
    ],
)
def test_ordinary_non_ascii_text_in_an_identifier_is_a_value(con, tmp_path, value):
    data = extracts(tmp_path, ledger=[ledger_row("E1", txn_ref=value, account_id=value)])
    (data / "ledger_more.jsonl").write_text(
        json.dumps({"entry_id": value, "txn_ref": value, "account_id": value, "direction": "C",
                    "amount": "10.00", "currency": "CNY", "status": "POSTED",
                    "posted_at": "2024-03-15T10:00:00Z", "request_id": value},
                   ensure_ascii=False) + "\n",
        encoding="utf-8",
    )  # fmt: skip

    result = load(con, data)

    assert quarantine(con) == []
    assert column(con, "ledger", "txn_ref") == [value, value]
    assert column(con, "ledger", "entry_id") == ["E1", value]
    assert result.counts["ledger"].valid == 2
