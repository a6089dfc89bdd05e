"""The approval limit (the store's, `recon approvals set`, and a config's `[approvals]
admin_above`): above this amount only an admin decides a proposal; the lower one wins."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from recon.config import ApprovalPolicy, config_from_mapping
from recon.errors import ConfigError, PermissionDenied, StoreError
from recon.store.approval_limit import approval_limit, set_approval_limit
from recon.store.audit import LogFilter, audit_log, verify_store
from recon.store.proposals import approve, propose
from recon.store.proposals_cli import main

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
        PermissionDenied, match=re.escape("above the approval limit 50.00: only an admin")
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


# --- the store's limit: every path applies it, whatever config it was given ---------------


def test_the_stores_limit_applies_when_no_thresholds_are_given(store, proposal):
    add_user(store, "dora", "admin")
    add_user(store, "bob", "analyst")
    add_user(store, "carol", "approver")
    set_approval_limit(store, "50.00", actor="dora")
    with pytest.raises(PermissionDenied, match=re.escape("above the approval limit 50.00")):
        approve(store, proposal, actor="carol")


@pytest.mark.parametrize(("stored", "given"), [("50.00", "1000.00"), ("1000.00", "50.00")])
def test_the_lower_of_the_stores_and_the_callers_limit_wins(store, proposal, stored, given):
    add_user(store, "dora", "admin")
    add_user(store, "bob", "analyst")
    add_user(store, "carol", "approver")
    set_approval_limit(store, stored, actor="dora")
    given_policy = ApprovalPolicy(admin_above=Decimal(given))
    with pytest.raises(PermissionDenied, match=re.escape("above the approval limit 50.00")):
        approve(store, proposal, actor="carol", thresholds=given_policy)


def test_only_an_admin_sets_the_limit(store, proposal):
    add_user(store, "dora", "admin")
    add_user(store, "carol", "approver")
    with pytest.raises(PermissionDenied, match="carol \\(approver\\) may not set the approval"):
        set_approval_limit(store, "1.00", actor="carol")
    assert approval_limit(store).admin_above is None


def test_setting_the_limit_is_recorded_in_the_audit_chain(store, proposal):
    add_user(store, "dora", "admin")
    set_approval_limit(store, "50000", actor="dora")
    set_approval_limit(store, None, actor="dora")
    events = audit_log(store, LogFilter(action="APPROVAL_LIMIT_SET")).to_dicts()
    assert [(e["actor"], e["from_status"], e["to_status"]) for e in events] == [
        ("dora", None, "50000.00"),
        ("dora", "50000.00", "none"),
    ]
    assert verify_store(store).intact
    assert approval_limit(store).admin_above is None


@pytest.mark.parametrize("value", ["lots", "-1", "12.345", "Infinity"])
def test_a_limit_that_is_not_money_is_refused(store, value):
    with pytest.raises(StoreError, match="the approval limit must be an amount of money"):
        set_approval_limit(store, value, actor="anyone")


def test_the_cli_without_config_still_applies_the_stores_limit(store, proposal, capsys):
    """Forgetting --config used to let an approver decide any amount."""
    add_user(store, "dora", "admin")
    add_user(store, "bob", "analyst")
    add_user(store, "carol", "approver")
    assert main(["approvals", "set", "50.00", "--store", str(store), "--actor", "dora"]) == 0
    code = main(["corrections", "approve", proposal, "--store", str(store), "--actor", "carol"])
    assert code == 2
    assert "above the approval limit 50.00: only an admin" in capsys.readouterr().err
    assert main(["approvals", "show", "--store", str(store)]) == 0
    assert "the store's approval limit: 50.00" in capsys.readouterr().out
