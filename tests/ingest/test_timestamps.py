"""ISO 8601 timestamps: with an offset or Z they are that instant; without one they are wall
clock time in the configured time zone. Stored as TIMESTAMPTZ (shown in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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
