"""Compensation under the configured `[[compensation.policies]]`, line by line.

Runs right after the findings are found, before the store keeps them: each finding's
`compensation` becomes the sum of its policies' lines, so the store, the suggestions and every
output agree. Without policies nothing changes here: the default (CONTRACT.md section 4) was
already computed with the findings.
"""

from __future__ import annotations

from datetime import UTC
from fractions import Fraction

import duckdb

from recon.compensation_rules import PolicyRule
from recon.config import CompensationPolicy
from recon.model import DetectionParams
from recon.sql import load_sql, run_statements

LINES = "compensation_lines"

_SCRIPT = {
    "interest": "policy_interest",
    "per_day_after_tat": "policy_per_day",
    "fee_refund": "policy_fee_refund",
    "goodwill": "policy_goodwill",
}


def apply_policies(con: duckdb.DuckDBPyConnection, params: DetectionParams) -> None:
    """Price every finding by the configured policies into `compensation_lines`, then set
    its `compensation` to their sum. Does nothing without policies."""
    policy = params.policy
    if not policy.policies:
        return
    cutoff = params.cutoff if params.cutoff.tzinfo else params.cutoff.replace(tzinfo=UTC)
    run_statements(con, load_sql("recon.remedies", "policy_lines"))
    for position, rule in enumerate(policy.policies, 1):
        run_statements(
            con,
            load_sql("recon.remedies", "policy_matches"),
            {"applies_to": list(rule.applies_to), "cutoff": cutoff},
        )
        bound = {"position": position, "policy": rule.name, **_bindings(rule, policy)}
        run_statements(con, load_sql("recon.remedies", _SCRIPT[rule.kind]), bound)
    run_statements(con, load_sql("recon.remedies", "policy_apply"))


def _bindings(rule: PolicyRule, default: CompensationPolicy) -> dict[str, object]:
    """The SQL parameters of one rule; rates and percents as exact integer fractions."""
    if rule.kind == "interest":
        rate = rule.annual_rate if rule.annual_rate is not None else default.annual_rate
        fraction = Fraction(rate)
        return {
            "rate_num": fraction.numerator,
            "rate_den": fraction.denominator,
            "rate_text": str(rate),
            "day_basis": rule.day_basis or default.day_basis,
            "min_days": default.min_days if rule.min_days is None else rule.min_days,
        }
    if rule.kind == "per_day_after_tat":
        return {"tat_days": rule.tat_days, "per_day": rule.per_day, "cap": rule.cap}
    if rule.kind == "goodwill":
        percent = Fraction(rule.percent or 0)
        return {
            "amount": rule.amount,
            "percent_num": percent.numerator,
            "percent_den": percent.denominator,
            "percent_text": str(rule.percent),
            "cap": rule.cap_per_customer,
        }
    return {}
