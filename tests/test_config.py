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
        ('timezone = "Mars/Olympus"\n', "timezone 'Mars/Olympus' is not a known time zone"),
        ('encoding = "klingon"\n', "encoding 'klingon' is not a known encoding"),
        ("grace_minutes = -1\n", "grace_minutes must not be negative"),
        ('cutoff = "yesterday"\n', "cutoff: not an ISO 8601 timestamp"),
        ('cutoff = "2024-03-16"\n', "cutoff: a date alone is not a timestamp"),
        ("cutoff = 2024-03-16\n", "cutoff: a date alone is not a timestamp"),
        ('cutoff = "2024-03-16T00:00:00+15:00"\n', "cutoff: an offset beyond ±14:00"),
        ('[sources.ledgers]\nencoding = "utf-8"\n', "unknown source"),
        ("max_bad_ratio = 2\n", "max_bad_ratio must be between 0 and 1"),
        ("grace_minutes = \n", "not valid TOML"),
    ],
)
def test_a_bad_config_names_the_file_and_the_problem(tmp_path, text, fragment):
    with pytest.raises(ConfigError, match=fragment) as info:
        load_config(write(tmp_path, text))
    assert "recon.toml" in str(info.value)


def test_a_bad_value_from_the_file_names_the_file_and_the_key(tmp_path):
    path = write(tmp_path, 'timezone = "Asia/Shanghai"\ncutoff = "yesterday"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: cutoff: not an ISO 8601 timestamp: 'yesterday'"


def test_a_bad_option_names_the_flag_not_the_file(tmp_path):
    path = write(tmp_path, 'cutoff = "2024-03-16T00:00:00Z"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, cutoff="yesterday")
    assert str(info.value) == "--cutoff: not an ISO 8601 timestamp: 'yesterday'"


def test_a_bad_option_names_its_flag_before_the_problem(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, ""), grace_minutes=-3)
    assert str(info.value) == "--grace-minutes must not be negative, got -3"


def test_a_zone_duckdb_does_not_know_is_refused_up_front(tmp_path):
    """`posixrules` is a file in Python's zone database but not a zone DuckDB can use."""
    with pytest.raises(ConfigError, match=r"recon\.toml: timezone .posixrules. is not a time zone"):
        load_config(write(tmp_path, 'timezone = "posixrules"\n'))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York", "Etc/GMT-8"])
def test_common_zones_are_accepted(tmp_path, zone):
    assert load_config(write(tmp_path, f'timezone = "{zone}"\n')).timezone == zone


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(tmp_path, codec):
    with pytest.raises(ConfigError, match=f"encoding '{codec}' is a .* not a text encoding"):
        load_config(write(tmp_path, f'encoding = "{codec}"\n'))


def test_a_source_encoding_that_is_not_text_names_the_source(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, '[sources.gateway]\nencoding = "base64"\n'))
    assert "recon.toml: [sources.gateway] encoding 'base64' is a base64 codec" in str(info.value)


@pytest.mark.parametrize("codec", ["idna", "punycode", "unicode_escape"])
def test_a_text_codec_that_is_no_file_encoding_is_refused(tmp_path, codec):
    with pytest.raises(ConfigError, match="not a character encoding of files"):
        load_config(write(tmp_path, f'encoding = "{codec}"\n'))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32", "gb18030", "latin-1"])
def test_character_encodings_recon_transcodes_are_accepted(tmp_path, codec):
    assert load_config(write(tmp_path, f'encoding = "{codec}"\n')).encoding == codec


@pytest.mark.parametrize(
    "template",
    [
        "landing/{date.__class__.__mro__}",
        "landing/{date!r}",
        "landing/{day}",
        "landing/{date.year}",
        "landing/{date[0]}",
        "landing/{}",
        "landing/{0}",
        "landing/{date:{fmt}}",
        "landing/{date:%Y%Q}",
        "landing/{",
        "../landing/{date}",
        "landing/{date}/../secrets",
        "s3://bank/../{date}",
    ],
)
def test_a_landing_template_may_only_name_the_date(tmp_path, template):
    with pytest.raises(ConfigError, match=r"recon\.toml: landing"):
        load_config(write(tmp_path, f"landing = '{template}'\n"))


@pytest.mark.parametrize(
    "template",
    [
        "landing/{date}",
        "/data/in/{date:%Y%m%d}",
        "s3://bank/{date:%Y/%m/%d}",
        "memory://in/{date}",
        "landing/{date:%Y-%m-%d}_100%%",
        "landing/fixed",
    ],
)
def test_date_landing_templates_are_accepted(tmp_path, template):
    assert load_config(write(tmp_path, f"landing = '{template}'\n")).landing == template


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1KB", "below the minimum of 64MB"),
        ("63MB", "below the minimum of 64MB"),
        ("2 gigs", "is not a size"),
        ("1000", "is not a size"),
        ("-1GB", "is not a size"),
        ("0%", "more than 0%"),
        ("150%", "at most 100%"),
    ],
)
def test_a_memory_limit_must_be_a_sane_size(tmp_path, value, fragment):
    with pytest.raises(ConfigError, match=f"recon.toml: memory_limit '{value}' .*{fragment}"):
        load_config(write(tmp_path, f'memory_limit = "{value}"\n'))


@pytest.mark.parametrize("value", ["64MB", "2GB", "1.5GB", "512MiB", "2 GiB", "1tb", "50%"])
def test_memory_limits_duckdb_takes_are_accepted(tmp_path, value):
    assert load_config(write(tmp_path, f'memory_limit = "{value}"\n')).memory_limit == value


def test_the_working_database_is_in_memory_on_disk_or_chosen_by_size(tmp_path):
    assert load_config(write(tmp_path, "")).working_db == "auto"
    assert load_config(write(tmp_path, 'working_db = "disk"\n')).working_db == "disk"
    with pytest.raises(ConfigError, match="working_db 'ram' must be one of auto, memory, disk"):
        load_config(write(tmp_path, 'working_db = "ram"\n'))


def test_threads_must_be_at_least_one(tmp_path):
    with pytest.raises(ConfigError, match=r"recon\.toml: threads must be at least 1, got 0"):
        load_config(write(tmp_path, "threads = 0\n"))


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


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("min_date", "someday", "--min-date must be a date YYYY-MM-DD, got 'someday'"),
        ("memory_limit", "1KB", "--memory-limit '1KB' is below the minimum of 64MB"),
        ("threads", 0, "--threads must be at least 1, got 0"),
        ("encoding", "rot13", "--encoding 'rot13' is a rot-13 codec, not a text encoding"),
    ],
)
def test_every_checked_option_is_blamed_on_its_flag(tmp_path, key, value, line):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, ""), **{key: value})
    assert str(info.value).startswith(line)
