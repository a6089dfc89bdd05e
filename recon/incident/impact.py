"""The incident impact report: who and how much an outage touched, and how much is fixed.

Read from the exception store (every exception a rerun of the incident tagged), so it also
counts what analysts resolved and what healed since; written as JSON (for tools) and a
self-contained HTML page (for people) into the incident run's output folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from recon.db import connect
from recon.privacy import install_mask
from recon.safety import html_text as escape  # bidi and controls shown too
from recon.sql import load_sql
from recon.store.lock import attached_store
from recon.store.statuses import OPEN_STATUSES, RESOLVED, SELF_HEALED

JSON_NAME = "incident_impact.json"
HTML_NAME = "incident_impact.html"
_COUNTS = ("findings", "customers", "transfers", "open_findings", "resolved_findings")
_MONEY = ("amount", "open_amount", "resolved_amount", "healed_amount", "compensation")
TOP_CUSTOMERS = 10


@dataclass(frozen=True)
class IncidentWindow:
    """The outage window an analyst gives, and the margin around it that the rerun covers."""

    incident_id: str
    start: datetime
    end: datetime
    margin_minutes: int = 0

    @property
    def from_at(self) -> datetime:
        return self.start - timedelta(minutes=self.margin_minutes)

    @property
    def to_at(self) -> datetime:
        return self.end + timedelta(minutes=self.margin_minutes)


def impact_rows(store_path: Path, incident_id: str) -> list[dict[str, Any]]:
    """Counts and money of the incident's exceptions per channel, per type, per currency."""
    params = {"open": list(OPEN_STATUSES), "resolved": RESOLVED, "healed": SELF_HEALED}
    return _store_rows(store_path, incident_id, "impact", params)


def impact_customers(
    store_path: Path, incident_id: str, *, mask: bool = True, limit: int = TOP_CUSTOMERS
) -> list[dict[str, Any]]:
    """The customers the incident touched most, each transfer's money once; their ids masked
    when `mask` (`[privacy] mask`: the report is shared)."""
    params = {"open": list(OPEN_STATUSES), "mask": mask, "limit": limit}
    return _store_rows(store_path, incident_id, "impact_customers", params)


def _store_rows(
    store_path: Path, incident_id: str, name: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    con = connect()
    try:
        install_mask(con)
        with attached_store(con, store_path, write=False, owner=f"incident {incident_id}"):
            relation = con.sql(
                load_sql("recon.incident", name), params={"incident_id": incident_id, **params}
            )
            names = relation.columns
            return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


def impact_document(
    window: IncidentWindow,
    run_id: str,
    rows: list[dict[str, Any]],
    generated_at: datetime,
    customers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The report as JSON-able data; money as exact decimal strings. `customers` are the
    rows of `impact_customers` (ids already masked or not)."""
    plain = [{key: _plain(value) for key, value in row.items()} for row in rows]
    overall = next((row for row in plain if row["dimension"] == "all"), None)
    empty = {key: 0 for key in (*_COUNTS, "healed_findings")}
    return {
        "incident_id": window.incident_id,
        "window": {
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "margin_minutes": window.margin_minutes,
            "from": window.from_at.isoformat(),
            "to": window.to_at.isoformat(),
        },
        "run_id": run_id,
        "generated_at": generated_at.isoformat(),
        "totals": {key: (overall or empty)[key] for key in (*_COUNTS, "healed_findings")},
        "by_currency": [_money_row(r, ()) for r in plain if r["dimension"] == "currency"],
        "by_channel": [_money_row(r, ("channel",)) for r in plain if r["dimension"] == "channel"],
        "by_type": [_money_row(r, ("type", "subtype")) for r in plain if r["dimension"] == "type"],
        "top_customers": [
            {key: _plain(value) for key, value in row.items()} for row in customers or ()
        ],
    }


def render_html(document: dict[str, Any]) -> str:
    """A self-contained page: totals as cards, then tables by currency, channel and type."""
    window, totals = document["window"], document["totals"]
    title = f"Incident {document['incident_id']}: impact"
    meta = (
        f"Window {window['start']} to {window['end']}, ±{window['margin_minutes']} min"
        f" (findings between {window['from']} and {window['to']}); rerun {document['run_id']},"
        f" written {document['generated_at']}."
    )
    cards = "".join(
        f'<div class="card"><b>{totals[key]}</b>{escape(label)}</div>'
        for key, label in (
            ("customers", "customers affected"),
            ("transfers", "transfers affected"),
            ("findings", "findings"),
            ("open_findings", "still open"),
            ("resolved_findings", "resolved"),
            ("healed_findings", "healed"),
        )
    )
    page = Template(files("recon.incident").joinpath("impact.html").read_text(encoding="utf-8"))
    return page.substitute(
        title=escape(title),
        meta=escape(meta),
        cards=cards,
        by_currency=_table(document["by_currency"], ("currency",)),
        by_channel=_table(document["by_channel"], ("channel", "currency")),
        by_type=_table(document["by_type"], ("type", "subtype", "currency")),
        top_customers=_customers_table(document.get("top_customers", [])),
    )


def write_impact_report(out_dir: Path, document: dict[str, Any]) -> dict[str, Path]:
    """Write incident_impact.json and incident_impact.html into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {JSON_NAME: out_dir / JSON_NAME, HTML_NAME: out_dir / HTML_NAME}
    paths[JSON_NAME].write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    paths[HTML_NAME].write_text(render_html(document), encoding="utf-8")
    return paths


def _money_row(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    picked = (*keys, "currency", *_COUNTS, "healed_findings", *_MONEY)
    return {key: row[key] for key in picked}


def _table(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> str:
    if not rows:
        return "<p>None.</p>"
    columns = (*keys, "findings", "customers", "transfers", "amount", "open_amount")
    columns += ("resolved_amount", "healed_amount", "compensation")
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape(str(row[c]))}</td>'
            if c not in keys
            else f"<td>{escape(str(row[c] or ''))}</td>"
            for c in columns
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _customers_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    columns = ("customer_id", "currency", "findings", "transfers", "amount", "open_amount")
    text = ("customer_id", "currency")
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(row[c] or ''))}</td>"
            if c in text
            else f'<td class="n">{escape(str(row[c]))}</td>'
            for c in columns
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def write_incident_impact(
    store_path: Path,
    window: IncidentWindow,
    run_id: str,
    out_dir: Path,
    generated_at: datetime,
    *,
    mask: bool = True,
) -> dict[str, Path]:
    """Read the incident's exceptions from the store and write both report files; customer
    ids masked when `mask` (`[privacy] mask`)."""
    rows = impact_rows(store_path, window.incident_id)
    customers = impact_customers(store_path, window.incident_id, mask=mask)
    document = impact_document(window, run_id, rows, generated_at, customers)
    return write_impact_report(out_dir, document)
