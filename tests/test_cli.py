"""The CLI is a thin skin: every config override maps to a config key, and --help works."""

from __future__ import annotations

import dataclasses

import pytest

from recon.cli import CONFIG_OPTIONS, build_parser, config_from_args
from recon.config import Config

NOT_ON_COMMAND_LINE = {
    "clearing_accounts",
    "currency_aliases",
    "sources",
    "compensation",
    "sla",
    "landing",
    "pull_deadline_minutes",
    "pull_retry_seconds",
}


def test_every_scalar_config_key_has_a_command_line_option():
    keys = {f.name for f in dataclasses.fields(Config)} - NOT_ON_COMMAND_LINE
    assert {opt.key for opt in CONFIG_OPTIONS} == keys


def test_run_options_reach_the_config(tmp_path):
    args = build_parser().parse_args(
        [
            "run",
            "--data-dir",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "--grace-minutes",
            "7",
            "--cutoff",
            "2024-03-16T00:00:00Z",
            "--memory-limit",
            "1GB",
        ]
    )
    config = config_from_args(args)
    assert config.grace_minutes == 7
    assert config.memory_limit == "1GB"
    assert config.cutoff.isoformat() == "2024-03-16T00:00:00+00:00"


@pytest.mark.parametrize("command", [[], ["run"]])
def test_help_is_available(command, capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([*command, "--help"])
    assert info.value.code == 0
    assert "usage: recon" in capsys.readouterr().out
