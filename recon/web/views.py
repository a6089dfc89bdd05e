"""Small helpers shared by the pages: frames to rows, masking per user, form values."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from recon.config import ApprovalPolicy, Config
from recon.privacy import ID_COLUMNS, mask_id
from recon.store.proposals import Proposal
from recon.store.users import User
from recon.web.guards import why_not_decide


def rows(value: Any) -> list[dict[str, Any]]:
    """A polars frame, a list of dicts or of dataclasses as a list of dicts."""
    if value is None:
        return []
    if hasattr(value, "to_dicts"):
        return value.to_dicts()
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append(item)
        elif hasattr(item, "__dataclass_fields__"):
            out.append({name: getattr(item, name) for name in item.__dataclass_fields__})
        else:
            out.append(dict(item))
    return out


def masking(user: User | None, config: Config) -> bool:
    """Whether this user's pages mask account and customer ids.

    A viewer's pages are what is shown around (managers, auditors): masked as `[privacy]
    mask` says (default on). Analysts, approvers and admins work the cases with full ids,
    like the analysts' files of a run: masked only with `[privacy] mask_exports`.
    """
    if user is None or user.role == "viewer":
        return config.privacy.mask
    return config.privacy.mask_exports


def masker(user: User | None, config: Config) -> Callable[[Any], Any]:
    on = masking(user, config)
    return lambda value: mask_id(value, on) if value is not None else None


def side_by_side(evidence: list[dict[str, Any]], mask: Callable[[Any], Any]) -> dict[str, Any]:
    """The evidence rows as columns (one per `source:key`, with file and line) and fields as
    rows, ids masked by `mask`. A row the run's extracts did not hold says so."""
    columns = []
    order: list[str] = []
    for item in evidence:
        values: dict[str, str] = {}
        missing = item.get("row") is None
        if not missing:
            for name, value in json.loads(item["row"], parse_float=Decimal).items():
                if name.startswith("_"):
                    continue
                shown = "" if value is None else str(value)
                values[name] = mask(shown) if name in ID_COLUMNS and shown else shown
                if name not in order:
                    order.append(name)
        columns.append(
            {
                "label": f"{item['source']}:{item['key']}",
                "source": item["source"],
                "file": item.get("file"),
                "line": item.get("line"),
                "missing": missing,
                "values": values,
            }
        )
    return {"columns": columns, "fields": order}


def form_int(value: str | None) -> int | None:
    """A hidden `version` field: an int, or None when absent or not a number."""
    if value is None or not str(value).strip().isdigit():
        return None
    return int(str(value).strip())


def remedy(item: dict[str, Any], mask: Callable[[Any], Any]) -> dict[str, Any]:
    """A suggestion or proposal with `legs` (account masked, direction, amount) and `basis`
    (the compensation's reasoning) taken from its `detail`, for the page."""
    detail = item.get("detail") or {}
    if isinstance(detail, str):
        try:
            detail = json.loads(detail, parse_float=Decimal)
        except ValueError:
            detail = {"basis": detail}
    legs = [
        {
            "account": mask(leg.get("account_id") or leg.get("account")),
            "direction": leg.get("direction"),
            "amount": leg.get("amount"),
        }
        for leg in detail.get("legs") or []
        if isinstance(leg, dict)
    ]
    return {**item, "legs": legs, "basis": detail.get("basis") or detail.get("note")}


def decidable(
    found: list[Proposal], user: User, thresholds: ApprovalPolicy, mask: Callable[[Any], Any]
) -> list[dict[str, Any]]:
    """Proposals for a page (as `remedy`), each with `refusal`: why this user may not
    approve or reject it (`guards.why_not_decide`), None when they may or it is decided.
    `thresholds`: the limit that applies (`approval_limit.stricter` of the store's and the
    config's)."""
    return [
        {
            **remedy(row, mask),
            "refusal": why_not_decide(user, p, thresholds) if p.state == "PROPOSED" else None,
        }
        for p, row in zip(found, rows(found), strict=True)
    ]
