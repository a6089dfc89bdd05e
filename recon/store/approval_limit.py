"""The store's approval limit: above this amount only an admin approves or rejects a
correction or compensation (docs/store.md, "Thresholds").

The limit is kept in the store, so every path that decides a proposal (the web app, `recon
corrections|compensation approve|reject`, a script) applies the same one whatever
configuration it was started with; an admin sets it with `recon approvals set`, recorded in
the audit chain. A caller's `[approvals] admin_above` still applies: the lower of the two
wins, so a configuration can only make the rule stricter, and forgetting `--config` can no
longer let an approver decide a large amount.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from recon.config import ApprovalPolicy
from recon.errors import StoreError
from recon.sql import load_sql, run_statements
from recon.store import audit, users
from recon.store.actor import check_actor
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.reading import readable_store
from recon.store.session import store_change

SUBJECT = "store:approvals"  # events.exception_id of a change of the limit
_MONEY_MAX = Decimal("9999999999999999.99")


def stricter(*policies: ApprovalPolicy | None) -> ApprovalPolicy:
    """The policy with the lowest limit of those given (None and no limit impose nothing)."""
    limits = [p.admin_above for p in policies if p is not None and p.admin_above is not None]
    return ApprovalPolicy(admin_above=min(limits) if limits else None)


def stored_limit(con: duckdb.DuckDBPyConnection) -> ApprovalPolicy:
    """The limit kept in the attached store (inside a read or a transaction)."""
    row = con.execute(load_sql("recon.store", "approval_limit")).fetchone()
    return ApprovalPolicy(admin_above=Decimal(row[0]) if row and row[0] is not None else None)


def approval_limit(
    store_path: str | Path, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> ApprovalPolicy:
    """The store's approval limit (`admin_above` None: any approver decides any amount)."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return stored_limit(con)


def set_approval_limit(
    store_path: str | Path,
    admin_above: Decimal | str | None,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> ApprovalPolicy:
    """Set the store's limit (None: remove it), as an admin on a store with users; the
    change is an event in the audit chain, about `store:approvals`."""
    limit = None if admin_above is None else check_limit(admin_above)
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: set the approval limit", wait_seconds=wait_seconds
    ) as con:
        users.require_acting(con, actor, "set_approval_limit")
        before = stored_limit(con).admin_above
        if limit is None:
            note = "no approval limit: any approver decides any amount"
        else:
            note = f"above {limit} only an admin approves or rejects"
        audit.append_event(
            con,
            about=SUBJECT,
            action="APPROVAL_LIMIT_SET",
            from_status=None if before is None else str(before),
            to_status="none" if limit is None else str(limit),
            note=note,
            actor=actor,
            now=now,
        )
        run_statements(
            con,
            load_sql("recon.store", "approval_limit_set"),
            {"value": None if limit is None else str(limit)},
        )
    return ApprovalPolicy(admin_above=limit)


def check_limit(value: Decimal | str) -> Decimal:
    """An amount of money, at least 0 with at most two decimals, or `StoreError` saying so."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or not Decimal(0) <= amount <= _MONEY_MAX
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise StoreError(
            f'the approval limit must be an amount of money such as "50000.00" (at least 0,'
            f" at most two decimals), not {value!r}"
        )
    return amount.quantize(Decimal("0.01"))
