"""Every input row is counted exactly once: valid, quarantined, or dropped as an exact
duplicate; a small model of the contract predicts which, for random mixes of rows."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.db import connect

from .helpers import LEDGER, extracts, ledger_row, load, write_lines

# variants of one row: good ones differ in content, bad ones break a rule or the CSV shape
VARIANTS = {
    "good_a": lambda key: ledger_row(key, amount="10.00"),
    "good_b": lambda key: ledger_row(key, amount="20.00"),
    "bad_amount": lambda key: ledger_row(key, amount="x"),
    "bad_status": lambda key: ledger_row(key, status="LOST"),
    "no_key": lambda key: ledger_row("", txn_ref=key),
    "malformed": lambda key: f"{key},T1,A1",
}

rows_strategy = st.lists(
    st.tuples(st.sampled_from(["E1", "E2", "E3"]), st.sampled_from(sorted(VARIANTS))),
    max_size=14,
)


def expected_fates(rows: list[tuple[str, str]]) -> dict[str, int]:
    """The contract in miniature: duplicates first, then row rules, then key conflicts."""
    seen: set[str] = set()
    taken: set[str] = set()
    fates = {"valid": 0, "quarantined": 0, "exact_duplicates": 0}
    for key, variant in rows:
        text = VARIANTS[variant](key)
        if variant != "malformed" and text in seen:
            fates["exact_duplicates"] += 1
            continue
        seen.add(text)
        if not variant.startswith("good"):
            fates["quarantined"] += 1
        elif key in taken:
            fates["quarantined"] += 1
        else:
            taken.add(key)
            fates["valid"] += 1
    return fates


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=rows_strategy, second=rows_strategy)
def test_every_row_lands_in_exactly_one_bucket(tmp_path_factory, first, second):
    data = extracts(tmp_path_factory.mktemp("data"), ledger=[VARIANTS[v](k) for k, v in first])
    write_lines(data / "ledger_part2.csv", LEDGER, [VARIANTS[v](k) for k, v in second])
    con = connect()
    try:
        counts = load(con, data).counts["ledger"]
        valid = set(con.sql("SELECT _file, _line FROM ledger").fetchall())
        held = set(con.sql("SELECT file, line FROM quarantine").fetchall())
    finally:
        con.close()

    assert counts.read == len(first) + len(second)
    assert counts.balanced
    assert {
        "valid": counts.valid,
        "quarantined": counts.quarantined,
        "exact_duplicates": counts.exact_duplicates,
    } == expected_fates(first + second)
    assert (len(valid), len(held)) == (counts.valid, counts.quarantined)
    assert not valid & held
