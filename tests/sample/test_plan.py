"""Pure parts of the generator: dealing artefacts over sources, the slot layout, the CLI."""

from __future__ import annotations

import argparse
from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recon.errors import ConfigError
from recon.sample.artefacts import SOURCES, spread
from recon.sample.cli import register, renames
from recon.sample.plan import GenerationSpec, plan_slots, rate_fraction


@given(st.integers(min_value=0, max_value=10_000))
def test_spread_deals_every_artefact_once_and_evenly(total: int) -> None:
    dealt = spread(total)
    assert sum(dealt.values()) == total
    assert max(dealt.values()) - min(dealt.values()) <= 1
    assert list(dealt) == list(SOURCES)


def test_spread_gives_the_remainder_to_the_ledger_first() -> None:
    assert spread(6) == {"ledger": 2, "channel": 2, "gateway": 1, "invoices": 1}


@given(st.integers(min_value=200, max_value=50_000_000))
def test_outage_slots_are_whole_cycles_between_normal_traffic(transfers: int) -> None:
    layout = plan_slots(
        GenerationSpec(transfers=transfers, seed=1, business_date=date(2024, 3, 15)), 45
    )
    assert (layout.b - layout.a) % 45 == 0
    assert layout.b - layout.a >= 3 * 45
    assert 10 <= layout.a < layout.b <= transfers - 10


def test_outage_sits_at_its_local_start_time() -> None:
    spec = GenerationSpec(
        transfers=1000, seed=1, business_date=date(2024, 3, 15), outage_start=time(9, 0),
        timezone="Asia/Shanghai",
    )  # fmt: skip
    layout = plan_slots(spec, 45)
    assert layout.pre_ms == 9 * 3600 * 1000
    assert layout.cutoff.isoformat() == "2024-03-16T00:00:00+08:00"


def test_rate_fraction_is_exact() -> None:
    assert rate_fraction(Decimal("0.05")) == (1, 20)
    assert rate_fraction(Decimal("0.0365")) == (73, 2000)


def test_generate_command_parses_its_options(tmp_path) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["generate", "--out", str(tmp_path), "--transfers", "500", "--format", "parquet",
         "--date", "2024-05-01", "--parts", "2", "--bad-rows", "3", "--duplicates", "4"]
    )  # fmt: skip
    assert (args.transfers, args.format, args.date, args.parts) == (
        500,
        "parquet",
        date(2024, 5, 1),
        2,
    )
    assert (args.bad_rows, args.duplicates) == (3, 4)
    assert callable(args.handler)


def test_rename_options_group_by_source() -> None:
    assert renames(["gateway.txn_ref=商户订单号", "gateway.amount=金额", "ledger.amount=amt"]) == {
        "gateway": {"txn_ref": "商户订单号", "amount": "金额"},
        "ledger": {"amount": "amt"},
    }


def test_malformed_rename_option_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"SOURCE\.COLUMN=NAME"):
        renames(["txn_ref=x"])
