"""Exact duplicates are dropped and counted; a key seen again with other content is a
conflicting duplicate: the first row in file order keeps it."""

from __future__ import annotations

from decimal import Decimal

from .helpers import LEDGER, column, extracts, ledger_row, load, quarantine, write_lines


def test_an_exact_duplicate_in_the_same_file_is_dropped_and_counted(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), ledger_row("E2"), ledger_row("E1")])

    result = load(con, data)

    assert column(con, "ledger", "_line") == [2, 3]
    assert quarantine(con) == []
    assert result.counts["ledger"].exact_duplicates == 1


def test_an_exact_duplicate_in_a_later_file_of_the_source_is_dropped(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), ledger_row("E2")])
    write_lines(data / "ledger_part2.csv", LEDGER, [ledger_row("E2"), ledger_row("E3")])

    result = load(con, data)

    assert con.sql("SELECT entry_id, _file, _line FROM ledger ORDER BY entry_id").fetchall() == [
        ("E1", str(data / "ledger.csv"), 2),
        ("E2", str(data / "ledger.csv"), 3),
        ("E3", str(data / "ledger_part2.csv"), 3),
    ]
    counts = result.counts["ledger"]
    assert (counts.read, counts.valid, counts.exact_duplicates) == (4, 3, 1)


def test_same_content_is_compared_after_parsing(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", amount="1,234.50", posted_at="2024-03-15T10:00:00Z"),
            ledger_row("E1", amount="1234.5", posted_at="2024-03-15 18:00:00+08:00"),
        ],
    )

    result = load(con, data, {"thousands_separator": ","})

    assert result.counts["ledger"].exact_duplicates == 1


def test_a_key_seen_again_with_other_content_keeps_the_first_and_quarantines_the_later(
    con, tmp_path
):
    data = extracts(tmp_path, ledger=[ledger_row("E1", amount="10.00")])
    write_lines(data / "ledger_b.csv", LEDGER, [ledger_row("E1", amount="99.00")])

    result = load(con, data)

    assert column(con, "ledger", "amount") == [Decimal("10.00")]
    ((name, line, col, value, reason),) = quarantine(con)
    assert (name, line, col, value) == ("ledger_b.csv", 2, "entry_id", "E1")
    assert (
        reason == "conflicting duplicate key: an earlier row has this entry_id with other content"
    )
    assert result.counts["ledger"].quarantined == 1


def test_a_duplicated_bad_row_is_quarantined_once_and_counted_once_as_duplicate(con, tmp_path):
    bad = ledger_row("E2", amount="oops")
    data = extracts(tmp_path, ledger=[ledger_row("E1"), bad, bad])

    result = load(con, data)

    assert [q[1] for q in quarantine(con)] == [3]
    counts = result.counts["ledger"]
    assert (counts.read, counts.valid, counts.quarantined, counts.exact_duplicates) == (3, 1, 1, 1)


def test_a_conflicting_key_and_its_own_exact_copy(con, tmp_path):
    later = ledger_row("E1", amount="99.00")
    data = extracts(tmp_path, ledger=[ledger_row("E1"), later, later])

    result = load(con, data)

    assert [q[1] for q in quarantine(con)] == [3]
    counts = result.counts["ledger"]
    assert (counts.valid, counts.quarantined, counts.exact_duplicates) == (1, 1, 1)


def test_files_are_read_in_name_order(con, tmp_path):
    data = extracts(tmp_path)
    write_lines(data / "ledger_b.csv", LEDGER, [ledger_row("E1", amount="2.00")])
    write_lines(data / "ledger_a.csv", LEDGER, [ledger_row("E1", amount="1.00")])

    load(con, data)

    assert column(con, "ledger", "_file") == [str(data / "ledger_a.csv")]
