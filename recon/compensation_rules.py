"""`[[compensation.policies]]`: the compensation policies a bank chooses, read and checked.

Banks pay differently: interest on money held, a flat sum per day past a turnaround time,
the fee back, a goodwill credit capped per customer. Each policy names the finding types it
applies to; several may apply to one finding and their lines add up. Without any policy,
the default (CONTRACT.md section 4: interest, and the double charge's fee) stands unchanged.
Every error names the policy (its number and kind) and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from recon.errors import ConfigError

KINDS = ("interest", "per_day_after_tat", "fee_refund", "goodwill")

# CONTRACT.md section 4: every finding type and its subtypes
FINDING_SUBTYPES: Mapping[str, tuple[str, ...]] = {
    "DUPLICATE_DEBIT": ("SAME_REQUEST", "SUSPECTED_RETRY", "GATEWAY_DOUBLE_CHARGE"),
    "HALF_COMPLETED": (
        "DEBIT_WITHOUT_CREDIT",
        "STUCK_PENDING",
        "BOOKED_GATEWAY_FAILED",
        "GATEWAY_NOT_BOOKED",
        "CHANNEL_SUCCESS_NOT_BOOKED",
        "CHANNEL_FAILED_BUT_BOOKED",
    ),
    "AMOUNT_MISMATCH": ("LEDGER_GATEWAY",),
    "INVOICE": ("MISSING", "AMOUNT_MISMATCH", "ON_FAILED_PAYMENT", "DUPLICATE"),
}
FINDING_KINDS = frozenset(
    [*FINDING_SUBTYPES, *(f"{t}/{s}" for t, subs in FINDING_SUBTYPES.items() for s in subs)]
)

# kind -> (keys it takes, keys it needs); `name` (the label in compensation.csv) always allowed
_KEYS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "interest": (frozenset({"applies_to", "annual_rate", "day_basis", "min_days"}), frozenset()),
    "per_day_after_tat": (
        frozenset({"applies_to", "tat_days", "per_day", "cap"}),
        frozenset({"applies_to", "tat_days", "per_day"}),
    ),
    "fee_refund": (frozenset({"applies_to"}), frozenset()),
    "goodwill": (
        frozenset({"applies_to", "amount", "percent", "cap_per_customer"}),
        frozenset({"applies_to"}),
    ),
}
_MONEY_MAX = Decimal("9999999999999999.99")


@dataclass(frozen=True)
class PolicyRule:
    """One configured policy. `applies_to` holds types (`HALF_COMPLETED`) or type/subtype
    pairs (`DUPLICATE_DEBIT/GATEWAY_DOUBLE_CHARGE`); empty means every finding it can pay on.
    Interest fields left None take `[compensation]`'s (annual_rate, day_basis, min_days)."""

    kind: str
    name: str
    applies_to: tuple[str, ...] = ()
    annual_rate: Decimal | None = None
    day_basis: int | None = None
    min_days: int | None = None
    tat_days: int = 0
    per_day: Decimal = Decimal("0")
    cap: Decimal | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None
    cap_per_customer: Decimal | None = None


def parse_policies(value: Any) -> tuple[PolicyRule, ...]:
    """The `[[compensation.policies]]` array as rules, or ConfigError naming policy and key."""
    if not isinstance(value, list):
        raise ConfigError(
            "[compensation] policies must be an array of tables ([[compensation.policies]])"
        )
    return tuple(_rule(n, spec) for n, spec in enumerate(value, 1))


def _rule(number: int, spec: Any) -> PolicyRule:
    if not isinstance(spec, Mapping):
        raise ConfigError(f"[[compensation.policies]] #{number} must be a table")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ConfigError(
            f"[[compensation.policies]] #{number}: kind must be one of {', '.join(KINDS)},"
            f" got {kind!r}"
        )
    where = f"[[compensation.policies]] #{number} ({kind})"
    allowed, needed = _KEYS[kind]
    unknown = set(spec) - allowed - {"kind", "name"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = needed - set(spec)
    if missing:
        raise ConfigError(f"{where}: missing key(s) {sorted(missing)}")
    name = spec.get("name", kind)
    if not isinstance(name, str) or not name.strip() or len(name) > 40:
        raise ConfigError(f"{where}: name must be a short text, got {name!r}")
    fields: dict[str, Any] = {"kind": kind, "name": name.strip()}
    if "applies_to" in spec:
        fields["applies_to"] = _applies_to(where, spec["applies_to"])
    if "annual_rate" in spec:
        fields["annual_rate"] = _number(where, "annual_rate", spec["annual_rate"])
    for key in ("day_basis", "min_days", "tat_days"):
        if key in spec:
            fields[key] = _whole(where, key, spec[key], least=1 if key == "day_basis" else 0)
    for key in ("per_day", "cap", "amount", "cap_per_customer"):
        if key in spec:
            fields[key] = _money(where, key, spec[key])
    if "percent" in spec:
        fields["percent"] = _number(where, "percent", spec["percent"])
        if fields["percent"] > 100:
            raise ConfigError(f"{where}: percent must be at most 100, got {spec['percent']!r}")
    if kind == "goodwill" and ("amount" in spec) == ("percent" in spec):
        raise ConfigError(f"{where}: give either amount (flat) or percent, not both or neither")
    return PolicyRule(**fields)


def _applies_to(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f'{where}: applies_to must be a list of finding types such as ["HALF_COMPLETED"]'
        )
    kinds = tuple(v.strip().upper() for v in value)
    unknown = [k for k in kinds if k not in FINDING_KINDS]
    if unknown:
        raise ConfigError(
            f"{where}: applies_to names no finding type: {unknown}"
            f" (a type such as HALF_COMPLETED, or TYPE/SUBTYPE)"
        )
    return kinds


def _money(where: str, key: str, value: Any) -> Decimal:
    try:
        amount = None if isinstance(value, bool | float) else Decimal(str(value).strip())
        ok = (
            amount is not None
            and amount.is_finite()
            and Decimal(0) <= amount <= _MONEY_MAX
            and amount == amount.quantize(Decimal("0.01"))
        )
    except InvalidOperation:
        ok = False
    if not ok:
        raise ConfigError(
            f'{where}: {key} must be an amount of money such as "10.00" (at least 0, at most'
            f" two decimals, written as a string), got {value!r}"
        )
    assert amount is not None
    return amount.quantize(Decimal("0.01"))


def _number(where: str, key: str, value: Any) -> Decimal:
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        ok = not isinstance(value, bool) and number.is_finite() and number >= 0
    except InvalidOperation:
        ok = False
    if not ok:
        raise ConfigError(f"{where}: {key} must be a decimal number of at least 0, got {value!r}")
    return number


def _whole(where: str, key: str, value: Any, *, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ConfigError(
            f"{where}: {key} must be a whole number of at least {least}, got {value!r}"
        )
    return value
