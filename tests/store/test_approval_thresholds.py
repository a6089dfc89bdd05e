"""`[approvals] admin_above`: above this amount only an admin decides a proposal."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from recon.config import ApprovalPolicy, config_from_mapping
from recon.errors import ConfigError, PermissionDenied
from recon.store.proposals import approve, propose

from .builders import F
from .remedy_builders import add_user, run_with_remedies

ABOVE_50 = ApprovalPolicy(admin_above=Decimal("50.00"))


@pytest.fixture
def proposal(store):
    """A PROPOSED correction of 100.00 CNY, made by bob."""
    run_with_remedies(store, 1, [F("T1")], action="REVERSE_DEBIT")
    return propose(store, "EX-DEBI-T1", "CORRECTION", actor="bob").proposal_id


def test_admin_above_is_read_as_money_from_the_approvals_table():
    config = config_from_mapping({"approvals": {"admin_above": "50000.00"}})
    assert config.approvals == ApprovalPolicy(admin_above=Decimal("50000.00"))


def test_without_the_table_any_approver_decides_any_amount():
    assert config_from_mapping({}).approvals.admin_above is None


@pytest.mark.parametrize("value", ["lots", "-1", "12.345", True])
def test_a_bad_admin_above_is_an_error_naming_the_key(value):
    with pytest.raises(ConfigError, match=r"recon.toml: \[approvals\] admin_above must be"):
        config_from_mapping({"approvals": {"admin_above": value}}, origin="recon.toml")


def test_above_the_threshold_an_approver_is_refused(store, proposal):
    add_user(store, "bob", "analyst")
    add_user(store, "carol", "approver")
    with pytest.raises(
        PermissionDenied, match=re.escape("above [approvals] admin_above 50.00: only an admin")
    ):
        approve(store, proposal, actor="carol", thresholds=ABOVE_50)


def test_above_the_threshold_an_admin_approves(store, proposal):
    add_user(store, "bob", "analyst")
    add_user(store, "dora", "admin")
    assert approve(store, proposal, actor="dora", thresholds=ABOVE_50).state == "APPROVED"


def test_at_the_threshold_an_approver_approves(store, proposal):
    add_user(store, "bob", "analyst")
    add_user(store, "carol", "approver")
    at_100 = ApprovalPolicy(admin_above=Decimal("100.00"))
    assert approve(store, proposal, actor="carol", thresholds=at_100).state == "APPROVED"


def test_on_a_store_without_users_nobody_approves_above_the_threshold(store, proposal):
    with pytest.raises(PermissionDenied, match="this store has no users to say who is"):
        approve(store, proposal, actor="carol", thresholds=ABOVE_50)
