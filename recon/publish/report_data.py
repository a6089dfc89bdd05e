"""Everything the HTML report shows, aggregated in DuckDB into small Python records.

Only aggregates and the top-N rows leave the database, so the report costs the same for a
hundred findings as for a million.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from recon.catalog import table_columns
from recon.model import RunSummary
from recon.publish.cases import create_cases_view
from recon.publish.charts import Timeline
from recon.publish.outage import ChannelBucket, OutageAnalysis, outage_analysis
from recon.publish.quarantine import quarantine_reasons
from recon.publish.summary import checks_and_healing
from recon.sql import load_sql, run_statements

DAY_BUCKET_MINUTES = 5
ZOOM_BUCKET_MINUTES = 1
ZOOM_MARGIN = timedelta(minutes=60)
MAX_BUCKETS = 400
TOP_ROWS = 20
MAX_QUARANTINE_REASONS = 50
AMOUNT_BANDS = (
    "no amount",
    "< 100",
    "100 – 999.99",
    "1,000 – 9,999.99",
    "10,000 – 99,999.99",
    "100,000 and more",
)

_NO_REQUESTS = "(SELECT NULL AS requested_at, NULL AS status, NULL AS error_code WHERE false)"


@dataclass(frozen=True)
class WindowDetail:
    """What the channel saw inside one outage window."""

    start: datetime
    end: datetime
    requests: int
    failed: int
    first_failed: datetime | None
    last_failed: datetime | None
    codes: tuple[tuple[str, int], ...]  # error code (or status) -> failed requests
    findings_inside: int  # this run's findings whose break falls inside the window
    by_subtype: tuple[dict[str, Any], ...] = ()  # type, subtype, inside, total


@dataclass(frozen=True)
class ReportData:
    """Every figure of one report: small aggregates and top-N rows, ready to render."""

    summary: RunSummary
    timezone: str
    day: Timeline | None
    zoom: Timeline | None
    outage: OutageAnalysis
    windows: tuple[WindowDetail, ...]
    findings_total: int
    # open exceptions per currency: n (findings), customers, transfers, amount (money at
    # stake, each transfer once), findings_amount (summed per finding), breached
    totals: tuple[dict[str, Any], ...]
    by_subtype: tuple[dict[str, Any], ...]
    by_channel: tuple[dict[str, Any], ...]
    bands: tuple[dict[str, Any], ...]
    largest: tuple[dict[str, Any], ...]
    severity: tuple[dict[str, Any], ...]
    compensation: tuple[dict[str, Any], ...]  # per currency
    top_customers: tuple[dict[str, Any], ...]
    customers_owed: int
    quarantine: tuple[dict[str, Any], ...]
    quarantine_reasons: int
    open_total: int
    # what the run did not check and which healing it withheld (summary.checks_and_healing)
    limits: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # account and customer ids are shown masked (`[privacy] mask`, recon.privacy)
    masked: bool = True


def report_timezone(summary: RunSummary) -> str:
    """The business time zone the run was configured with (`parameters.timezone`), else UTC."""
    name = str(summary.run.params.get("timezone") or "UTC")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def report_data(
    con: duckdb.DuckDBPyConnection, summary: RunSummary, top: int = TOP_ROWS, *, mask: bool = True
) -> ReportData:
    """Query the working tables for every figure, table and chart series of the report;
    account and customer ids masked when `mask` (recon.privacy)."""
    create_cases_view(con)
    con.execute(load_sql("recon.publish", "report_held"))
    tz = report_timezone(summary)
    _create_timeline_views(con, tz)
    day, outage, windows = _timelines(con, tz)
    zoom = _zoom(con, tz, outage) if outage.windows else None
    has_comp = bool(table_columns(con, "compensation"))
    quarantine = quarantine_reasons(con, mask=mask)
    comp_totals = _rows(con, "report_compensation_totals") if has_comp else ()
    totals = _rows(con, "report_case_totals")
    counts = con.execute(load_sql("recon.publish", "report_counts")).fetchone()
    return ReportData(
        summary=summary,
        timezone=tz,
        day=day,
        zoom=zoom,
        outage=outage,
        windows=windows,
        findings_total=counts[0],
        totals=totals,
        by_subtype=_rows(con, "report_by_subtype"),
        by_channel=_rows(con, "report_by_channel"),
        bands=_rows(con, "report_amount_bands"),
        largest=_rows(con, "report_largest_cases", {"limit": top, "mask": mask}),
        severity=_rows(con, "report_severity"),
        compensation=comp_totals,
        top_customers=(
            _rows(con, "report_top_customers", {"limit": top, "mask": mask}) if has_comp else ()
        ),
        customers_owed=sum(int(r["customers"]) for r in comp_totals),
        quarantine=quarantine[:MAX_QUARANTINE_REASONS],
        quarantine_reasons=len(quarantine),
        open_total=sum(int(r["n"]) for r in totals),
        limits=checks_and_healing(con, summary),
        masked=mask,
    )


def failure_report_data(
    summary: RunSummary, quarantine: tuple[dict[str, Any], ...] = (), *, mask: bool = True
) -> ReportData:
    """What the report of a run that could not reconcile shows: the error, rows, parameters."""
    return ReportData(
        summary=summary,
        timezone=report_timezone(summary),
        day=None,
        zoom=None,
        outage=OutageAnalysis(windows=(), baseline_rate=0.0),
        windows=(),
        findings_total=0,
        totals=(),
        by_subtype=(),
        by_channel=(),
        bands=(),
        largest=(),
        severity=(),
        compensation=(),
        top_customers=(),
        customers_owed=0,
        quarantine=quarantine[:MAX_QUARANTINE_REASONS],
        quarantine_reasons=len(quarantine),
        open_total=0,
        masked=mask,
    )


def _create_timeline_views(con: duckdb.DuckDBPyConnection, tz: str) -> None:
    findings = table_columns(con, "findings")
    events = "findings" if {"event_at", "type", "subtype"} <= set(findings) else "publish_cases"
    channel = table_columns(con, "channel")
    requests = (
        "channel" if {"requested_at", "status", "error_code"} <= set(channel) else _NO_REQUESTS
    )
    run_statements(
        con,
        load_sql("recon.publish", "report_views").format(events=events, requests=requests),
        {"tz": tz},
    )


def _timelines(
    con: duckdb.DuckDBPyConnection, tz: str
) -> tuple[Timeline | None, OutageAnalysis, tuple[WindowDetail, ...]]:
    first, last = con.execute(load_sql("recon.publish", "report_time_range"), {"tz": tz}).fetchone()
    if first is None:
        return None, OutageAnalysis(windows=(), baseline_rate=0.0), ()
    start = first.replace(minute=0, second=0, microsecond=0)
    end = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    span_minutes = (end - start) / timedelta(minutes=1)
    minutes = max(DAY_BUCKET_MINUTES, math.ceil(span_minutes / MAX_BUCKETS / 5) * 5)
    day, buckets = _timeline(con, tz, start, end, minutes)
    outage = outage_analysis(buckets, minutes)
    windows = tuple(_window_detail(con, tz, w) for w in outage.windows)
    label = f"times in {tz}"
    day = Timeline(
        starts=day.starts,
        minutes=minutes,
        findings=day.findings,
        failures=day.failures,
        windows=[(w.start, w.end) for w in outage.windows],
        label=label,
    )
    return day, outage, windows


def _zoom(con: duckdb.DuckDBPyConnection, tz: str, outage: OutageAnalysis) -> Timeline:
    """Minute-by-minute detail around the largest window, an hour either side (coarser
    buckets only when the window is so long that minutes would not fit the chart)."""
    main = max(outage.windows, key=lambda w: w.failed)
    start, end = main.start - ZOOM_MARGIN, main.end + ZOOM_MARGIN
    minutes = max(ZOOM_BUCKET_MINUTES, math.ceil((end - start) / timedelta(minutes=MAX_BUCKETS)))
    chart, _ = _timeline(con, tz, start, end, minutes)
    return Timeline(
        starts=chart.starts,
        minutes=minutes,
        findings=chart.findings,
        failures=chart.failures,
        windows=[(w.start, w.end) for w in outage.windows],
        label=f"times in {tz}",
    )


def _timeline(
    con: duckdb.DuckDBPyConnection, tz: str, start: datetime, end: datetime, minutes: int
) -> tuple[Timeline, list[ChannelBucket]]:
    """Findings per type and failed requests per bucket from `start` to `end` (local)."""
    n = math.ceil((end - start) / timedelta(minutes=minutes))
    starts = tuple(start + timedelta(minutes=minutes * i) for i in range(n))
    index = {s: i for i, s in enumerate(starts)}
    params = {"tz": tz, "minutes": minutes, "start": start, "end": end}
    series: dict[str, list[int]] = {}
    for bucket, type_, count in con.execute(
        load_sql("recon.publish", "report_finding_buckets"), params
    ).fetchall():
        series.setdefault(type_, [0] * n)[index[bucket]] = int(count)
    failures = [0] * n
    buckets = _channel_buckets(con, start, end, minutes)
    for b in buckets:
        failures[index[b.start]] = b.failed
    has_requests = con.execute(load_sql("recon.publish", "report_counts")).fetchone()[1] > 0
    chart = Timeline(
        starts=starts,
        minutes=minutes,
        findings=dict(sorted(series.items())),
        failures=failures if has_requests else None,
    )
    return chart, buckets


def _channel_buckets(
    con: duckdb.DuckDBPyConnection, start: datetime, end: datetime, minutes: int
) -> list[ChannelBucket]:
    """Requests and failed ones per bucket (publish_requests is already in local time)."""
    params = {"minutes": minutes, "start": start, "end": end}
    return [
        ChannelBucket(start=bucket, requests=int(requests), failed=int(failed))
        for bucket, requests, failed in con.execute(
            load_sql("recon.publish", "report_channel_buckets"), params
        ).fetchall()
    ]


def _window_detail(con: duckdb.DuckDBPyConnection, tz: str, window: Any) -> WindowDetail:
    params = {"tz": tz, "start": window.start, "end": window.end}
    rows = con.execute(
        load_sql("recon.publish", "report_window_detail"),
        {"start": window.start, "end": window.end},
    ).fetchall()
    inside = con.execute(load_sql("recon.publish", "report_events_in_window"), params).fetchone()
    return WindowDetail(
        start=window.start,
        end=window.end,
        requests=window.requests,
        failed=window.failed,
        first_failed=rows[0][0] if rows else None,
        last_failed=rows[0][1] if rows else None,
        codes=tuple((str(code), int(n)) for _, _, code, n in rows),
        findings_inside=int(inside[0]),
        by_subtype=_rows(con, "report_window_subtypes", params),
    )


def _rows(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], ...]:
    result = con.execute(load_sql("recon.publish", name), dict(params or {}))
    columns = [d[0] for d in result.description]
    return tuple(dict(zip(columns, row, strict=True)) for row in result.fetchall())


def band_label(band: int) -> str:
    return AMOUNT_BANDS[band] if 0 <= band < len(AMOUNT_BANDS) else str(band)
