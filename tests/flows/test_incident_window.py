"""The incident window keeps only its own findings and heals only transfers inside it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recon.errors import ConfigError
from recon.incident.window import keep_window

START = datetime(2024, 3, 15, 11, 0, tzinfo=UTC)
END = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def tables(con):
    """T1 inside the window, T2 after it, T3 starts inside but its finding is after it, T4 clean."""
    con.execute(
        """
        CREATE TABLE ledger AS SELECT * FROM (VALUES
            ('T1', TIMESTAMPTZ '2024-03-15 11:20:00+00'),
            ('T2', TIMESTAMPTZ '2024-03-15 14:00:00+00'),
            ('T3', TIMESTAMPTZ '2024-03-15 12:30:00+00'),
            ('T4', TIMESTAMPTZ '2024-03-15 11:40:00+00')) AS t(txn_ref, posted_at);
        CREATE TABLE channel AS SELECT * FROM (VALUES
            ('T3', TIMESTAMPTZ '2024-03-15 11:59:00+00')) AS t(txn_ref, requested_at);
        CREATE TABLE gateway (txn_ref VARCHAR, gateway_at TIMESTAMPTZ);
        CREATE TABLE invoices (txn_ref VARCHAR, issued_at TIMESTAMPTZ);
        CREATE TABLE findings AS SELECT * FROM (VALUES
            ('EX-1', 'T1', TIMESTAMPTZ '2024-03-15 11:20:00+00'),
            ('EX-2', 'T2', TIMESTAMPTZ '2024-03-15 14:00:00+00'),
            ('EX-3', 'T3', TIMESTAMPTZ '2024-03-15 12:30:00+00'),
            ('EX-4', 'T1', TIMESTAMPTZ '2024-03-15 12:00:00+00'))
            AS t(exception_id, txn_ref, event_at);
        CREATE TABLE evaluated_txn_refs AS
            SELECT * FROM (VALUES ('T1'), ('T2'), ('T3'), ('T4')) AS t(txn_ref);
        """
    )
    return con


def _column(con, sql):
    return sorted(row[0] for row in con.sql(sql).fetchall())


def test_only_findings_whose_event_is_inside_the_window_are_kept(tables):
    keep_window(tables, START, END)
    # EX-4 happens exactly at the window's end: the window is inclusive
    assert _column(tables, "SELECT exception_id FROM findings") == ["EX-1", "EX-4"]


def test_only_transfers_that_started_inside_the_window_can_heal(tables):
    keep_window(tables, START, END)
    # T2 started after the window; T3 started inside but has a finding outside it
    assert _column(tables, "SELECT txn_ref FROM evaluated_txn_refs") == ["T1", "T4"]


def test_a_window_ending_before_it_starts_is_refused(tables):
    with pytest.raises(ConfigError, match="before its start"):
        keep_window(tables, END, START)


def test_a_naive_window_is_refused(tables):
    with pytest.raises(ConfigError, match="time zone aware"):
        keep_window(tables, START.replace(tzinfo=None), END)
