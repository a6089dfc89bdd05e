"""DOUBLE_CREDIT_RISK: a break an analyst corrected by hand that then completed on its own
(docs/store.md, "Corrections and compensation").

An exception resolved CORRECTED means someone posted the missing entries by hand. When a
later run evaluates its transfer and no longer finds the break (the very condition that
closes an open exception as SELF_HEALED), the late leg arrived too: the money may have moved
twice. The run raises an alert (one per exception, ever) and writes its event to the audit
chain, in its one write transaction. The exception stays RESOLVED: a run never undoes an
analyst's resolution (CONTRACT.md section 5); the alert flags it on the queue until an
analyst acknowledges it (`recon.store.proposals.acknowledge_alert`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import duckdb

from recon.sql import load_sql, run_statements
from recon.store import audit

DOUBLE_CREDIT_RISK = "DOUBLE_CREDIT_RISK"

log = logging.getLogger("recon.store")


def raise_alerts(con: duckdb.DuckDBPyConnection, changes: Mapping[str, object]) -> int:
    """Raise the run's DOUBLE_CREDIT_RISK alerts in the attached store; return how many.

    Inside the run's write transaction, after apply_run.sql, while `findings`,
    `evaluated_txn_refs` and `unchecked_types` are the run's; `changes` holds its `run_id`,
    `actor`, `os_user` and `now`.
    """
    params = {k: changes[k] for k in ("run_id", "actor", "os_user", "now")}
    run_statements(con, load_sql("recon.store", "double_credit"), params)
    ids = [r[0] for r in con.execute("SELECT exception_id FROM _dc_risks ORDER BY 1").fetchall()]
    audit.append_events(con)
    run_statements(con, load_sql("recon.store", "double_credit_apply"), params)
    if ids:
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        log.warning(
            "%d DOUBLE_CREDIT_RISK alert(s): %s was resolved CORRECTED by hand and has now"
            " completed on its own; check for a double credit (`recon alerts list`)",
            len(ids),
            shown,
        )
    return len(ids)
