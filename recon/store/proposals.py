"""Corrections and compensation under maker-checker (docs/store.md, "Corrections and
compensation").

Runs keep what they suggest (`recon.store.suggestions`); an analyst proposes one
(`propose`), someone else decides it (`approve` / `reject`), and once approved the analyst
records where it was posted (`post`):

    PROPOSED --approve--> APPROVED --post (posting reference)--> POSTED
    PROPOSED --reject---> REJECTED

`check_approval` is the one maker-checker rule: every decision, from the CLI or the web
app, goes through it. Each change is one transaction that writes the proposal and its event
in the store's audit chain; a stale `expected_version` is refused, never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb

from recon.config import ApprovalPolicy
from recon.errors import (
    IllegalTransitionError,
    PermissionDenied,
    StaleVersionError,
    StoreError,
    UnknownExceptionError,
)
from recon.sql import load_sql, run_statements
from recon.store import audit, permissions, users
from recon.store.actor import MAX_ACTOR_CHARS, check_actor
from recon.store.approval_limit import stored_limit, stricter
from recon.store.double_credit import DOUBLE_CREDIT_RISK
from recon.store.lock import DEFAULT_WAIT_SECONDS
from recon.store.reading import readable_store
from recon.store.session import store_change
from recon.store.suggestions import COMPENSATION, CORRECTION, KINDS

PROPOSED = "PROPOSED"
APPROVED = "APPROVED"
REJECTED = "REJECTED"
POSTED = "POSTED"
STATES = (PROPOSED, APPROVED, REJECTED, POSTED)
IN_FLIGHT = (PROPOSED, APPROVED)  # one of these per exception and kind at a time

_MONEY_MAX = Decimal("9999999999999999.99")


@dataclass(frozen=True)
class Proposal:
    """One proposed correction or compensation, its decision and its posting."""

    proposal_id: str
    exception_id: str
    kind: str  # CORRECTION | COMPENSATION
    state: str  # PROPOSED | APPROVED | REJECTED | POSTED
    amount: Decimal
    currency: str
    detail: dict
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    posted_by: str | None
    posted_at: datetime | None
    posting_ref: str | None
    version: int
    suggestion_id: str | None = None  # None: written by hand
    suggestion_revision: int | None = None  # the revision of the run's figures it copied
    resolved_by: str | None = None  # who last resolved its exception, as of reading it

    def unposted_hours(self, as_of: datetime | None = None) -> Decimal | None:
        """Hours since it was approved, one decimal, while it waits to be posted; else None."""
        if self.state != APPROVED or self.decided_at is None:
            return None
        seconds = ((as_of or datetime.now(UTC)) - self.decided_at).total_seconds()
        return (Decimal(max(0.0, seconds)) / 3600).quantize(Decimal("0.1"))


def check_approval(
    proposal: Proposal,
    approver: users.User,
    resolver: str | None,
    thresholds: ApprovalPolicy | None,
    *,
    roles: bool = True,
) -> None:
    """THE maker-checker rule, for approving and rejecting alike; `PermissionDenied` saying
    why in one line, or nothing.

    The approver is an enabled user whose role may approve (`permissions.require`), is not
    who proposed it, nor who last resolved its exception (`resolver`), and above
    `thresholds.admin_above` is an admin. `roles=False` is a store without users: names are
    still compared (case-insensitively), but no one can be shown to be an admin, so an
    amount above the threshold is refused.
    """
    name = approver.name
    if roles:
        permissions.require(approver, "approve")
    if _same(name, proposal.proposed_by):
        raise PermissionDenied(
            f"{name} proposed {proposal.proposal_id}; the approver must be someone else"
        )
    if resolver is not None and _same(name, resolver):
        raise PermissionDenied(
            f"{name} resolved {proposal.exception_id}, which {proposal.proposal_id} is for;"
            " the approver must be someone else"
        )
    limit = thresholds.admin_above if thresholds is not None else None
    if limit is not None and proposal.amount > limit and (not roles or approver.role != "admin"):
        who = f"{name} is {approver.role}" if roles else "this store has no users to say who is"
        raise PermissionDenied(
            f"{proposal.proposal_id} is {proposal.amount} {proposal.currency}, above the"
            f" approval limit {limit}: only an admin may decide it; {who}"
        )


def suggestions_for(
    store_path: str | Path,
    exception_id: str,
    *,
    kind: str | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> list[dict]:
    """What the runs computed for one exception: each suggestion (id, kind, alternative,
    amount, currency, customer_id, detail, revision, first/updated/last run) with `history`,
    every revision of its figures."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return _suggestions(con, exception_id, kind=_kind(kind) if kind else None)


def propose(
    store_path: str | Path,
    exception_id: str,
    kind: str,
    suggestion_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    *,
    actor: str,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Proposal:
    """Propose a correction or compensation for an exception: a run's suggestion (by id, or
    the only one of that kind), or one written by hand (`detail`). One proposal per
    exception and kind may be in flight (PROPOSED or APPROVED) at a time."""
    kind = _kind(kind)
    if suggestion_id is not None and detail is not None:
        raise StoreError("propose a run's suggestion or one written by hand, not both")
    written = _by_hand(kind, detail) if detail is not None else None
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path,
        owner=f"{actor}: propose {kind.lower()} {exception_id}",
        wait_seconds=wait_seconds,
    ) as con:
        users.require_acting(con, actor, "propose")
        status, _resolver, next_no = _context(con, store_path, exception_id)
        if kind == CORRECTION and status == "SELF_HEALED":
            raise IllegalTransitionError(
                f"{exception_id} is SELF_HEALED: its transfer completed on its own, so a"
                " correction would move the money twice"
            )
        busy = _list(con, states=IN_FLIGHT, kind=kind, exception_id=exception_id)
        if busy:
            raise IllegalTransitionError(
                f"{exception_id} already has {kind.lower()} {busy[0].proposal_id}"
                f" {busy[0].state}; it must be decided (and posted) first"
            )
        if written is None:
            chosen = _suggestion(con, exception_id, kind, suggestion_id)
            amount, currency = chosen["amount"], chosen["currency"]
            figures, source = chosen["detail"], (chosen["suggestion_id"], chosen["revision"])
        else:
            amount, currency, figures = written
            source = (None, None)
        proposal_id = f"P-{next_no:06d}"
        what = f"{source[0]} rev {source[1]}" if source[0] else "written by hand"
        _event(
            con,
            exception_id,
            f"{kind}_{PROPOSED}",
            None,
            PROPOSED,
            f"{proposal_id}: {kind.lower()} {amount} {currency} ({what})",
            actor,
            now,
        )
        run_statements(
            con,
            load_sql("recon.store", "proposal_insert"),
            {
                "proposal_id": proposal_id,
                "proposal_no": next_no,
                "exception_id": exception_id,
                "kind": kind,
                "suggestion_id": source[0],
                "suggestion_revision": source[1],
                "amount": amount,
                "currency": currency,
                "detail": json.dumps(figures, sort_keys=False),
                "actor": actor,
                "now": now,
            },
        )
        return _get(con, store_path, proposal_id)


def approve(
    store_path: str | Path,
    proposal_id: str,
    *,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
    thresholds: ApprovalPolicy | None = None,
    kind: str | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Proposal:
    """Approve a PROPOSED proposal, as `actor`, if `check_approval` lets them. The limit is
    the store's (`approval_limit`), or the config's `[approvals]` given as `thresholds`
    (`config.approvals`) where that is lower; `kind`, when given, refuses a proposal of the
    other kind."""
    return _decide(
        store_path, proposal_id, APPROVED, actor=actor, note=note,
        expected_version=expected_version, thresholds=thresholds, kind=kind, now=now,
        wait_seconds=wait_seconds,
    )  # fmt: skip


def reject(
    store_path: str | Path,
    proposal_id: str,
    *,
    actor: str,
    note: str,
    expected_version: int | None = None,
    thresholds: ApprovalPolicy | None = None,
    kind: str | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Proposal:
    """Reject a PROPOSED proposal with a note saying why; the same rule as approving."""
    if not (note or "").strip():
        raise StoreError(f"rejecting {proposal_id} needs a note saying why (--note)")
    return _decide(
        store_path, proposal_id, REJECTED, actor=actor, note=note,
        expected_version=expected_version, thresholds=thresholds, kind=kind, now=now,
        wait_seconds=wait_seconds,
    )  # fmt: skip


def post(
    store_path: str | Path,
    proposal_id: str,
    *,
    actor: str,
    posting_ref: str,
    expected_version: int | None = None,
    kind: str | None = None,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Proposal:
    """Record that an APPROVED proposal was posted, under `posting_ref` (the reference of the
    entries or the payment in the system that moved the money: recon never posts)."""
    posting_ref = _posting_ref(posting_ref)
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: post {proposal_id}", wait_seconds=wait_seconds
    ) as con:
        users.require_acting(con, actor, "post")
        proposal = _get(con, store_path, proposal_id, kind)
        _check_version(proposal, expected_version)
        _check_state(proposal, APPROVED, "posted")
        _event(
            con,
            proposal.exception_id,
            f"{proposal.kind}_{POSTED}",
            APPROVED,
            POSTED,
            f"{proposal_id}: posted as {posting_ref}",
            actor,
            now,
        )
        _update(con, proposal, POSTED, posted=(actor, now, posting_ref))
        return _get(con, store_path, proposal_id)


def list_proposals(
    store_path: str | Path,
    *,
    states: Iterable[str] = (),
    kind: str | None = None,
    exception_id: str | None = None,
    unposted_older_than_hours: float | Decimal | None = None,
    as_of: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> list[Proposal]:
    """Proposals matching the filters, oldest first. `unposted_older_than_hours`: only those
    approved at least that many hours before `as_of` (default now) and not yet posted."""
    wanted = tuple(s.strip().upper() for s in states)
    unknown = sorted(set(wanted) - set(STATES))
    if unknown:
        raise StoreError(f"unknown proposal state(s) {unknown}; one of {', '.join(STATES)}")
    before = None
    if unposted_older_than_hours is not None:
        hours = Decimal(str(unposted_older_than_hours))
        before = (as_of or datetime.now(UTC)) - timedelta(seconds=float(hours * 3600))
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return _list(
            con,
            states=wanted,
            kind=_kind(kind) if kind else None,
            exception_id=exception_id,
            unposted_before=before,
        )


def alerts(
    store_path: str | Path,
    *,
    exception_id: str | None = None,
    active_only: bool = False,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> list[dict]:
    """The DOUBLE_CREDIT_RISK alerts runs raised (one per exception), oldest first: the
    alert, its acknowledgement, `active` (not acknowledged yet: on the queue) and the
    exception's type, txn_ref, amount, currency, status and assignee."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return _dicts(
            con.execute(
                load_sql("recon.store", "alerts_list"),
                {"exception_id": exception_id, "active_only": active_only},
            )
        )


def remedies_of(
    store_path: str | Path,
    exception_id: str,
    *,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> dict[str, list]:
    """Everything about one exception's remedies, read at once (the exception page, `recon
    exceptions show`): `suggestions` (as `suggestions_for`), `proposals` (Proposal, oldest
    first) and `alerts` (as `alerts`)."""
    with readable_store(store_path, wait_seconds=wait_seconds) as con:
        return {
            "suggestions": _suggestions(con, exception_id),
            "proposals": _list(con, exception_id=exception_id),
            "alerts": _dicts(
                con.execute(
                    load_sql("recon.store", "alerts_list"),
                    {"exception_id": exception_id, "active_only": False},
                )
            ),
        }


def acknowledge_alert(
    store_path: str | Path,
    exception_id: str,
    *,
    actor: str,
    note: str,
    kind: str = DOUBLE_CREDIT_RISK,
    now: datetime | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> dict:
    """Take an active alert off the queue with a note saying what was checked or done (the
    extra credit reversed, or why there was none); the exception's status is unchanged."""
    if not (note or "").strip():
        raise StoreError(f"acknowledging the alert on {exception_id} needs a note (--note)")
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    with store_change(
        store_path, owner=f"{actor}: acknowledge {exception_id}", wait_seconds=wait_seconds
    ) as con:
        users.require_acting(con, actor, "resolve")
        status, _resolver, _next = _context(con, store_path, exception_id)
        found = _dicts(
            con.execute(
                load_sql("recon.store", "alerts_list"),
                {"exception_id": exception_id, "active_only": True},
            )
        )
        if not [a for a in found if a["kind"] == kind]:
            raise IllegalTransitionError(f"{exception_id} has no {kind} alert to acknowledge")
        params = {"exception_id": exception_id, "kind": kind, "actor": actor, "now": now,
                  "note": note.strip()}  # fmt: skip
        _event(con, exception_id, f"{kind}_ACKNOWLEDGED", status, status, note.strip(), actor, now)
        run_statements(con, load_sql("recon.store", "alert_acknowledge"), params)
        return _dicts(
            con.execute(
                load_sql("recon.store", "alerts_list"),
                {"exception_id": exception_id, "active_only": False},
            )
        )[0]


# --- inside a transaction -------------------------------------------------------------


def _decide(
    store_path: str | Path,
    proposal_id: str,
    to_state: str,
    *,
    actor: str,
    note: str | None,
    expected_version: int | None,
    thresholds: ApprovalPolicy | None,
    kind: str | None,
    now: datetime | None,
    wait_seconds: float,
) -> Proposal:
    now = now or datetime.now(UTC)
    actor = check_actor(actor)
    note = (note or "").strip() or None
    verb = "approved" if to_state == APPROVED else "rejected"
    with store_change(
        store_path, owner=f"{actor}: {verb[:-1]} {proposal_id}", wait_seconds=wait_seconds
    ) as con:
        user = users.acting_user(con, actor)
        proposal = _get(con, store_path, proposal_id, kind)
        _check_version(proposal, expected_version)
        _check_state(proposal, PROPOSED, verb)
        status, resolver, _next = _context(con, store_path, proposal.exception_id)
        approver = user or users.User(name=actor, role="", disabled=False, created_at=now)
        limit = stricter(thresholds, stored_limit(con))  # a caller can only add to the store's
        check_approval(proposal, approver, resolver, limit, roles=user is not None)
        if to_state == APPROVED and proposal.kind == CORRECTION and status == "SELF_HEALED":
            raise IllegalTransitionError(
                f"{proposal.exception_id} is SELF_HEALED since {proposal_id} was proposed: its"
                " transfer completed on its own, so this correction would move the money"
                " twice; reject it"
            )
        _event(
            con,
            proposal.exception_id,
            f"{proposal.kind}_{to_state}",
            PROPOSED,
            to_state,
            f"{proposal_id}: {verb}" + (f": {note}" if note else ""),
            actor,
            now,
        )
        _update(con, proposal, to_state, decided=(actor, now, note))
        return _get(con, store_path, proposal_id)


def _context(
    con: duckdb.DuckDBPyConnection, store_path: str | Path, exception_id: str
) -> tuple[str, str | None, int]:
    """The exception's status, who resolved it last, and the next proposal number."""
    row = con.execute(
        load_sql("recon.store", "proposal_context"), {"exception_id": exception_id}
    ).fetchone()
    if row is None:
        raise UnknownExceptionError(
            f"{store_path}: no exception {exception_id!r}"
            " (see `recon exceptions list --status all`)"
        )
    return row[0], row[1], int(row[2])


def _get(
    con: duckdb.DuckDBPyConnection,
    store_path: str | Path,
    proposal_id: str,
    kind: str | None = None,
) -> Proposal:
    """The proposal; StoreError when there is none (or, `kind` given, of another kind)."""
    rows = _list(con, proposal_id=proposal_id)
    if not rows:
        raise StoreError(
            f"{store_path}: no proposal {proposal_id!r} (see `recon corrections list` and"
            " `recon compensation list`)"
        )
    found = rows[0]
    if kind is not None and found.kind != _kind(kind):
        raise StoreError(f"{proposal_id} is a {found.kind.lower()}, not a {_kind(kind).lower()}")
    return found


def _list(
    con: duckdb.DuckDBPyConnection,
    *,
    states: tuple[str, ...] = (),
    kind: str | None = None,
    exception_id: str | None = None,
    unposted_before: datetime | None = None,
    proposal_id: str | None = None,
) -> list[Proposal]:
    params = {
        "states": list(states) or None,
        "kind": kind,
        "exception_id": exception_id,
        "unposted_before": unposted_before,
        "proposal_id": proposal_id,
    }
    rows = _dicts(con.execute(load_sql("recon.store", "proposals_list"), params))
    return [_proposal(r) for r in rows]


def _suggestions(
    con: duckdb.DuckDBPyConnection,
    exception_id: str,
    *,
    kind: str | None = None,
    suggestion_id: str | None = None,
) -> list[dict]:
    params = {"exception_id": exception_id, "kind": kind, "suggestion_id": suggestion_id}
    rows = _dicts(con.execute(load_sql("recon.store", "suggestions_of"), params))
    for row in rows:
        row["detail"] = _json(row["detail"])
        for revision in row["history"] or []:
            revision["detail"] = _json(revision["detail"])
        row["history"] = row["history"] or []
    return rows


def _suggestion(
    con: duckdb.DuckDBPyConnection, exception_id: str, kind: str, suggestion_id: str | None
) -> dict:
    """The suggestion to propose: the one named, or the only one of `kind`."""
    found = _suggestions(con, exception_id, kind=kind, suggestion_id=suggestion_id)
    if suggestion_id is not None and not found:
        raise StoreError(
            f"{exception_id} has no suggested {kind.lower()} {suggestion_id!r}"
            " (see `recon exceptions show`)"
        )
    if not found:
        raise StoreError(
            f"no run suggested a {kind.lower()} for {exception_id}; write one by hand (--detail)"
        )
    if len(found) > 1:
        ids = ", ".join(s["suggestion_id"] for s in found)
        raise StoreError(
            f"{exception_id} has {len(found)} suggested {kind.lower()}s ({ids}); choose one"
            " (--suggestion)"
        )
    return found[0]


def _check_version(proposal: Proposal, expected: int | None) -> None:
    if expected is None or int(expected) == proposal.version:
        return
    who, when = proposal.proposed_by, proposal.proposed_at
    if proposal.posted_at is not None:
        who, when = proposal.posted_by, proposal.posted_at
    elif proposal.decided_at is not None:
        who, when = proposal.decided_by, proposal.decided_at
    raise StaleVersionError(
        f"{proposal.proposal_id} was changed by {who} at {_time(when)} (it is {proposal.state},"
        f" version {proposal.version}; you had version {expected}): look at it again"
    )


def _check_state(proposal: Proposal, allowed: str, verb: str) -> None:
    if proposal.state != allowed:
        raise IllegalTransitionError(
            f"{proposal.proposal_id} is {proposal.state}; it cannot be {verb}"
            f" (only a {allowed} proposal can)"
        )


def _event(
    con: duckdb.DuckDBPyConnection,
    exception_id: str,
    action: str,
    from_state: str | None,
    to_state: str,
    note: str,
    actor: str,
    now: datetime,
) -> None:
    """The change's event in the exception's history, appended to the audit chain."""
    audit.append_event(
        con, about=exception_id, action=action, from_status=from_state, to_status=to_state,
        note=note, actor=actor, now=now,
    )  # fmt: skip


def _update(
    con: duckdb.DuckDBPyConnection,
    proposal: Proposal,
    state: str,
    *,
    decided: tuple[str, datetime, str | None] | None = None,
    posted: tuple[str, datetime, str] | None = None,
) -> None:
    decided_by, decided_at, note = decided or (None, None, None)
    posted_by, posted_at, posting_ref = posted or (None, None, None)
    run_statements(
        con,
        load_sql("recon.store", "proposal_update"),
        {
            "proposal_id": proposal.proposal_id,
            "version": proposal.version,
            "state": state,
            "decided_by": decided_by,
            "decided_at": decided_at,
            "decision_note": note,
            "posted_by": posted_by,
            "posted_at": posted_at,
            "posting_ref": posting_ref,
        },
    )


# --- checking what is given -----------------------------------------------------------


def _kind(kind: str) -> str:
    wanted = str(kind).strip().upper()
    if wanted not in KINDS:
        raise StoreError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    return wanted


def _by_hand(kind: str, detail: Mapping[str, Any]) -> tuple[Decimal, str, dict]:
    """(amount, currency, detail as stored) of a proposal written by hand, or StoreError."""
    if not isinstance(detail, Mapping):
        raise StoreError("a proposal written by hand is a JSON object (--detail)")
    currency = _text(detail.get("currency"), "currency").upper()
    if kind == COMPENSATION:
        amount = _money(detail.get("amount"), "amount")
        return (
            amount,
            currency,
            {
                "customer_id": _text(detail.get("customer_id"), "customer_id"),
                "amount": str(amount),
                "currency": currency,
                "basis": _text(detail.get("basis"), "basis"),
            },
        )
    legs = detail.get("legs")
    if not isinstance(legs, list) or len(legs) < 2:
        raise StoreError('a correction needs "legs": at least one debit and one credit')
    kept, sums = [], {"D": Decimal(0), "C": Decimal(0)}
    for n, leg in enumerate(legs, 1):
        if not isinstance(leg, Mapping):
            raise StoreError(f"leg {n} of the correction is not an object")
        direction = _text(leg.get("direction"), f"leg {n} direction").upper()
        if direction not in sums:
            raise StoreError(f"leg {n} of the correction: direction must be D or C")
        amount = _money(leg.get("amount"), f"leg {n} amount")
        sums[direction] += amount
        account = _text(leg.get("account_id"), f"leg {n} account_id")
        kept.append({"direction": direction, "account_id": account, "amount": str(amount)})
    if sums["D"] != sums["C"] or not sums["D"]:
        raise StoreError(
            f"the correction does not balance: debits {sums['D']}, credits {sums['C']}"
        )
    figures: dict[str, Any] = {"legs": kept, "currency": currency}
    if detail.get("narrative"):
        figures["narrative"] = _text(detail.get("narrative"), "narrative")
    return sums["D"], currency, figures


def _money(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, bool | float) else None
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or not Decimal(0) < amount <= _MONEY_MAX
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise StoreError(f'{what} must be an amount above 0 such as "12.50", got {value!r}')
    return amount.quantize(Decimal("0.01"))


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"{what} must be given as text")
    return check_actor(value, flag=what)  # one printable line, within bounds


def _posting_ref(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError("posting needs the posting reference of the entries or payment (--ref)")
    if len(value.strip()) > MAX_ACTOR_CHARS:
        raise StoreError(f"a posting reference must be at most {MAX_ACTOR_CHARS} characters")
    return check_actor(value, flag="--ref")


# --- reading rows ---------------------------------------------------------------------


def _same(a: str, b: str | None) -> bool:
    return b is not None and a.strip().casefold() == b.strip().casefold()


def _time(value: datetime | None) -> str:
    return "?" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _json(value: Any) -> Any:
    return json.loads(value, parse_float=Decimal) if isinstance(value, str) else value


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _proposal(row: dict) -> Proposal:
    return Proposal(**{**row, "detail": _json(row["detail"]), "version": int(row["version"])})
