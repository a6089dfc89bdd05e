"""Publish: the files a run leaves in OUT (CONTRACT.md section 3).

`write_outputs` for a run that reconciled, `write_failure` for one that could not. Both read
the working DuckDB tables (docs/architecture.md) and write nothing anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from recon.catalog import has_table
from recon.config import PrivacyPolicy
from recon.model import RunSummary
from recon.publish.exports import write_exports, write_quarantine
from recon.publish.quarantine import quarantine_reasons, reason_counts
from recon.publish.report import render_failure_report, render_report
from recon.publish.report_data import failure_report_data, report_data
from recon.publish.summary import failure_document, summary_document, write_summary

__all__ = ["write_failure", "write_outputs"]

# What a reconciled run writes and a failed one must not leave behind from an earlier run.
STALE_ON_FAILURE = (
    "exceptions.csv",
    "exceptions.parquet",
    "corrections.csv",
    "compensation.csv",
    "quarantine.csv",
    "report.html",
)


def write_outputs(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection,
    summary: RunSummary,
    privacy: PrivacyPolicy | None = None,
) -> dict[str, Path]:
    """Write every output of a reconciled run into `out_dir`; file name -> path.

    `privacy` (default: `[privacy]`'s defaults) masks account and customer ids in report.html
    (`mask`) and in the exports (`mask_exports`)."""
    privacy = privacy or PrivacyPolicy()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = write_exports(out_dir, con, mask=privacy.mask_exports)
    paths["summary.json"] = write_summary(out_dir / "summary.json", summary_document(con, summary))
    report = out_dir / "report.html"
    data = report_data(con, summary, mask=privacy.mask)
    report.write_text(render_report(data), encoding="utf-8")
    paths["report.html"] = report
    return paths


def write_failure(
    out_dir: Path,
    con: duckdb.DuckDBPyConnection | None,
    summary: RunSummary,
    privacy: PrivacyPolicy | None = None,
) -> dict[str, Path]:
    """Record a run that could not reconcile: summary.json with the error, quarantine.csv when
    the quarantine table exists (it usually explains the failure), and a short report.html.

    Outputs an earlier run left in `out_dir` (exceptions, corrections, compensation) are
    removed, so nobody reads yesterday's findings as this run's. Never raises: it runs while
    another error is being reported and must not hide it; whatever could not be written is
    absent from the returned mapping.
    """
    paths: dict[str, Path] = {}
    privacy = privacy or PrivacyPolicy()
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in STALE_ON_FAILURE:
            (out_dir / name).unlink(missing_ok=True)
    except OSError:
        return paths
    reasons: tuple[dict[str, Any], ...] = ()
    if con is not None:
        try:
            if has_table(con, "quarantine"):
                paths["quarantine.csv"] = write_quarantine(out_dir, con, mask=privacy.mask_exports)
                reasons = quarantine_reasons(con, mask=privacy.mask)
        except Exception:  # reporting one failure must never raise a second one
            reasons = ()
    try:
        paths["summary.json"] = write_summary(
            out_dir / "summary.json", failure_document(summary, reason_counts(reasons))
        )
        report = out_dir / "report.html"
        report.write_text(
            render_failure_report(failure_report_data(summary, reasons, mask=privacy.mask)),
            encoding="utf-8",
        )
        paths["report.html"] = report
    except Exception:  # e.g. OUT not writable: the caller still reports the original error
        pass
    return paths
