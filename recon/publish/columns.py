"""Column lists of every file publish writes (CONTRACT.md section 3), in contract order."""

from __future__ import annotations

EXCEPTION_COLUMNS = (
    "exception_id",
    "type",
    "subtype",
    "txn_ref",
    "related_txn_ref",
    "customer_id",
    "account_id",
    "amount",
    "currency",
    "detected_at",
    "evidence",
    "proposed_action",
    "compensation",
    "status",
    "first_seen_run",
    "last_seen_run",
)

# Not in the contract: context and aging an analyst sorts by. Always present in the files
# (empty when the store did not provide them) so the header never changes between runs.
EXCEPTION_EXTRA_COLUMNS = {
    "event_at": "TIMESTAMPTZ",
    "channel": "VARCHAR",
    "age_hours": "DECIMAL(18,1)",
    "severity": "VARCHAR",
    "sla_due_at": "TIMESTAMPTZ",
    "sla_breached": "BOOLEAN",
    "assignee": "VARCHAR",
}

CORRECTION_COLUMNS = (
    "correction_id",
    "exception_id",
    "txn_ref",
    "account_id",
    "direction",
    "amount",
    "currency",
    "narrative",
)

COMPENSATION_COLUMNS = ("customer_id", "currency", "compensation", "exception_ids")
# after those, under [[compensation.policies]] (one row per exception and policy)
COMPENSATION_LINE_COLUMNS = ("policy", "days", "basis")

QUARANTINE_COLUMNS = ("source", "file", "line", "column", "value", "reason")
