"""A posting's reversal_of names the posting it reverses: "opposite direction, same amount"
(CONTRACT.md, ledger). One that names a posting of the extract it does not mirror is a bad
value: taken as a reversal it would settle a whole debit (or hide a second debit) silently.
"""

from __future__ import annotations

import pytest

from .helpers import column, extracts, ledger_row, load, quarantine

REASON = (
    "reversal_of names a posting this one does not mirror (a reversal has the opposite"
    " direction and the same amount and currency)"
)
DEBIT = ledger_row("E5", amount="200.00")


@pytest.mark.parametrize(
    "reversal",
    [
        ledger_row("E6", direction="C", amount="50.00", reversal_of="E5"),  # partial
        ledger_row("E6", direction="D", amount="200.00", reversal_of="E5"),  # same direction
        ledger_row("E6", direction="C", amount="200.00", currency="USD", reversal_of="E5"),
        ledger_row("E6", direction="C", amount="200.00", reversal_of="E6"),  # itself
    ],
    ids=["partial", "same-direction", "other-currency", "itself"],
)
def test_a_reversal_that_does_not_mirror_its_posting_is_quarantined(con, tmp_path, reversal):
    result = load(con, extracts(tmp_path, ledger=[DEBIT, reversal]))

    assert quarantine(con) == [("ledger.csv", 3, "reversal_of", reversal.split(",")[-1], REASON)]
    assert column(con, "ledger", "entry_id") == ["E5"]
    assert result.counts["ledger"].quarantined == 1


def test_a_reversal_that_mirrors_its_posting_is_kept(con, tmp_path):
    mirror = ledger_row("E6", direction="C", amount="200.00", reversal_of="E5")

    load(con, extracts(tmp_path, ledger=[DEBIT, mirror]))

    assert quarantine(con) == []
    assert column(con, "ledger", "entry_id") == ["E5", "E6"]


def test_a_reversal_of_a_posting_not_in_the_extract_is_kept(con, tmp_path):
    """Yesterday's posting cannot be compared here: the reversal stands as the ledger says."""
    late = ledger_row("E6", direction="C", amount="50.00", reversal_of="E0")

    load(con, extracts(tmp_path, ledger=[DEBIT, late]))

    assert quarantine(con) == []


def test_the_posting_compared_is_the_one_that_kept_its_entry_id(con, tmp_path):
    """A conflicting second E5 (quarantined) is not what E6 reverses: the first E5 is."""
    clash = ledger_row("E5", amount="50.00", posted_at="2024-03-15T11:00:00Z")
    reversal = ledger_row("E6", direction="C", amount="200.00", reversal_of="E5")

    load(con, extracts(tmp_path, ledger=[DEBIT, clash, reversal]))

    assert [(line, col) for _, line, col, _, _ in quarantine(con)] == [(3, "entry_id")]
