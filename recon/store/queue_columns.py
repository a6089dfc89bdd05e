"""The queue's columns, sort order and saved view names: plain constants, so building the
command-line parser needs no database or dataframe library (queries.py uses them)."""

from __future__ import annotations

# every column of a queue row, in order; each may be sorted by (queue.sql)
SORTABLE: tuple[str, ...] = (
    "exception_id", "type", "subtype", "txn_ref", "related_txn_ref", "customer_id",
    "account_id", "amount", "currency", "detected_at", "evidence", "proposed_action",
    "compensation", "status", "first_seen_run", "last_seen_run", "event_at", "channel",
    "age_hours", "severity", "sla_due_at", "sla_breached", "assignee", "resolution_code",
    "resolution_note", "closed_at", "version",
)  # fmt: skip
DEFAULT_SORT = "sla_due_at"  # most urgent first
UNASSIGNED = "unassigned"  # the assignee filter for "nobody holds it"
VIEW_NAMES = ("mine", "breached", "unassigned-high")  # queries.SAVED_VIEWS
