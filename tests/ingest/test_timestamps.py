"""ISO 8601 timestamps: with an offset or Z they are that instant; without one they are wall
clock time in the configured time zone. Stored as TIMESTAMPTZ (shown in UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from recon.config import config_from_mapping
from recon.errors import ConfigError
from recon.ingest import load_extracts

from .helpers import column, extracts, ledger_row, load, quarantine


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-03-15T11:20:05", datetime(2024, 3, 15, 3, 20, 5, tzinfo=UTC)),
        ("2024-03-15 11:20:05", datetime(2024, 3, 15, 3, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05Z", datetime(2024, 3, 15, 11, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05+08:00", datetime(2024, 3, 15, 3, 20, 5, tzinfo=UTC)),
        ("2024-03-15 11:20:05-0500", datetime(2024, 3, 15, 16, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05.250+00:00", datetime(2024, 3, 15, 11, 20, 5, 250000, tzinfo=UTC)),
    ],
)
def test_offsetless_timestamps_are_in_the_configured_zone(con, tmp_path, text, utc):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at=text)])

    load(con, data, {"timezone": "Asia/Shanghai"})

    assert column(con, "ledger", "posted_at") == [utc]


def test_offsetless_timestamps_default_to_utc(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at="2024-03-15 11:20:05")])

    load(con, data)

    assert column(con, "ledger", "posted_at") == [datetime(2024, 3, 15, 11, 20, 5, tzinfo=UTC)]


def test_an_impossible_date_is_unparseable(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at="2023-02-29 10:00:00")])

    load(con, data, {"timezone": "Asia/Shanghai"})

    assert quarantine(con) == [
        ("ledger.csv", 2, "posted_at", "2023-02-29 10:00:00", "unparseable timestamp")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "infinity",
        "-infinity",
        "epoch",
        "2024-03-15",  # a date alone
        "2024-03-15 11:20:05 Europe/Berlin",  # a zone name
        "2024-03-15 11:20:05 UTC",
        "-0001-03-15 11:20:05",  # a year before 1
        "-001-03-15 11:20:05",
        "2024-03-15T11:20:05+99:00",  # offsets beyond +-14:00
        "2024-03-15T11:20:05+14:30",
        "2024-03-15T11:20:05-15",
        "2024-03-15T11:20:05+08:75",  # not a minute
        "2024-03-15 11:20:05 +08:00",  # a blank before the offset
        "1710500000",  # epoch seconds
        "15/03/2024 11:20:05",
    ],
)
def test_anything_but_an_iso_date_time_is_an_unparseable_timestamp(con, tmp_path, text):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at=text)])

    load(con, data)

    assert quarantine(con) == [("ledger.csv", 2, "posted_at", text, "unparseable timestamp")]


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2024-03-15T11:20:05+14:00", datetime(2024, 3, 14, 21, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05-14:00", datetime(2024, 3, 16, 1, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05+1400", datetime(2024, 3, 14, 21, 20, 5, tzinfo=UTC)),
        ("2024-03-15T11:20:05-13:59", datetime(2024, 3, 16, 1, 19, 5, tzinfo=UTC)),
    ],
)
def test_offsets_up_to_fourteen_hours_are_instants(con, tmp_path, text, utc):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at=text)])

    load(con, data, {"timezone": "Asia/Shanghai"})

    assert column(con, "ledger", "posted_at") == [utc]


WINDOW = "timestamp outside the plausible window (before 2000-01-01 or more than 72 hours after"


def test_a_year_9999_timestamp_is_quarantined_and_never_the_default_cutoff(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", posted_at="2024-03-15T10:00:00Z"),
            ledger_row("E2", posted_at="9999-12-31T00:00:00"),
            ledger_row("E3", posted_at="2024-03-15T11:30:00Z"),
        ],
    )

    result = load(con, data)

    assert quarantine(con) == [
        (
            "ledger.csv",
            3,
            "posted_at",
            "9999-12-31T00:00:00",
            f"{WINDOW} the run started)",
        )
    ]
    assert result.latest_timestamp == datetime(2024, 3, 15, 11, 30, tzinfo=UTC)


def test_the_window_ends_max_future_hours_after_the_configured_cutoff(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", posted_at="2024-03-19T00:00:00Z"),
            ledger_row("E2", posted_at="2024-03-19T00:00:01Z"),
        ],
    )

    load(con, data, {"cutoff": "2024-03-16T00:00:00Z"})

    assert column(con, "ledger", "entry_id") == ["E1"]
    assert quarantine(con) == [
        ("ledger.csv", 3, "posted_at", "2024-03-19T00:00:01Z", f"{WINDOW} the cutoff)")
    ]


def test_without_a_cutoff_the_window_ends_max_future_hours_after_now(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", posted_at="2024-03-15T12:00:00Z"),
            ledger_row("E2", posted_at="2024-03-15T12:00:01Z"),
        ],
    )
    config = config_from_mapping({"max_bad_ratio": "1", "max_future_hours": 2})

    load_extracts(con, data, config, now=datetime(2024, 3, 15, 10, tzinfo=UTC))

    assert column(con, "ledger", "entry_id") == ["E1"]
    assert quarantine(con)[0][4] == (
        "timestamp outside the plausible window (before 2000-01-01 or more than 2 hours after"
        " the run started)"
    )


def test_a_timestamp_before_min_date_is_quarantined(con, tmp_path):
    data = extracts(
        tmp_path,
        ledger=[
            ledger_row("E1", posted_at="2023-12-31T23:59:59"),
            ledger_row("E2", posted_at="2024-01-01T00:00:00"),
        ],
    )

    load(con, data, {"min_date": "2024-01-01", "timezone": "Asia/Shanghai"})

    assert column(con, "ledger", "entry_id") == ["E2"]
    assert quarantine(con) == [
        (
            "ledger.csv",
            2,
            "posted_at",
            "2023-12-31T23:59:59",
            "timestamp outside the plausible window (before 2024-01-01 or more than 72 hours"
            " after the run started)",
        )
    ]


def test_by_default_a_timestamp_before_2000_is_quarantined(con, tmp_path):
    data = extracts(tmp_path, ledger=[ledger_row("E1", posted_at="1970-01-01T00:00:00Z")])

    load(con, data)

    assert quarantine(con)[0][2:] == (
        "posted_at",
        "1970-01-01T00:00:00Z",
        f"{WINDOW} the run started)",
    )


def test_a_typed_parquet_timestamp_outside_the_window_is_quarantined(con, tmp_path):
    data = extracts(tmp_path)
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES"
        " ('E1', 'T1', 'A1', 'D', 10.50::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '2024-03-15 10:00:00+00', 'R1', NULL),"
        " ('E2', 'T2', 'A1', 'D', 10.50::DECIMAL(18,2), 'CNY', 'POSTED',"
        "  TIMESTAMPTZ '9999-12-31 00:00:00+00', 'R2', NULL))"
        " t(entry_id, txn_ref, account_id, direction, amount, currency, status, posted_at,"
        "   request_id, reversal_of)) TO '" + str(data / "ledger.parquet") + "' (FORMAT parquet)"
    )

    result = load(con, data)

    assert column(con, "ledger", "entry_id") == ["E1"]
    assert [(q[1], q[2], q[4]) for q in quarantine(con)] == [
        (2, "posted_at", f"{WINDOW} the run started)")
    ]
    assert result.latest_timestamp == datetime(2024, 3, 15, 10, tzinfo=UTC)


def test_the_window_settings_are_checked_with_the_config():
    config = config_from_mapping({"min_date": "1990-06-01", "max_future_hours": "24"})
    assert (config.min_date, config.max_future_hours) == (date(1990, 6, 1), 24)
    assert config_from_mapping({"min_date": date(1995, 1, 1)}).min_date == date(1995, 1, 1)
    with pytest.raises(ConfigError, match="min_date"):
        config_from_mapping({"min_date": "2024-13-01"})
    with pytest.raises(ConfigError, match="max_future_hours"):
        config_from_mapping({"max_future_hours": -1})
