"""`[sources.<name>] format = "..."` and its options: checked when the config is read."""

from __future__ import annotations

import pytest

from recon.config import config_from_mapping
from recon.errors import ConfigError


def gateway(**spec: object):
    return config_from_mapping({"sources": {"gateway": spec}}).source("gateway")


def test_a_format_source_carries_its_formats_defaults():
    settings = gateway(format="wechatpay-tradebill")
    assert settings.format == "wechatpay-tradebill"
    assert settings.format_options.strip_prefix == "`"
    assert settings.format_options.source == "gateway"


def test_an_unknown_format_lists_the_known_ones():
    with pytest.raises(ConfigError, match=r"'wechat' is not a known format \(known: .*alipay-bill"):
        gateway(format="wechat")


def test_an_unknown_option_is_named():
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['skiprows'\]"):
        gateway(format="generic", skiprows=2)


def test_an_option_without_a_format_says_a_format_is_needed():
    with pytest.raises(ConfigError, match="need `format`"):
        gateway(skip_rows=2)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("skip_rows", -1, "skip_rows must be a whole number"),
        ("amount_unit", "jiao", "amount_unit must be one of yuan, fen"),
        ("delimiter", "||", "delimiter must be one character"),
        ("footer_required", "yes", "footer_required must be true or false"),
        ("encoding", "klingon", "encoding 'klingon' is not a known encoding"),
        ("utc_offset", "8", "utc_offset must look like '\\+08:00'"),
        ("status_map", {"成功": "DONE"}, r"status_map gives \['DONE'\], not gateway statuses"),
        ("constants", {"curency": "CNY"}, r"constants names unknown gateway column\(s\)"),
        ("columns", {"金额": "amt"}, r"columns names unknown gateway column\(s\) \['amt'\]"),
    ],
)
def test_an_impossible_option_value_is_refused_naming_the_source_and_key(key, value, message):
    with pytest.raises(ConfigError, match=rf"\[sources.gateway\] {message}"):
        gateway(format="generic", **{key: value})


def test_a_mapped_column_replaces_the_formats_own_column_for_it():
    columns = gateway(
        format="wechatpay-tradebill", columns={"应结订单金额": "amount"}
    ).format_options
    assert columns.columns["应结订单金额"] == "amount"
    assert "订单金额" not in columns.columns


def test_a_status_map_is_added_to_the_formats_own():
    options = gateway(format="wechatpay-tradebill", status_map={"CHANGE": "FAILED"}).format_options
    assert (options.status_map["CHANGE"], options.status_map["REFUND"]) == ("FAILED", "REFUNDED")


def test_thousands_separator_does_not_apply_to_a_format():
    with pytest.raises(ConfigError, match="thousands_separator does not apply"):
        gateway(format="generic", thousands_separator=",")


def test_balance_basis_is_a_camt053_option_defaulting_to_the_booking_date():
    assert gateway(format="camt053").format_options.balance_basis == "booking"
    assert gateway(format="camt053", balance_basis="value").format_options.balance_basis == "value"


@pytest.mark.parametrize("value", ["valuedate", "Value", "", True])
def test_an_unknown_balance_basis_is_refused_naming_the_allowed_values(value):
    with pytest.raises(
        ConfigError,
        match=r"\[sources.gateway\] balance_basis must be one of 'booking', 'value', got ",
    ):
        gateway(format="camt053", balance_basis=value)


def test_balance_basis_is_refused_for_a_format_whose_files_state_no_balances():
    with pytest.raises(ConfigError, match=r"balance_basis applies only to .*\(camt053\)"):
        gateway(format="camt054", balance_basis="value")
