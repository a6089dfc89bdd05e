"""report.html's figures: money at stake once per transfer, bars by money, severity order,
one timestamp format."""

from __future__ import annotations

import re

import duckdb

from recon.publish.report import render_report
from recon.publish.report_data import report_data

from .tables import create_empty_tables, exception_row, insert, run_summary


def render(con: duckdb.DuckDBPyConnection) -> str:
    return render_report(report_data(con, run_summary()))


def cases(con: duckdb.DuckDBPyConnection, *rows: tuple[str, str, str, str]) -> None:
    """Open exceptions (id, subtype, txn_ref, amount) of type HALF_COMPLETED."""
    create_empty_tables(con)
    insert(
        con,
        "exceptions",
        [exception_row(i, "HALF_COMPLETED", sub, txn, amount) for i, sub, txn, amount in rows],
    )


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_money_at_stake_counts_a_transfer_named_by_two_findings_once(con):
    cases(
        con,
        ("EX-1", "DEBIT_WITHOUT_CREDIT", "T1", "100.00"),
        ("EX-2", "STUCK_PENDING", "T1", "100.00"),
        ("EX-3", "DEBIT_WITHOUT_CREDIT", "T2", "50.00"),
    )
    glance = section(render(con), '<h2 id="glance">', '<h2 id="when">')
    assert "150.00 CNY" in glance
    assert "3 findings on 2 transfers; 250.00 summed per finding" in glance


def test_a_transfer_is_at_stake_for_the_largest_amount_its_findings_name(con):
    cases(
        con,
        ("EX-1", "DEBIT_WITHOUT_CREDIT", "T1", "100.00"),
        ("EX-2", "STUCK_PENDING", "T1", "80.00"),
    )
    assert "100.00 CNY" in section(render(con), '<h2 id="glance">', '<h2 id="when">')


def test_amount_bands_are_sized_by_money_not_count_with_a_visible_minimum(con):
    rows = [("EX-BIG", "DEBIT_WITHOUT_CREDIT", "T-BIG", "50000.00")]
    rows += [(f"EX-{i}", "DEBIT_WITHOUT_CREDIT", f"T{i}", "150.00") for i in range(10)]
    cases(con, *rows)
    bands = section(render(con), "<h3>By amount</h3>", "</table>")
    widths = dict(
        re.findall(r"<td>([^<]+)</td>.*?width:([0-9.]+)%;min-width:4px", bands.replace("\n", ""))
    )
    # ten transfers of 150.00 hold 1,500.00; one of 50,000.00 holds 33 times as much
    assert widths == {"100 – 999.99": "3.0", "10,000 – 99,999.99": "100.0"}


def test_aging_table_is_ordered_high_medium_low(con):
    create_empty_tables(con)
    con.execute("ALTER TABLE exceptions ADD COLUMN severity VARCHAR")
    insert(
        con,
        "exceptions",
        [
            (*exception_row(f"EX-{s}", "INVOICE", "MISSING", f"T-{s}", "5.00"), s)
            for s in ("LOW", "HIGH", "MEDIUM")
        ],
    )
    aging = section(render(con), '<h2 id="aging">', "</table>")
    assert re.findall(r"<td>(HIGH|MEDIUM|LOW)</td>", aging) == ["HIGH", "MEDIUM", "LOW"]


def test_every_moment_in_the_report_reads_the_same_way(con):
    create_empty_tables(con)
    html = render(con)
    assert "T00:00:00+00:00" not in html  # the recorded ISO cutoff, as every other time
    run = section(html, '<h2 id="run">', "</table>")
    assert "2024-03-16 00:00:00" in run
