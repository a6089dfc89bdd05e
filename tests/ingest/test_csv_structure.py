"""Structural damage in a CSV file costs only the physical lines it touches; lines are physical."""

from __future__ import annotations

import pytest

from recon.errors import ConfigError, TooManyBadRows, UnreadableFileError
from recon.ingest import scan

from .helpers import LEDGER, column, extracts, ledger_row, load, quarantine, write_lines

STRAY = "malformed row: unterminated or stray quote"


def test_a_stray_quote_mid_file_costs_its_own_line_only(con, tmp_path):
    damaged = ledger_row("E3").replace(",A1,", ',"A1,')
    rows = [ledger_row("E1"), ledger_row("E2"), damaged, ledger_row("E4"), ledger_row("E5")]
    data = extracts(tmp_path, ledger=rows)

    result = load(con, data)

    assert quarantine(con) == [("ledger.csv", 4, None, damaged, STRAY)]
    assert column(con, "ledger", "entry_id") == ["E1", "E2", "E4", "E5"]
    assert column(con, "ledger", "_line") == [2, 3, 5, 6]
    assert (result.counts["ledger"].read, result.counts["ledger"].quarantined) == (5, 1)


def test_a_quote_that_would_swallow_to_the_end_of_the_file_does_not(con, tmp_path):
    later = [ledger_row(f"E{n}", amount="1.00") for n in range(3, 40)]
    data = extracts(tmp_path, ledger=[ledger_row("E1"), 'E2,"T2,A1,D,5.00,CNY,POSTED', *later])

    result = load(con, data)

    assert [(line, reason) for _, line, _, _, reason in quarantine(con)] == [(3, STRAY)]
    assert column(con, "ledger", "_line") == [2, *range(4, 41)]
    assert result.counts["ledger"].read == 39


def test_the_damaged_line_counts_against_max_bad_ratio(con, tmp_path):
    later = [ledger_row(f"E{n}") for n in range(3, 60)]
    data = extracts(tmp_path, ledger=[ledger_row("E1"), 'E2,"T2,A1', *later])

    with pytest.raises(TooManyBadRows, match=r"^ledger: 1 of 59 rows quarantined"):
        load(con, data, {"max_bad_ratio": "0.01"})


def test_a_legal_multi_line_quoted_field_keeps_later_lines_physical(con, tmp_path):
    header = LEDGER + ",note"
    rows = [
        ledger_row("E1") + ",plain",
        ledger_row("E2") + ',"first line\nsecond line\nthird, with a comma"',
        ledger_row("E3") + ",plain",
        "E4,too,few",
        ledger_row("E5") + ",plain",
    ]
    data = extracts(tmp_path)
    write_lines(data / "ledger.csv", header, rows)

    result = load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1", "E2", "E3", "E5"]
    assert column(con, "ledger", "_line") == [2, 3, 6, 8]
    ((_, line, _, value, reason),) = quarantine(con)
    assert (line, value, reason) == (7, "E4,too,few", "malformed row: too few fields")
    assert result.counts["ledger"].read == 5  # the three-line record is one row


def test_a_record_spanning_too_many_lines_is_quarantined_line_by_line(con, tmp_path):
    header = LEDGER + ",note"
    note = "\n".join(f"note line {n}" for n in range(1, 15))
    rows = [ledger_row("E1") + ",x", ledger_row("E2") + f',"{note}"', ledger_row("E3") + ",x"]
    data = extracts(tmp_path)
    write_lines(data / "ledger.csv", header, rows)

    result = load(con, data)

    held = quarantine(con)
    assert [line for _, line, _, _, _ in held] == list(range(3, 17))
    assert held[0][4] == STRAY
    assert column(con, "ledger", "_line") == [2, 17]
    assert result.counts["ledger"].read == 2 + 14


def test_mixed_lf_and_crlf_line_ends_are_read_with_physical_lines(con, tmp_path):
    data = extracts(tmp_path)
    body = f"{LEDGER}\n{ledger_row('E1')}\r\n{ledger_row('E2')}\n\r\n{ledger_row('E4')}\n"
    (data / "ledger.csv").write_bytes(body.encode())

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1", "E2", "E4"]
    assert column(con, "ledger", "_line") == [2, 3, 5]
    assert column(con, "ledger", "reversal_of") == [None, None, None]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_a_file_with_another_delimiter_is_read_through_its_header(con, tmp_path, delimiter):
    data = extracts(tmp_path)
    rows = [ledger_row("E1").replace(",", delimiter), ledger_row("E2").replace(",", delimiter)]
    write_lines(data / "ledger.csv", LEDGER.replace(",", delimiter), rows)

    load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1", "E2"]
    assert quarantine(con) == []


def test_a_configured_delimiter_is_used(con, tmp_path):
    data = extracts(tmp_path)
    write_lines(data / "ledger.csv", LEDGER.replace(",", ";"), [ledger_row("E1").replace(",", ";")])

    load(con, data, {"sources": {"ledger": {"delimiter": ";"}}})

    assert column(con, "ledger", "entry_id") == ["E1"]


def test_a_header_read_as_one_column_holding_semicolons_names_the_delimiter(con, tmp_path):
    data = extracts(tmp_path)
    write_lines(data / "ledger.csv", LEDGER.replace(",", ";"), [ledger_row("E1").replace(",", ";")])

    with pytest.raises(UnreadableFileError, match=r'delimiter is wrong; set delimiter = ";"'):
        load(con, data, {"delimiter": ","})


@pytest.mark.parametrize(
    ("data", "bare_cr", "mixed"),
    [
        (b"h\nx\n", False, False),
        (b"h\r\nx\r\n", False, False),
        (b"h\nx\r\n", False, True),
        (b"h\rx\n", True, False),
        (b"h\nx\r", True, False),
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 1 << 22])
def test_the_scan_tells_line_ends_that_duckdb_cannot_count(
    tmp_path, monkeypatch, data, bare_cr, mixed, chunk
):
    (tmp_path / "f.csv").write_bytes(data)
    monkeypatch.setattr(scan, "CHUNK", chunk)

    found = scan.scan_file(tmp_path / "f.csv")

    assert (found.bare_cr, found.mixed_ends) == (bare_cr, mixed)


def test_a_sidecar_counts_a_spanning_record_once_and_a_damaged_line_with_its_amount(con, tmp_path):
    header = LEDGER + ",note"
    rows = [
        ledger_row("E1", amount="1.00") + ',"two\nlines"',
        ledger_row("E2", amount="2.00").replace(",A1,", ',"A1,') + ",x",
        ledger_row("E3", amount="4.00") + ",x",
    ]
    data = extracts(tmp_path)
    write_lines(data / "ledger.csv", header, rows)
    (data / "ledger.csv.control.json").write_text('{"rows": 3, "amount_sum": "7.00"}')

    result = load(con, data)

    (ledger,) = [f for f in result.files if f.source == "ledger"]
    assert (ledger.rows, str(ledger.amount_sum)) == (3, "7.00")
    assert column(con, "ledger", "_line") == [2, 5]


def test_a_delimiter_of_more_than_one_character_is_a_config_error(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])

    with pytest.raises(ConfigError, match="delimiter must be one character"):
        load(con, data, {"sources": {"ledger": {"delimiter": ";;"}}})
