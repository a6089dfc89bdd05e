"""The nightly flow retries a late pull, then fails clearly naming what never arrived."""

from __future__ import annotations

import json
from datetime import date

import pytest

from flows.nightly import nightly

pytestmark = pytest.mark.slow


def _flow_run_id(state):
    return state.state_details.flow_run_id


def _task_runs(client, state):
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    return client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[_flow_run_id(state)]))
    )


@pytest.fixture
def late_landing(tmp_path):
    """Only the channel extract has landed for 2024-03-15."""
    day = tmp_path / "landing" / "2024-03-15"
    day.mkdir(parents=True)
    (day / "channel.csv").write_text("request_id\n", encoding="utf-8")
    config = tmp_path / "recon.toml"
    config.write_text(
        f'landing = "{tmp_path}/landing/{{date}}"\nstore = "{tmp_path}/recon.duckdb"\n',
        encoding="utf-8",
    )
    return tmp_path, config


def test_a_late_extract_is_retried_until_the_deadline_then_named(prefect_client, late_landing):
    root, config = late_landing
    state = nightly(
        business_date=date(2024, 3, 15),
        config_path=str(config),
        runs_dir=str(root / "runs"),
        pull_deadline_seconds=1.0,
        pull_retry_seconds=0.5,
        return_state=True,
    )
    assert state.is_failed()
    pulls = [t for t in _task_runs(prefect_client, state) if t.name.startswith("pull extracts")]
    assert [t.run_count for t in pulls] == [3]  # the first try and two retries
    message = state.message
    assert "gave up after 3 attempt(s)" in message
    assert f"{root}/landing/2024-03-15 has no ledger, gateway extract" in message


def test_every_retried_attempt_prints_one_waiting_line(prefect_client, late_landing, capsys):
    root, config = late_landing
    nightly(
        business_date=date(2024, 3, 15),
        config_path=str(config),
        runs_dir=str(root / "runs"),
        pull_deadline_seconds=1.0,
        pull_retry_seconds=0.5,
        return_state=True,
    )
    waiting = [line for line in capsys.readouterr().err.splitlines() if "waiting for" in line]
    assert [line.split("; next attempt at ")[0] for line in waiting] == [
        f"recon: waiting for extracts: {root}/landing/2024-03-15 has no ledger, gateway extract"
        f" (attempt {n} of 3)"
        for n in (1, 2)
    ]
    assert all(" UTC, deadline " in line for line in waiting)


def test_a_failed_pull_leaves_a_summary_with_the_reason(prefect_client, late_landing):
    root, config = late_landing
    state = nightly(
        business_date=date(2024, 3, 15),
        config_path=str(config),
        runs_dir=str(root / "runs"),
        pull_deadline_seconds=0,
        return_state=True,
    )
    assert state.is_failed()
    (summary_path,) = (root / "runs").glob("*/out.failed/summary.json")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert "has no ledger, gateway extract" in json.dumps(summary)


def test_a_landing_that_cannot_be_opened_is_not_retried(prefect_client, tmp_path):
    """A wrong landing URL is a config error: tried once, failed at once, despite the deadline."""
    config = tmp_path / "recon.toml"
    config.write_text(
        f'landing = "nosuch://bank/{{date}}"\nstore = "{tmp_path}/recon.duckdb"\n',
        encoding="utf-8",
    )
    state = nightly(
        business_date=date(2024, 3, 15),
        config_path=str(config),
        runs_dir=str(tmp_path / "runs"),
        pull_deadline_seconds=60,
        pull_retry_seconds=30,
        return_state=True,
    )
    assert state.is_failed()
    pulls = [t for t in _task_runs(prefect_client, state) if t.name.startswith("pull extracts")]
    assert [t.run_count for t in pulls] == [1]
    assert "landing location 'nosuch://bank/2024-03-15' cannot be opened" in state.message
