"""The shared artefacts of the flows mask customer ids by default: the Prefect artifacts and
the incident impact report (`[privacy] mask`, recon.privacy)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

from flows.artifacts import largest_cases, summary_markdown
from recon.db import connect
from recon.exit_codes import ExitCode
from recon.incident.impact import IncidentWindow, impact_customers, write_incident_impact
from recon.model import RunInfo, RunSummary, SourceCounts, StoreOutcome
from recon.pipeline import RunResult
from recon.sql import load_sql, run_statements

CUSTOMER = "CUST00098765"
MASKED = "CU******8765"
NOW = datetime(2024, 3, 16, 9, 0, tzinfo=UTC)
WINDOW = IncidentWindow("INC-7", datetime(2024, 3, 15, 11, 20, tzinfo=UTC), NOW)


@pytest.fixture
def exceptions(con):
    con.execute(
        """
        CREATE TABLE exceptions AS SELECT * FROM (VALUES
            ('EX-1', 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'T1', $customer,
             900.50::DECIMAL(18,2), 'CNY', 'POST_CREDIT_OR_REVERSE', 'run-1'))
        AS t(exception_id, type, subtype, txn_ref, customer_id, amount, currency,
             proposed_action, first_seen_run)
        """,
        {"customer": CUSTOMER},
    )
    return con


def markdown(cases: list[dict]) -> str:
    run = RunInfo(
        run_id="run-1",
        started_at=NOW,
        cutoff=NOW,
        data_dir="data",
        counts=MappingProxyType({"ledger": SourceCounts(1, 1, 0, 0)}),
    )
    outcome = StoreOutcome("run-1", new=("EX-1",), open_total=1)
    summary = RunSummary(run, NOW, outcome)
    result = RunResult("run-1", ExitCode.FINDINGS, Path("out"), summary, {})
    return summary_markdown("Nightly", result, cases, [])


def test_artifacts_mask_customer_ids_by_default(exceptions):
    cases = largest_cases(exceptions)
    assert cases[0]["customer_id"] == MASKED
    text = markdown(cases)
    assert CUSTOMER not in text
    assert "8765" in text


def test_artifacts_show_customer_ids_when_masking_is_off(exceptions):
    cases = largest_cases(exceptions, mask=False)
    assert cases[0]["customer_id"] == CUSTOMER
    assert CUSTOMER in markdown(cases)


@pytest.fixture
def store(tmp_path):
    """Two findings on one transfer of a customer, tagged with incident INC-7."""
    path = tmp_path / "recon.duckdb"
    con = connect()
    con.execute(f"ATTACH '{path}' AS recon_store")
    run_statements(con, load_sql("recon.store", "schema"))
    for ex_id, subtype in (("EX-1", "DEBIT_WITHOUT_CREDIT"), ("EX-2", "STUCK_PENDING")):
        con.execute(
            """INSERT INTO recon_store.exceptions (exception_id, type, subtype, txn_ref,
               customer_id, account_id, amount, currency, compensation, channel, status,
               detected_at, first_seen_run, last_seen_run)
               VALUES ($id, 'HALF_COMPLETED', $subtype, 'T1', $customer, 'AC0000000224',
                       100.00, 'CNY', 0.01, 'APP', 'OPEN', $now, 'run-1', 'run-1')""",
            {"id": ex_id, "subtype": subtype, "customer": CUSTOMER, "now": NOW},
        )
        con.execute(
            "INSERT INTO recon_store.incident_tags VALUES ('INC-7', $e, 'run-1')", {"e": ex_id}
        )
    con.execute("DETACH recon_store")
    con.close()
    return path


def test_incident_report_masks_customer_ids_by_default(store, tmp_path):
    paths = write_incident_impact(store, WINDOW, "run-2", tmp_path, NOW)
    for path in paths.values():
        text = path.read_text(encoding="utf-8")
        assert CUSTOMER not in text
        assert MASKED in text


def test_incident_report_shows_customer_ids_when_masking_is_off(store, tmp_path):
    paths = write_incident_impact(store, WINDOW, "run-2", tmp_path, NOW, mask=False)
    document = json.loads(paths["incident_impact.json"].read_text(encoding="utf-8"))
    assert document["top_customers"][0]["customer_id"] == CUSTOMER
    assert CUSTOMER in paths["incident_impact.html"].read_text(encoding="utf-8")


def test_incident_customers_count_a_transfers_money_once(store):
    (row,) = impact_customers(store, "INC-7")
    assert (row["findings"], row["transfers"], str(row["amount"])) == (2, 1, "100.00")
