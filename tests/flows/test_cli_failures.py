"""`recon nightly`, `incident` and `deploy`: whatever fails, one line on stderr and exit 2."""

from __future__ import annotations

import pytest
from prefect.states import Failed

import flows.deploy
import flows.incident_rerun
import flows.nightly
from flows.cli import _report
from recon.cli import main
from recon.errors import ExtractsNotDeliveredError

COMMANDS = {
    "nightly": (flows.nightly, "nightly", ["nightly", "--date", "2024-03-15"]),
    "incident": (
        flows.incident_rerun,
        "incident_rerun",
        ["incident", "--id", "INC-1", "--start", "2024-03-15T11:00Z", "--end", "2024-03-15T12:00Z"],
    ),
    "deploy": (flows.deploy, "check_server", ["deploy"]),
}


def _crash(*_args, **_kwargs):
    raise RuntimeError("Prefect went wrong\nsecond line")


@pytest.fixture
def crashing(monkeypatch, tmp_path):
    """Prefect itself fails inside each command (here: as its temporary server does)."""
    config = tmp_path / "recon.toml"
    config.write_text(f'store = "{tmp_path}/recon.duckdb"\n', encoding="utf-8")

    def command(name: str) -> list[str]:
        module, attribute, argv = COMMANDS[name]
        monkeypatch.setattr(module, attribute, _crash)
        return [*argv, "--config", str(config), "--runs-dir", str(tmp_path / "runs")]

    return command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_crash_inside_prefect_is_one_line_and_exit_2(crashing, capsys, name):
    assert main(crashing(name)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "recon: internal error: RuntimeError: Prefect went wrong (--debug shows the traceback)"
    )


def test_with_debug_a_crash_shows_its_traceback_then_the_line(crashing, capsys):
    assert main([*crashing("nightly"), "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1] == "recon: internal error: RuntimeError: Prefect went wrong"


def test_a_bad_option_stops_the_flow_command_before_prefect_naming_the_flag(capsys, tmp_path):
    assert main(["nightly", "--timezone", "posixrules", "--runs-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "recon: --timezone 'posixrules' is not a time zone DuckDB knows (use an IANA name such as"
        " 'Asia/Shanghai' or 'UTC')\n"
    )


def test_a_flow_run_that_crashed_is_reported_in_one_line(capsys):
    state = Failed(data=KeyError("ledger"), message="Flow run encountered an exception")
    assert _report(state) == 2
    assert capsys.readouterr().err == (
        "recon: internal error: KeyError: 'ledger' (--debug shows the traceback)\n"
    )


def test_a_flow_run_that_could_not_reconcile_says_why(capsys):
    late = ExtractsNotDeliveredError({"/in/2024-03-15": ["ledger"]}, 3, "60 s")
    assert _report(Failed(data=late)) == 2
    assert capsys.readouterr().err == (
        "recon: gave up after 3 attempt(s) over 60 s: /in/2024-03-15 has no ledger extract\n"
    )


def test_a_bad_incident_window_names_its_flag(capsys, tmp_path):
    argv = ["incident", "--id", "INC-1", "--start", "noon", "--end", "2024-03-15T12:00Z"]
    assert main([*argv, "--runs-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "recon: --start: not an ISO 8601 timestamp: 'noon'\n"


def test_a_temporary_server_that_does_not_start_says_what_to_do(monkeypatch, capsys, tmp_path):
    def no_server(**_parameters):
        raise RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.")

    monkeypatch.setattr(flows.nightly, "nightly", no_server)
    assert main(["nightly", "--date", "2024-03-15", "--runs-dir", str(tmp_path)]) == 2
    line = capsys.readouterr().err.splitlines()[-1]
    assert line.startswith("recon: the temporary Prefect server did not start within ")
    assert line.endswith(
        "raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or start a server"
        " (prefect server start) and set PREFECT_API_URL"
    )
