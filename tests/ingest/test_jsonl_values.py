"""A JSON-lines field is read as the line writes it: a number is never passed through a
double (CONTRACT.md: "JSON-lines amounts may be strings or numbers"; "Money is exact decimal
throughout: never floating point"), and an object naming a key twice is no row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from .helpers import column, extracts, load, quarantine
from .test_formats import ledger_record, write_jsonl

LINE = (
    '{{"entry_id":"E1","txn_ref":"T1","account_id":"A1","direction":"D",{amount}'
    '"currency":"CNY","status":"POSTED","posted_at":"2024-03-15T10:00:00Z"}}'
)


def test_a_json_number_amount_keeps_every_digit(con, tmp_path):
    """88980876322235.18 through a double is ...235.19."""
    data = extracts(tmp_path)
    write_jsonl(data / "ledger.jsonl", [LINE.format(amount='"amount":88980876322235.18,')])

    load(con, data)

    assert column(con, "ledger", "amount") == [Decimal("88980876322235.18")]


def test_a_json_number_with_an_exponent_is_unparseable_like_its_text(con, tmp_path):
    data = extracts(tmp_path)
    write_jsonl(data / "ledger.jsonl", [LINE.format(amount='"amount":1e2,')])

    load(con, data)

    assert quarantine(con) == [("ledger.jsonl", 1, "amount", "1e2", "unparseable amount")]


def test_a_nested_key_of_the_same_name_is_not_the_fields_value(con, tmp_path):
    data = extracts(tmp_path)
    nested = '"meta":{"amount":5.5},"amount":100.25,'
    write_jsonl(data / "ledger.jsonl", [LINE.format(amount=nested)])

    load(con, data)

    assert column(con, "ledger", "amount") == [Decimal("100.25")]


def test_a_number_written_as_an_id_keeps_its_text(con, tmp_path):
    data = extracts(tmp_path)
    write_jsonl(data / "ledger.jsonl", [LINE.format(amount='"amount":"5.00","request_id":1.10,')])

    load(con, data)

    assert column(con, "ledger", "request_id") == ["1.10"]


@pytest.mark.parametrize("twice", ['"amount":"100.00","amount":"200.00",', '"status":"FAILED",'])
def test_an_object_naming_a_key_twice_is_a_malformed_row(con, tmp_path, twice):
    """Readers disagree on which value wins (DuckDB the first, Python the last)."""
    data = extracts(tmp_path)
    line = LINE.format(amount=twice if "amount" in twice else '"amount":"5.00",' + twice)
    write_jsonl(data / "ledger.jsonl", [ledger_record("E0"), line])

    result = load(con, data)

    ((_, number, col, value, reason),) = quarantine(con)
    assert (number, col, value) == (2, None, line)
    assert reason == "malformed row: a key appears twice in the object"
    assert (result.counts["ledger"].read, result.counts["ledger"].valid) == (2, 1)
