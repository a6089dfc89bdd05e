"""A run under several compensation policies: the scenario's figures, the store's suggestions
and the maker-checker of a customer's compensation."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb

from recon.cli import main
from recon.store import proposals

POLICIES = """
[[compensation.policies]]
kind = "interest"

[[compensation.policies]]
kind = "fee_refund"
applies_to = ["DUPLICATE_DEBIT/GATEWAY_DOUBLE_CHARGE"]

[[compensation.policies]]
kind = "goodwill"
applies_to = ["HALF_COMPLETED/DEBIT_WITHOUT_CREDIT"]
amount = "8.00"
cap_per_customer = "10.00"
"""


def run(public_scenario: Path, tmp_path: Path, extra: str) -> Path:
    config = tmp_path / "recon.toml"
    config.write_text((public_scenario / "recon.toml").read_text() + extra)
    out = tmp_path / "out"
    code = main(["run", "--quiet", "--data-dir", str(public_scenario / "data"), "--out",
                 str(out), "--config", str(config),
                 "--store", str(tmp_path / "s.duckdb")])  # fmt: skip
    assert code == 1
    return out


def owed(out: Path) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    with (out / "compensation.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            total[row["customer_id"]] += Decimal(row["compensation"])
    return dict(total)


def test_interest_and_fee_refund_as_policies_pay_what_the_default_pays(public_scenario, tmp_path):
    truth = json.loads((public_scenario / "truth" / "truth.json").read_text())
    out = run(
        public_scenario, tmp_path, POLICIES.split('[[compensation.policies]]\nkind = "goodwill"')[0]
    )
    assert owed(out) == {c: Decimal(v) for c, v in truth["compensation"].items()}


def test_a_customers_policies_are_one_suggestion_per_case_and_approved_by_another(
    public_scenario, tmp_path
):
    out = run(public_scenario, tmp_path, POLICIES)
    store = tmp_path / "s.duckdb"
    with duckdb.connect(str(store), read_only=True) as con:
        row = con.execute(
            "SELECT exception_id, amount, detail FROM suggestions"
            " WHERE alternative = 'POLICIES' AND detail->>'basis' LIKE '%goodwill%'"
            " AND detail->>'basis' LIKE 'interest%' ORDER BY exception_id LIMIT 1"
        ).fetchone()
    exception_id, amount, detail = row
    lines = json.loads(detail)["lines"]
    assert [line["policy"] for line in lines] == ["interest", "goodwill"]
    assert sum(Decimal(line["amount"]) for line in lines) == amount
    made = proposals.propose(store, exception_id, "compensation", actor="ann")
    assert made.amount == amount
    decided = proposals.approve(store, made.proposal_id, actor="lead")
    assert decided.state == "APPROVED"
    with (out / "compensation.csv").open(encoding="utf-8") as fh:
        mine = [r for r in csv.DictReader(fh) if r["exception_ids"] == exception_id]
    assert sum(Decimal(r["compensation"]) for r in mine) == amount
