"""The public outage scenario: ingest gives exactly the row accounting of its answer key."""

from __future__ import annotations

import json

from recon.config import load_config
from recon.ingest import load_extracts


def test_row_accounting_matches_the_answer_key(con, public_scenario):
    truth = json.loads((public_scenario / "truth" / "truth.json").read_text())["rows"]
    config = load_config(public_scenario / "recon.toml")

    result = load_extracts(con, public_scenario / "data", config)

    found = {
        source: {
            "read": c.read,
            "valid": c.valid,
            "quarantined": c.quarantined,
            "exact_duplicates": c.exact_duplicates,
        }
        for source, c in result.counts.items()
    }
    assert found == truth


def test_working_tables_hold_exactly_the_valid_rows(con, public_scenario):
    config = load_config(public_scenario / "recon.toml")

    result = load_extracts(con, public_scenario / "data", config)

    for source, counts in result.counts.items():
        (rows,) = con.sql(f"SELECT count(*) FROM {source}").fetchall()[0]
        assert rows == counts.valid, source


def test_every_file_is_recorded_with_its_rows_and_hash(con, public_scenario):
    config = load_config(public_scenario / "recon.toml")

    result = load_extracts(con, public_scenario / "data", config)

    names = [f.path.rsplit("/", 1)[-1] for f in result.files]
    assert names == [
        "ledger.csv",
        "ledger_part2.csv",
        "channel.csv",
        "gateway.csv",
        "invoices.csv",
    ]
    assert sum(f.rows for f in result.files if f.source == "ledger") == 10470
    assert all(len(f.sha256) == 64 for f in result.files)


def test_latest_timestamp_is_the_last_record_of_the_day(con, public_scenario):
    config = load_config(public_scenario / "recon.toml")

    result = load_extracts(con, public_scenario / "data", config)

    (latest,) = con.sql(
        "SELECT max(t) FROM (SELECT max(posted_at) t FROM ledger UNION ALL"
        " SELECT max(requested_at) FROM channel UNION ALL SELECT max(gateway_at) FROM gateway"
        " UNION ALL SELECT max(issued_at) FROM invoices)"
    ).fetchall()[0]
    assert result.latest_timestamp == latest
    assert result.latest_timestamp.date().isoformat() == "2024-03-15"
