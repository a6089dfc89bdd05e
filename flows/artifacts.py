"""What a flow run shows in the Prefect UI: counts by type, a summary, a link to the report.

The content comes from the run's working tables (`exceptions`, `compensation`) by SQL; the
functions here only shape it. `announce` is the task that creates the Prefect artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from prefect import task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from flows.steps import STEP, RunFolder, working_db
from recon.config import Config
from recon.exit_codes import ExitCode
from recon.pipeline import RunResult
from recon.privacy import install_mask
from recon.safety import markdown_text
from recon.sql import load_sql

LARGEST_CASES = 10
# pages a run writes that a person opens: output name -> what it is
REPORTS = {
    "report.html": "the analyst's report",
    "incident_impact.html": "the incident impact report",
}


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits, dashes) from free text."""
    text = "-".join(parts).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", text)).strip("-")


def counts_by_subtype(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """Open findings per type and subtype after the run, with how many are new."""
    return _rows(con.sql(load_sql("flows", "artifact_counts"), params={"run_id": run_id}))


def largest_cases(
    con: duckdb.DuckDBPyConnection, limit: int = LARGEST_CASES, *, mask: bool = True
) -> list[dict[str, Any]]:
    """The largest open cases; customer ids masked when `mask` (`[privacy] mask`)."""
    install_mask(con)
    params = {"limit": limit, "mask": mask}
    return _rows(con.sql(load_sql("flows", "artifact_largest"), params=params))


def compensation_totals(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _rows(con.sql(load_sql("flows", "artifact_compensation")))


def summary_markdown(
    title: str,
    result: RunResult,
    cases: Sequence[Mapping[str, Any]],
    compensation: Sequence[Mapping[str, Any]],
) -> str:
    """The run in a few lines: cutoff, rows read, findings open/new/healed, largest cases."""
    run, outcome = result.summary.run, result.summary.outcome
    assert outcome is not None  # only reconciled runs get a summary
    lines = [
        f"# {title}",
        "",
        f"Run `{run.run_id}`, cutoff `{run.cutoff.isoformat()}`.",
        "",
        f"**{outcome.open_total} open findings**: {len(outcome.new)} new,"
        f" {len(outcome.reopened)} reopened, {len(outcome.still_open)} still open;"
        f" {len(outcome.healed)} healed by this run.",
        "",
    ]
    if compensation:
        owed = ", ".join(
            f"{row['currency']} {row['compensation']} to {row['customers']} customer(s)"
            for row in compensation
        )
        lines += [f"Compensation proposed: {owed}.", ""]
    lines += [
        "| source | read | valid | quarantined | exact duplicates |",
        "|---|---:|---:|---:|---:|",
    ]
    for source, counts in run.counts.items():
        lines.append(
            f"| {source} | {counts.read} | {counts.valid} | {counts.quarantined}"
            f" | {counts.exact_duplicates} |"
        )
    if cases:
        lines += [
            "",
            f"## Largest open cases (top {len(cases)} by amount)",
            "",
            "| exception | type / subtype | txn_ref | customer | amount | action |",
            "|---|---|---|---|---:|---|",
        ]
        lines += [
            f"| {c['exception_id']} | {c['type']} / {c['subtype']} | {markdown_text(c['txn_ref'])}"
            f" | {markdown_text(c['customer_id'])} | {c['amount']} {markdown_text(c['currency'])}"
            f" | {c['proposed_action']} |"
            for c in cases
        ]
    report = result.outputs.get("report.html")
    if report is not None:
        lines += ["", f"Report: `{report}`"]
    return "\n".join(lines) + "\n"


def failure_markdown(title: str, result: RunResult) -> str:
    """A run that could not reconcile: the reason, and where summary.json is."""
    return (
        f"# {title}: could not reconcile\n\n"
        f"Run `{result.run_id}` stopped; no finding was changed.\n\n"
        f"**Reason:** {markdown_text(result.error)}\n\n"
        f"Details: `{result.out_dir / 'summary.json'}`\n"
    )


@task(name="publish artifacts", **STEP)
def announce(config: Config, folder: RunFolder, result: RunResult, title: str, key: str) -> None:
    """Table of counts, markdown summary and report link for this flow run (keys `<key>-...`)."""
    if result.exit_code == ExitCode.FAILED:
        create_markdown_artifact(
            failure_markdown(title, result), key=artifact_key(key, "summary"), description=title
        )
        return
    with working_db(config, folder.work_db) as con:
        counts = counts_by_subtype(con, result.run_id)
        cases = largest_cases(con, mask=config.privacy.mask)
        compensation = compensation_totals(con)
    create_table_artifact(
        counts or [{"type": "", "subtype": "", "open": 0, "new": 0}],
        key=artifact_key(key, "findings"),
        description=f"{title}: open findings by type and subtype",
    )
    create_markdown_artifact(
        summary_markdown(title, result, cases, compensation),
        key=artifact_key(key, "summary"),
        description=title,
    )
    for name, what in REPORTS.items():
        page = result.outputs.get(name)
        if page is not None:
            create_link_artifact(
                Path(page).resolve().as_uri(),
                link_text=f"{name} of {result.run_id}",
                key=artifact_key(key, Path(name).stem),
                description=f"{title}: {what}",
            )


def _rows(relation: duckdb.DuckDBPyRelation) -> list[dict[str, Any]]:
    names = relation.columns
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in relation.fetchall()
    ]


def _plain(value: Any) -> Any:
    """Money as its exact decimal text: artifacts are JSON, and JSON has no decimals."""
    return str(value) if isinstance(value, Decimal) else value
