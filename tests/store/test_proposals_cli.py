"""`recon corrections ...` and `recon compensation ...`: the same rule as the library, a
refusal is one line and exit code 2."""

from __future__ import annotations

import json

import pytest

from recon.cli import main

from .builders import F
from .remedy_builders import run_with_remedies


@pytest.fixture
def found(store):
    run_with_remedies(store, 1, [F("T1")], action="REVERSE_DEBIT")
    return store


def recon(store, *argv: str) -> int:
    return main([*argv, "--store", str(store)])


def test_approving_ones_own_correction_exits_2_with_one_line(found, capsys):
    assert recon(found, "corrections", "propose", "EX-DEBI-T1", "--actor", "bob") == 0
    capsys.readouterr()
    assert recon(found, "corrections", "approve", "P-000001", "--actor", "bob") == 2
    out, err = capsys.readouterr()
    assert err == (
        "recon corrections approve: bob proposed P-000001; the approver must be someone else\n"
    )
    assert out == ""


def test_a_compensation_goes_from_proposed_to_posted_through_the_cli(found, capsys):
    assert recon(found, "compensation", "propose", "EX-DEBI-T1", "--actor", "bob") == 0
    assert recon(found, "compensation", "approve", "P-000001", "--actor", "carol") == 0
    assert recon(found, "compensation", "post", "P-000001", "--ref", "PAY-1", "--actor", "bob") == 0
    capsys.readouterr()
    assert recon(found, "compensation", "list", "--state", "all", "--format", "json") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["state"], listed["amount"], listed["posting_ref"], listed["version"]) == (
        "POSTED",
        "0.01",
        "PAY-1",
        3,
    )


def test_a_correction_is_not_decided_through_the_compensation_commands(found, capsys):
    recon(found, "corrections", "propose", "EX-DEBI-T1", "--actor", "bob")
    capsys.readouterr()
    assert recon(found, "compensation", "approve", "P-000001", "--actor", "carol") == 2
    assert "P-000001 is a correction, not a compensation" in capsys.readouterr().err


def test_show_lists_the_suggestions_and_proposals_of_the_exception(found, capsys):
    recon(found, "corrections", "propose", "EX-DEBI-T1", "--actor", "bob")
    capsys.readouterr()
    assert recon(found, "exceptions", "show", "EX-DEBI-T1", "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert [s["suggestion_id"] for s in shown["suggestions"]] == [
        "CR-DEBI-T1-REVERSE_DEBIT",
        "CP-DEBI-T1",
    ]
    assert [(p["proposal_id"], p["state"]) for p in shown["proposals"]] == [
        ("P-000001", "PROPOSED")
    ]
