"""The config file: defaults from the contract, overrides, and errors a person can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from recon.config import Config, load_config, parse_timestamp
from recon.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_contracts():
    config = load_config(None)
    assert (config.grace_minutes, config.pending_sla_minutes, config.duplicate_window_minutes) == (
        30,
        30,
        10,
    )
    assert config.max_bad_ratio == Decimal("0.01")
    assert config.annual_rate == Decimal("0.05")
    assert config.timezone == "UTC"
    assert config.encoding == "utf-8"
    assert config.cutoff is None


def test_command_line_options_win_over_the_file(tmp_path):
    path = write(tmp_path, 'grace_minutes = 45\ncutoff = "2024-03-16T00:00:00+00:00"\n')
    config = load_config(path, grace_minutes=5, cutoff="2024-03-15T12:00:00Z")
    assert config.grace_minutes == 5
    assert config.cutoff == datetime(2024, 3, 15, 12, tzinfo=UTC)


def test_options_left_unset_keep_the_file_values(tmp_path):
    config = load_config(write(tmp_path, "grace_minutes = 45\n"), grace_minutes=None)
    assert config.grace_minutes == 45


def test_cutoff_without_offset_is_in_the_configured_timezone(tmp_path):
    config = load_config(
        write(tmp_path, 'timezone = "Asia/Shanghai"\ncutoff = "2024-03-16 00:00:00"\n')
    )
    assert config.cutoff.utcoffset() == timedelta(hours=8)
    assert config.cutoff.astimezone(UTC) == datetime(2024, 3, 15, 16, tzinfo=UTC)


def test_a_source_table_overrides_encoding_and_maps_columns(tmp_path):
    path = write(
        tmp_path,
        'encoding = "utf-8"\nthousands_separator = ","\n'
        '[sources.gateway]\nencoding = "gb18030"\n'
        '[sources.gateway.columns]\n"商户订单号" = "txn_ref"\n',
    )
    config = load_config(path)
    gateway, ledger = config.source("gateway"), config.source("ledger")
    assert gateway.encoding == "gb18030"
    assert gateway.thousands_separator == ","  # inherited from the top level
    assert dict(gateway.columns) == {"商户订单号": "txn_ref"}
    assert ledger.encoding == "utf-8"
    assert dict(ledger.columns) == {}


def test_currency_aliases_are_upper_cased(tmp_path):
    config = load_config(write(tmp_path, '[currency_aliases]\nrmb = "cny"\n'))
    assert dict(config.currency_aliases) == {"RMB": "CNY"}


def test_annual_rate_stays_exact_decimal(tmp_path):
    config = load_config(write(tmp_path, 'annual_rate = "0.035"\n'))
    assert config.policy.annual_rate == Decimal("0.035")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("grace_minuts = 5\n", "unknown key"),
        ('timezone = "Mars/Olympus"\n', "unknown timezone"),
        ('encoding = "klingon"\n', "unknown encoding"),
        ("grace_minutes = -1\n", "must not be negative"),
        ('cutoff = "yesterday"\n', "not an ISO 8601 timestamp"),
        ('[sources.ledgers]\nencoding = "utf-8"\n', "unknown source"),
        ("max_bad_ratio = 2\n", "between 0 and 1"),
        ("grace_minutes = \n", "not valid TOML"),
    ],
)
def test_a_bad_config_names_the_file_and_the_problem(tmp_path, text, fragment):
    with pytest.raises(ConfigError, match=fragment) as info:
        load_config(write(tmp_path, text))
    assert "recon.toml" in str(info.value)


def test_a_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_public_scenario_config_loads(public_scenario):
    config = load_config(public_scenario / "recon.toml")
    assert "CLR-CNAPS-01" in config.clearing_accounts
    assert isinstance(config, Config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15T11:20:05", datetime(2024, 3, 15, 11, 20, 5, tzinfo=UTC)),
        ("2024-03-15 11:20:05Z", datetime(2024, 3, 15, 11, 20, 5, tzinfo=UTC)),
        (
            "2024-03-15T11:20:05+08:00",
            datetime(2024, 3, 15, 11, 20, 5, tzinfo=timezone(timedelta(hours=8))),
        ),
    ],
)
def test_timestamps_parse_with_or_without_offset(text, expected):
    assert parse_timestamp(text, "UTC") == expected
