"""Provider values made canonical: each rule on one value you can check by eye."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon.ingest.formats.cells import (
    fen_to_yuan,
    iso_timestamp,
    mangled_id,
    money_text,
    rounded_fee,
)


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [("¥28.16", "28.16"), ("￥1,234.50", "1234.50"), ("16.54元", "16.54"), ("abc", "abc")],
)
def test_money_text_drops_currency_marks_and_thousands_commas(given_text, expected):
    assert money_text(given_text) == expected


def test_an_amount_in_fen_becomes_yuan():
    assert fen_to_yuan("000000476800") == "4768.00"


def test_an_amount_in_fen_that_is_not_an_integer_is_left_for_quarantine():
    assert fen_to_yuan("47.68") == "47.68"


@pytest.mark.parametrize(
    ("fee", "expected"),
    [("0.00006", "0.00"), ("0.605", "0.61"), ("0.60499", "0.60"), ("1.5", "1.5"), ("x", "x")],
)
def test_a_fee_with_more_than_two_decimals_is_rounded_half_up_to_the_cent(fee, expected):
    assert rounded_fee(fee) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-28 17:07:11", "2021-01-28T17:07:11+08:00"),
        ("2016/5/4 2:18", "2016-05-04T02:18:00+08:00"),
        ("20150906112203", "2015-09-06T11:22:03+08:00"),
        ("yesterday", "yesterday"),
    ],
)
def test_provider_times_become_iso_with_the_providers_offset(text, expected):
    assert iso_timestamp(text, "+08:00") == expected


@pytest.mark.parametrize("text", ["4.00934E+27", "2.00123e+27", "1E+35", " 4.0E+15 "])
def test_an_id_in_scientific_notation_was_mangled_by_a_spreadsheet(text):
    assert mangled_id(text)


@pytest.mark.parametrize("text", ["4200000925202101284997714292", "S2021E12", "E+27", "1.5"])
def test_an_ordinary_id_is_not_taken_for_a_mangled_one(text):
    assert not mangled_id(text)


@given(st.decimals(min_value=0, max_value=10**9, places=5, allow_nan=False))
def test_a_rounded_fee_is_exact_and_within_half_a_cent(value):
    rounded = Decimal(rounded_fee(str(value)))
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded.as_tuple().exponent >= -5
