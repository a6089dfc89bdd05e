"""Which files are read: `<source>*.csv|.parquet|.jsonl`; invoices optional."""

from __future__ import annotations

import pytest

from recon.config import config_from_mapping
from recon.errors import MissingExtractError, TooManyBadRows, UnreadableFileError
from recon.ingest import load_extracts
from recon.ingest.files import extract_files

from .helpers import CHANNEL, LEDGER, extracts, ledger_row, load, quarantine, write_lines


def test_files_of_a_source_are_found_in_name_order_without_sidecars(tmp_path):
    for name in ["ledger_part2.csv", "ledger.csv", "ledger.csv.control.json", "ledger.parquet",
                 "channel.csv", "notes.txt", "ledger.csv.bak"]:  # fmt: skip
        (tmp_path / name).write_text("")

    found = [p.name for p in extract_files(tmp_path, "ledger", required=True)]

    assert found == ["ledger.csv", "ledger.parquet", "ledger_part2.csv"]


def test_a_missing_required_extract_names_the_source_and_the_patterns(con, tmp_path):
    write_lines(tmp_path / "ledger.csv", LEDGER, [ledger_row("E1")])
    write_lines(tmp_path / "channel.csv", CHANNEL, [])

    with pytest.raises(MissingExtractError, match=r"no gateway extract in .*gateway\*\.csv"):
        load(con, tmp_path)


def test_without_an_invoices_extract_the_invoices_table_is_empty(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])

    result = load(con, data)

    assert con.sql("SELECT count(*) FROM invoices").fetchall() == [(0,)]
    assert result.counts["invoices"].read == 0


def test_working_tables_have_the_architecture_columns(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])

    load(con, data)

    described = {name: typ for name, typ, *_ in con.sql("DESCRIBE ledger").fetchall()}
    assert described.pop("_file").startswith("ENUM(")  # the paths read, stored compactly
    assert described == {
        "entry_id": "VARCHAR",
        "txn_ref": "VARCHAR",
        "account_id": "VARCHAR",
        "direction": "VARCHAR",
        "amount": "DECIMAL(18,2)",
        "currency": "VARCHAR",
        "status": "VARCHAR",
        "posted_at": "TIMESTAMP WITH TIME ZONE",
        "request_id": "VARCHAR",
        "reversal_of": "VARCHAR",
        "_line": "BIGINT",
    }


def test_the_file_column_reads_as_the_path_of_the_file(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])

    load(con, data)

    assert con.sql("SELECT _file::VARCHAR, to_json(ledger)->>'_file' FROM ledger").fetchall() == [
        (str(data / "ledger.csv"), str(data / "ledger.csv"))
    ]


def test_a_file_without_a_required_column_is_refused_with_its_header(con, tmp_path):
    data = extracts(tmp_path)
    (data / "ledger.csv").write_text("entry_id,txn_ref\nE1,T1\n")

    with pytest.raises(UnreadableFileError, match=r"no column for required ledger column\(s\)"):
        load(con, data)


def test_too_many_bad_rows_stop_the_run_after_quarantine_is_filled(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), ledger_row("E2", amount="x")])

    with pytest.raises(TooManyBadRows, match=r"ledger: 1 of 2 rows quarantined"):
        load(con, data, {"max_bad_ratio": "0.4"})

    assert [q[1] for q in quarantine(con)] == [3]


def test_a_bad_ratio_at_the_limit_is_accepted(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1"), ledger_row("E2", amount="x")])

    result = load(con, data, {"max_bad_ratio": "0.5"})

    assert result.counts["ledger"].quarantined == 1


def test_progress_names_each_file_as_it_is_read(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1")])
    messages: list[str] = []

    load_extracts(con, data, config_from_mapping({}), progress=messages.append)

    assert "ledger: reading ledger.csv (1 of 1)" in messages
    assert "gateway: reading gateway.csv (1 of 1)" in messages
