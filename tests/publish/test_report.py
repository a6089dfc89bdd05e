"""report.html: self-contained, shows the outage window and the largest cases, escapes input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from recon.model import StoreOutcome
from recon.publish import write_outputs
from recon.publish.report import money, render_report
from recon.publish.report_data import report_data

from .tables import create_empty_tables, exception_row, finding_row, insert, run_summary

OUTAGE = datetime(2024, 3, 15, 11, 20, tzinfo=UTC)


def outage_day(con: duckdb.DuckDBPyConnection) -> None:
    """One request a minute 08:00-16:00, all fine; 11:20-11:30 ten more a minute, 8 failing."""
    con.execute(
        """
        INSERT INTO channel
        SELECT 'R' || i, NULL, 'APP', 'C1', 'AC1', 'AC2', 10.00, 'CNY',
               TIMESTAMPTZ '2024-03-15 08:00:00+00' + to_minutes(i), 'SUCCESS', NULL, 'T' || i,
               'channel.csv', i + 2
        FROM range(480) AS r(i);
        INSERT INTO channel
        SELECT 'RB' || i, NULL, 'APP', 'C1', 'AC1', 'AC2', 10.00, 'CNY',
               TIMESTAMPTZ '2024-03-15 11:20:00+00' + to_seconds(i * 6),
               CASE WHEN i % 10 < 8 THEN 'FAILED' ELSE 'SUCCESS' END,
               CASE WHEN i % 10 < 8 THEN 'SYSTEM_BUSY' END, NULL, 'channel.csv', 1000 + i
        FROM range(100) AS r(i);
        """
    )


def add_case(con, exception_id: str, amount: str, when: datetime, **kw) -> None:
    type_, subtype = kw.pop("kind", ("HALF_COMPLETED", "DEBIT_WITHOUT_CREDIT"))
    insert(
        con,
        "exceptions",
        [exception_row(exception_id, type_, subtype, "T-" + exception_id, amount, **kw)],
    )
    insert(
        con,
        "findings",
        [finding_row(exception_id, type_, subtype, "T-" + exception_id, amount, when)],
    )


@pytest.fixture
def outage_run(con) -> duckdb.DuckDBPyConnection:
    create_empty_tables(con)
    outage_day(con)
    for i in range(6):
        add_case(con, f"EX-IN{i}", "50.00", OUTAGE + timedelta(minutes=i))
    add_case(
        con,
        "EX-BIG",
        "98765.43",
        OUTAGE + timedelta(minutes=3),
        kind=("DUPLICATE_DEBIT", "SAME_REQUEST"),
        action="REVERSE_DEBIT",
    )
    add_case(con, "EX-LATE", "7.00", OUTAGE + timedelta(hours=3))
    return con


def render(con, *, mask: bool = True, **kw) -> str:
    return render_report(report_data(con, run_summary(**kw), mask=mask))


def test_report_is_self_contained(outage_run, tmp_path):
    write_outputs(tmp_path, outage_run, run_summary())
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "http:" not in html
    assert "https:" not in html
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert "url(" not in html
    assert re.search(r"""(src|href)\s*=\s*["']?//""", html) is None


def test_report_states_the_outage_window_derived_from_channel_failures(outage_run):
    html = render(outage_run)
    assert "Outage window 2024-03-15 11:20:00 – 11:30:00 UTC" in html
    assert "80 of 110 channel requests failed" in html
    assert "SYSTEM_BUSY 80" in html
    assert 'class="outage"' in html


def test_report_counts_the_findings_inside_the_window(outage_run):
    assert "<strong>7</strong> of this run's 8 findings broke inside this window" in render(
        outage_run
    )


def test_report_shows_the_window_in_the_business_time_zone(outage_run):
    html = render(outage_run, timezone="Asia/Shanghai")
    assert "Outage window 2024-03-15 19:20:00 – 19:30:00 Asia/Shanghai" in html


def test_report_without_failures_says_no_outage_was_found(con):
    create_empty_tables(con)
    con.execute(
        """INSERT INTO channel SELECT 'R' || i, NULL, 'WEB', 'C1', 'AC1', 'AC2', 1.00, 'CNY',
           TIMESTAMPTZ '2024-03-15 08:00:00+00' + to_minutes(i), 'SUCCESS', NULL, NULL, 'c', i
           FROM range(100) AS r(i)"""
    )
    html = render(con)
    assert "No outage window" in html
    assert "Outage window" not in html


def test_report_lists_the_largest_case_first_with_evidence_and_action(outage_run):
    html = render(outage_run)
    largest = html[html.index('<h2 id="largest">') :]
    body = largest[largest.index("<tbody>") :]
    first_row = body[: body.index("</tr>")]
    assert "98,765.43" in first_row
    assert "EX-BIG" in first_row
    assert "ledger:E-T-EX-BIG" in first_row
    assert "REVERSE_DEBIT" in first_row


def test_report_escapes_a_malicious_customer_id(con):
    create_empty_tables(con)
    add_case(con, "EX-1", "10.00", OUTAGE, customer_id="<script>alert(1)</script>")
    insert(con, "compensation", [("<script>alert(1)</script>", "CNY", 0.01, "EX-1")])
    html = render(con, mask=False)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_long_tables_are_capped_and_say_so(con):
    create_empty_tables(con)
    for i in range(25):
        add_case(con, f"EX-{i:02d}", f"{100 + i}.00", OUTAGE)
    html = render(con)
    largest = html[html.index('<h2 id="largest">') : html.index('<h2 id="compensation">')]
    assert largest.count("<tr>") == 1 + 20
    assert "Showing the 20 largest of 25 open exceptions" in largest


def test_report_shows_row_accounting_and_quarantine_reasons(tiny):
    html = render(tiny)
    assert "unparseable amount" in html
    assert "ledger.csv:7" in html
    row = html[html.index("<td>ledger</td>") :]
    assert row.index("11") < row.index("</tr>")


def test_report_shows_compensation_total_and_top_customer(tiny, store_outcome):
    html = render(tiny, outcome=store_outcome, mask=False)
    assert "<strong>0.18 CNY</strong> to 2 customers" in html
    comp = html[html.index('<h2 id="compensation">') :]
    assert comp.index("C2") < comp.index("C1")


def test_a_clean_run_renders_without_charts_or_cases(con):
    create_empty_tables(con)
    html = render(con, outcome=StoreOutcome(run_id="r", open_total=0))
    assert 'class="badge clean"' in html
    assert "No compensation owed" in html


@pytest.mark.parametrize(
    ("value", "text"), [("0.10", "0.10"), ("1234.5", "1,234.50"), ("1000000", "1,000,000.00")]
)
def test_money_is_grouped_with_two_places(value, text):
    from decimal import Decimal

    assert money(Decimal(value)) == text


def test_without_channel_data_the_report_says_there_is_no_window_to_derive(tiny):
    tiny.execute("DROP TABLE channel")
    html = render(tiny)
    assert "No channel requests to derive an outage window from" in html
    assert "Findings of this run over the day" in html


def test_a_long_outage_is_zoomed_in_coarser_buckets_that_fit_the_chart(con):
    create_empty_tables(con)
    con.execute(
        """INSERT INTO channel SELECT 'R' || i, NULL, 'APP', 'C1', 'AC1', 'AC2', 1.00, 'CNY',
           TIMESTAMPTZ '2024-03-15 00:00:00+00' + to_minutes(i),
           CASE WHEN i BETWEEN 120 AND 479 THEN 'TIMEOUT' ELSE 'SUCCESS' END, NULL, NULL, 'c', i
           FROM range(1440) AS r(i), range(10) AS k(j)"""
    )
    add_case(con, "EX-1", "1.00", datetime(2024, 3, 15, 5, 0, tzinfo=UTC))
    html = render(con)
    assert "Outage window 2024-03-15 02:00:00 – 08:00:00 UTC" in html
    assert "Around the outage, 2-minute buckets" in html


def test_thousands_of_findings_give_a_page_of_the_same_modest_size(con):
    create_empty_tables(con)
    con.execute(
        """INSERT INTO findings SELECT 'EX-' || i, 'k' || i, 'HALF_COMPLETED', 'STUCK_PENDING',
             'T' || i, NULL, 'C' || (i % 700), 'AC' || i, (i % 5000) + 0.25, 'CNY',
             'ledger:E' || i, 'INVESTIGATE', 0.01,
             TIMESTAMPTZ '2024-03-15 00:00:00+00' + to_seconds(i * 17), 'APP'
           FROM range(5000) AS r(i);
           INSERT INTO exceptions SELECT exception_id, type, subtype, txn_ref, NULL, customer_id,
             account_id, amount, currency, now(), evidence, proposed_action, compensation,
             'OPEN', 'r1', 'r1' FROM findings;
           INSERT INTO compensation SELECT customer_id, 'CNY', sum(compensation),
             string_agg(exception_id, ';') FROM findings GROUP BY customer_id"""
    )
    html = render(con)
    assert len(html.encode()) < 400_000
    assert "Showing the 20 largest of 5,000 open exceptions" in html
    assert "Showing the top 20 of 700 customers" in html


def test_report_compares_findings_inside_the_window_with_the_whole_run(outage_run):
    html = render(outage_run)
    section = html[html.index("Findings inside the window 11:20:00–11:30:00 (UTC)") :]
    row = section[section.index("DEBIT_WITHOUT_CREDIT") :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'<td class="n">([^<]*)</td>', row) == ["6", "7", "86%"]
