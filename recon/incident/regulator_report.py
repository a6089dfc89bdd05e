"""`recon incident report`: the regulator's report on one incident, HTML and PDF, versioned.

The figures come from the store (regulator_figures.py) and are kept as a version
(regulator_versions.py) in the same write transaction that renders the page and prints the
PDF, so a report that fails to print keeps no version and writes no file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from recon.incident.incident_cases import require_cases
from recon.incident.pdf import print_pdf
from recon.incident.regulator_figures import report_figures
from recon.incident.regulator_versions import diff, keep_version, latest_declared
from recon.publish.staged_files import staged_files
from recon.safety import show_bidi, show_controls
from recon.store import users
from recon.store.actor import check_actor
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.session import store_change

HTML_NAME = "regulator_report.html"
PDF_NAME = "regulator_report.pdf"
JSON_NAME = "regulator_report.json"


@dataclass(frozen=True)
class Written:
    version: int
    new: bool
    changes: int
    files: tuple[Path, ...]


def write_regulator_report(
    store_path: str | Path,
    incident_id: str,
    out_dir: Path,
    *,
    timezone: str,
    actor: str,
    declared: dict[str, str] | None = None,
    customer_types: Path | None = None,
    pdf: bool = True,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Written:
    """Write regulator_report.html/.pdf/.json for `incident_id` into `out_dir`, keeping its
    figures as a new version when they changed. `declared` ({start, end}) is the analyst's
    window; without it, the one the latest version declared."""
    actor = check_actor(actor)
    now = now or datetime.now(UTC)
    with staged_files(Path(out_dir)) as staged:
        with store_change(
            store_path, owner=f"{actor}: report {incident_id}", wait_seconds=wait_seconds
        ) as con:
            users.require_acting(con, actor, "propose")  # put forward to the regulator
            require_cases(con, incident_id)
            window = declared or latest_declared(con, incident_id)
            figures = report_figures(con, incident_id, as_of=now, timezone=timezone,
                                     declared=window, customer_types=customer_types)  # fmt: skip
            version = keep_version(con, incident_id, figures, actor=actor, now=now)
            changes = diff(version.previous, figures)
            page = render_html(figures, version.number, version.new, changes, now, timezone)
            html = staged.path(HTML_NAME)
            html.write_text(page, encoding="utf-8")
            document = {"version": version.number, "as_of": now.isoformat(), **figures,
                        "changes": [list(c) for c in changes]}  # fmt: skip
            staged.path(JSON_NAME).write_text(
                json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            if pdf:
                print_pdf(html, staged.path(PDF_NAME))
        landed = staged.land()  # after the store committed this version
    return Written(version.number, version.new, len(changes), landed)


def render_html(
    figures: dict[str, Any],
    version: int,
    new: bool,
    changes: list[tuple[str, Any, Any]],
    as_of: datetime,
    timezone: str,
) -> str:
    """The report page: self-contained, every value escaped and made visible (recon.safety)."""
    env = Environment(
        loader=PackageLoader("recon.incident", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_visible,
    )
    env.filters["money"] = _money
    env.filters["when"] = _when
    template = env.get_template("regulator.html.j2")
    local = as_of.astimezone(ZoneInfo(timezone))
    return template.render(
        f=figures, version=version, new=new, changes=changes, timezone=timezone,
        as_of=local.isoformat(timespec="minutes"),
    )  # fmt: skip


def _visible(value: Any) -> Any:
    return show_controls(show_bidi(value)) if isinstance(value, str) else value


def _when(value: str | None) -> str:
    """`2024-03-15 19:21:00+08:00`: an ISO time as people read it."""
    return "" if value is None else value.replace("T", " ")


def _money(value: str | None) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"
