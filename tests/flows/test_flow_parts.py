"""The flows' own decisions, checked without a Prefect server: cutoff, pull policy, landings,
command-line overrides, artifact content."""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from prefect.states import Completed, Failed

from flows.artifacts import artifact_key, counts_by_subtype, largest_cases, summary_markdown
from flows.cli import overrides_of, register
from flows.incident_rerun import incident_window, window_landings
from flows.nightly import nightly_config
from flows.reconcile import PullPolicy, retry_while_late
from flows.steps import only_transient
from recon.config import Config, load_config
from recon.errors import ConfigError, ExtractNotReadyError
from recon.exit_codes import ExitCode
from recon.landing import Landing, pull_extracts
from recon.model import RunInfo, RunSummary, SourceCounts, StoreOutcome
from recon.pipeline import RunResult

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("deadline", "retry", "retries"),
    [(240 * 60, 300, 48), (60, 25, 2), (0, 300, 0), (60, 0, 0)],
)
def test_pull_retries_fit_in_the_deadline(deadline, retry, retries):
    assert PullPolicy(deadline, retry).retries == retries


def test_pull_policy_defaults_come_from_the_config():
    policy = PullPolicy.of(Config(pull_deadline_minutes=90, pull_retry_seconds=600))
    assert (policy.deadline_seconds, policy.retry_seconds, policy.retries) == (5400, 600, 9)


def test_nightly_cutoff_is_the_end_of_the_business_date_in_the_zone():
    config = load_config(timezone="Asia/Shanghai", cutoff="2024-01-01T00:00:00Z")
    nightly = nightly_config(config, date(2024, 3, 15), overrides={})
    assert nightly.cutoff.isoformat() == "2024-03-16T00:00:00+08:00"


def test_an_explicit_cutoff_option_wins_over_the_business_date():
    config = load_config(cutoff="2024-03-15T18:00:00Z")
    nightly = nightly_config(config, date(2024, 3, 15), overrides={"cutoff": "2024-03-15T18:00Z"})
    assert nightly.cutoff == config.cutoff


def test_incident_window_without_offset_is_in_the_configured_zone():
    window = incident_window(
        "INC-1", "2024-03-15 23:50", "2024-03-16T00:10:00+08:00", 15, Config("Asia/Shanghai")
    )
    assert window.start.isoformat() == "2024-03-15T23:50:00+08:00"
    assert window.from_at.isoformat() == "2024-03-15T23:35:00+08:00"
    assert window.to_at.isoformat() == "2024-03-16T00:25:00+08:00"


def test_a_window_across_midnight_pulls_both_dates_tagged():
    config = Config(landing="/in/{date}")
    window = incident_window("INC-1", "2024-03-15 23:50", "2024-03-16 00:10", 0, config)
    assert window_landings(config, window) == [
        Landing("/in/2024-03-15", "2024-03-15"),
        Landing("/in/2024-03-16", "2024-03-16"),
    ]


def test_a_window_inside_one_date_keeps_the_files_own_names():
    config = Config(landing="/in/{date}")
    window = incident_window("INC-1", "2024-03-15 11:20", "2024-03-15 11:30", 30, config)
    assert window_landings(config, window) == [Landing("/in/2024-03-15")]


def test_a_margin_can_reach_into_the_previous_date():
    config = Config(landing="/in/{date}")
    window = incident_window("INC-1", "2024-03-15 00:10", "2024-03-15 01:00", 30, config)
    assert [landing.tag for landing in window_landings(config, window)] == [
        "2024-03-14",
        "2024-03-15",
    ]


def _parse(argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_only_options_given_on_the_command_line_become_overrides():
    args = _parse(["nightly", "--date", "2024-03-15", "--grace-minutes", "5", "--store", "s.db"])
    assert overrides_of(args) == {"grace_minutes": 5, "store": "s.db"}
    assert overrides_of(args, absolute_store=True)["store"] == str(Path("s.db").resolve())


def test_incident_command_takes_id_window_and_margin():
    window = ["--start", "2024-03-15T11:20", "--end", "2024-03-15T11:30"]
    args = _parse(
        ["incident", "--id", "INC-9", *window, "--margin", "45", "--config", "recon.toml"]
    )
    assert (args.incident_id, args.start, args.margin, args.config) == (
        "INC-9",
        "2024-03-15T11:20",
        45,
        Path("recon.toml"),
    )


def test_incident_window_ending_before_it_starts_fails_before_prefect_starts():
    args = _parse(
        ["incident", "--id", "INC-9", "--start", "2024-03-15T12:00", "--end", "2024-03-15T11:00"]
    )
    with pytest.raises(ConfigError, match="before --start"):
        args.handler(args)


def test_a_bad_business_date_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        _parse(["nightly", "--date", "2024-02-30"])
    assert "not a date YYYY-MM-DD" in capsys.readouterr().err


def test_the_flow_commands_do_not_import_prefect_until_run():
    code = "import sys, flows.cli; print('prefect' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_only_a_transient_error_is_retried():
    late = Failed(data=ExtractNotReadyError({"landing/2024-03-15": ["ledger"]}))
    assert only_transient(None, None, late) is True
    assert only_transient(None, None, Failed(data=ConfigError("bad landing"))) is False
    assert only_transient(None, None, Completed(data=1)) is False


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("recon-nightly", "findings"), "recon-nightly-findings"),
        (("incident", "INC_7/a"), "incident-inc-7-a"),
    ],
)
def test_artifact_keys_are_lowercase_dashes(parts, key):
    assert artifact_key(*parts) == key


@pytest.fixture
def exceptions(con):
    con.execute(
        """
        CREATE TABLE exceptions AS SELECT * FROM (VALUES
            ('EX-1', 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'T1', 'C1', 10.00::DECIMAL(18,2),
             'CNY', 'POST_CREDIT_OR_REVERSE', 'run-1'),
            ('EX-2', 'HALF_COMPLETED', 'DEBIT_WITHOUT_CREDIT', 'T2', 'C2', 900.50::DECIMAL(18,2),
             'CNY', 'POST_CREDIT_OR_REVERSE', 'run-2'),
            ('EX-3', 'INVOICE', 'MISSING', 'T3', NULL, 55.00::DECIMAL(18,2),
             'CNY', 'ISSUE_INVOICE', 'run-2'))
        AS t(exception_id, type, subtype, txn_ref, customer_id, amount, currency,
             proposed_action, first_seen_run)
        """
    )
    return con


def test_counts_by_subtype_tell_open_and_new(exceptions):
    assert counts_by_subtype(exceptions, "run-2") == [
        {"type": "HALF_COMPLETED", "subtype": "DEBIT_WITHOUT_CREDIT", "open": 2, "new": 1},
        {"type": "INVOICE", "subtype": "MISSING", "open": 1, "new": 1},
    ]


def test_largest_cases_come_first_with_exact_amounts(exceptions):
    cases = largest_cases(exceptions, limit=2)
    assert [(c["exception_id"], c["amount"]) for c in cases] == [
        ("EX-2", "900.50"),
        ("EX-3", "55.00"),
    ]


def test_summary_markdown_names_the_run_the_counts_and_the_largest_case(exceptions):
    run = RunInfo(
        run_id="run-2",
        started_at=datetime(2024, 3, 16, 2, tzinfo=UTC),
        cutoff=datetime(2024, 3, 16, tzinfo=UTC),
        data_dir="runs/run-2/data",
        counts=MappingProxyType({"ledger": SourceCounts(10, 9, 1, 0)}),
    )
    outcome = StoreOutcome("run-2", new=("EX-2", "EX-3"), still_open=("EX-1",), open_total=3)
    result = RunResult(
        "run-2",
        ExitCode.FINDINGS,
        Path("runs/run-2/out"),
        RunSummary(run, datetime(2024, 3, 16, 2, 1, tzinfo=UTC), outcome),
        {"report.html": Path("runs/run-2/out/report.html")},
    )
    text = summary_markdown(
        "Nightly 2024-03-15",
        result,
        largest_cases(exceptions, mask=False),
        [{"currency": "CNY", "compensation": Decimal("1.25"), "customers": 2}],
    )
    assert "**3 open findings**: 2 new, 0 reopened, 1 still open; 0 healed" in text
    assert "| ledger | 10 | 9 | 1 | 0 |" in text
    assert "| EX-2 | HALF_COMPLETED / DEBIT_WITHOUT_CREDIT | T1" not in text
    assert "| EX-2 | HALF_COMPLETED / DEBIT_WITHOUT_CREDIT | T2 | C2 | 900.50 CNY" in text
    assert "Compensation proposed: CNY 1.25 to 2 customer(s)." in text
    assert "runs/run-2/out/report.html" in text


def test_nightly_deployment_runs_at_two_in_the_configured_zone_and_incident_on_demand():
    from flows.deploy import build_deployments

    nightly, incident = build_deployments(
        timezone="Asia/Shanghai",
        config_path="/etc/recon/recon.toml",
        overrides={"store": "/var/recon/recon.duckdb"},
        runs_dir="/var/recon/runs",
        cron="0 2 * * *",
    )
    (schedule,) = nightly.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")
    assert incident.schedules == []
    assert (nightly.entrypoint, incident.entrypoint) == (
        "flows.nightly.nightly",
        "flows.incident_rerun.incident_rerun",
    )
    assert incident.parameters == {
        "config_path": "/etc/recon/recon.toml",
        "overrides": {"store": "/var/recon/recon.duckdb"},
        "runs_dir": "/var/recon/runs",
    }


def _late(location: str = "/data/landing/2024-03-16") -> Failed:
    return Failed(data=ExtractNotReadyError({location: ["ledger", "gateway"]}))


def test_a_late_pull_says_where_it_looks_and_when_it_tries_again():
    lines: list[str] = []
    started = datetime(2024, 3, 16, 2, 0, tzinfo=UTC)
    retry = retry_while_late(PullPolicy(3600, 300), started, "Asia/Shanghai", say=lines.append)
    assert retry(None, SimpleNamespace(run_count=2), _late()) is True
    (line,) = lines
    head, when = line.split("; next attempt at ")
    assert head == (
        "waiting for extracts: /data/landing/2024-03-16 has no ledger, gateway extract"
        " (attempt 2 of 13)"
    )
    shanghai = ZoneInfo("Asia/Shanghai")
    next_at = datetime.fromisoformat(when.split(" Asia/Shanghai,")[0]).replace(tzinfo=shanghai)
    assert timedelta(seconds=290) < next_at - datetime.now(UTC) <= timedelta(seconds=300)
    assert when.endswith(", deadline 2024-03-16 11:00:00 Asia/Shanghai")


def test_a_pull_error_that_is_not_transient_is_neither_retried_nor_announced():
    lines: list[str] = []
    retry = retry_while_late(PullPolicy(60, 30), datetime.now(UTC), "UTC", say=lines.append)
    assert retry(None, SimpleNamespace(run_count=1), Failed(data=ConfigError("bad"))) is False
    assert lines == []


def test_a_relative_landing_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExtractNotReadyError) as info:
        pull_extracts([Landing("landing/2024-03-16")], tmp_path / "data")
    assert f"{tmp_path}/landing/2024-03-16 has no ledger, channel, gateway extract" in str(
        info.value
    )
