"""The checks ingest runs in DuckDB are the Pandera schemas' checks: derived from them, and
agreeing with Pandera on the same rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pandera.polars as pa
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.db import connect
from recon.ingest import rules as rules_module
from recon.ingest.rules import source_rules
from recon.ingest.schema_rules import compiled_text, derive_rules
from schemas import SCHEMAS, LedgerSchema
from schemas.currencies import ISO_4217_CODES

from .helpers import extracts, ledger_row, load


def test_rules_follow_the_ledger_schema():
    rules = source_rules("ledger")

    assert rules.names == tuple(LedgerSchema.to_schema().columns)
    assert rules.key.name == "entry_id"
    assert rules.column("direction").checks[0].allowed == ("D", "C")
    assert rules.column("amount").checks[0].op == "gt"
    assert rules.column("currency").is_currency
    assert rules.column("request_id").nullable


def test_every_source_has_one_key_and_known_column_kinds():
    for source in SCHEMAS:
        rules = source_rules(source)
        assert [c.name for c in rules.columns if c.unique] == [rules.key.name]
        assert {c.kind for c in rules.columns} <= {"text", "decimal", "timestamp", "boolean"}


def test_the_compiled_rules_are_current_with_the_schemas():
    # after editing schemas/: python -m recon.ingest.schema_rules
    assert rules_module.COMPILED.read_text(encoding="utf-8") == compiled_text()


def test_the_compiled_rules_are_the_rules_derived_from_the_schemas():
    for source in SCHEMAS:
        assert source_rules(source) == derive_rules(source)


def test_a_compiled_file_from_other_schemas_is_not_used(tmp_path, monkeypatch):
    stale = tmp_path / "compiled_rules.json"
    stale.write_text(
        rules_module.rules_to_json(
            {s: derive_rules(s) for s in SCHEMAS}, fingerprint="schemas as they once were"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(rules_module, "COMPILED", stale)
    rules_module._compiled_rules.cache_clear()
    try:
        assert rules_module._compiled_rules() is None
    finally:
        rules_module._compiled_rules.cache_clear()


def test_the_iso_list_holds_current_codes_only():
    assert {"CNY", "USD", "EUR", "HKD", "JPY"} <= ISO_4217_CODES
    assert not {"RMB", "HRK", "XYZ", "XXX", "XTS"} & ISO_4217_CODES


# field values that parse; some break a schema rule, some do not
ACCOUNT_IDS = [
    "A1", "", "[1,2]", '{"a":1}', "A[1]",
    "A\x011", "A\x851", "A\x9b1", "A\u202e1", "A\u20281", "A\u200f1",  # control characters
    "客户1", "Aé1", "A\u200b1",  # not control characters
]  # fmt: skip
FIELDS = {
    "account_id": st.sampled_from(ACCOUNT_IDS),
    "direction": st.sampled_from(["D", "C", "X"]),
    "amount": st.sampled_from(["10.00", "0.01", "0", "-3.50"]),
    "currency": st.sampled_from(["CNY", "USD", "ABC"]),
    "status": st.sampled_from(["POSTED", "PENDING", "FAILED", "OK"]),
}


def typed_frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "entry_id": [r["entry_id"] for r in rows],
            "txn_ref": ["T1"] * len(rows),
            "account_id": [r["account_id"] or None for r in rows],
            "direction": [r["direction"] for r in rows],
            "amount": [Decimal(r["amount"]) for r in rows],
            "currency": [r["currency"] for r in rows],
            "status": [r["status"] for r in rows],
            "posted_at": [datetime(2024, 3, 15, 10, tzinfo=UTC)] * len(rows),
            "request_id": ["R1"] * len(rows),
            "reversal_of": [None] * len(rows),
        },
        schema_overrides={
            "amount": pl.Decimal(18, 2),
            "posted_at": pl.Datetime("us", "UTC"),
            "account_id": pl.String,
            "reversal_of": pl.String,
        },
    )


def pandera_failures(frame: pl.DataFrame) -> dict[int, set[str]]:
    """Row index -> the columns Pandera says the row breaks."""
    try:
        LedgerSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        failures: dict[int, set[str]] = {}
        for column, index in err.failure_cases.select("column", "index").iter_rows():
            failures.setdefault(index, set()).add(column)
        return failures
    return {}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.fixed_dictionaries(FIELDS), min_size=1, max_size=12))
def test_ingest_and_pandera_agree_on_which_rows_break_which_column(tmp_path_factory, fields):
    rows = [{**f, "entry_id": f"E{i}"} for i, f in enumerate(fields)]
    data = extracts(
        tmp_path_factory.mktemp("data"),
        ledger=[ledger_row(r["entry_id"], **{k: r[k] for k in FIELDS}) for r in rows],
    )
    con = connect()
    try:
        load(con, data)
        quarantined = dict(con.sql('SELECT line - 2, "column" FROM quarantine').fetchall())
        valid = con.sql("SELECT * EXCLUDE (_file, _line) FROM ledger").pl()
    finally:
        con.close()

    failures = pandera_failures(typed_frame(rows))
    assert set(quarantined) == set(failures)
    for index, column in quarantined.items():
        first_in_schema_order = next(
            c for c in source_rules("ledger").names if c in failures[index]
        )
        assert column == first_in_schema_order
    LedgerSchema.validate(valid, lazy=True)  # what ingest keeps, Pandera accepts
