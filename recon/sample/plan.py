"""What to generate, checked, and where each part of the day falls (slot layout).

The day is laid out as slots in time order: normal traffic before the outage, the outage
(whole cycles of injected cases, see templates.sql), normal traffic after it. This module is
pure: it turns the caller's wishes into the numbers the SQL binds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recon.errors import ConfigError

FORMATS = ("csv", "parquet", "jsonl")
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "ledger": (
        "entry_id", "txn_ref", "account_id", "direction", "amount", "currency", "status",
        "posted_at", "request_id", "reversal_of",
    ),
    "channel": (
        "request_id", "idempotency_key", "channel", "customer_id", "debit_account",
        "credit_account", "amount", "currency", "requested_at", "status", "error_code", "txn_ref",
    ),
    "gateway": (
        "gateway_ref", "txn_ref", "amount", "currency", "fee", "status", "gateway_at",
        "invoice_required",
    ),
    "invoices": ("invoice_id", "txn_ref", "amount", "status", "issued_at"),
}  # fmt: skip
OUTAGE_SHARE = Decimal("0.02")  # share of the day's slots that fall in the outage
MIN_EDGE_SLOTS = 10  # normal slots wanted before and after the outage
MIN_CYCLES = 3  # every injected case at least this often
IN_FLIGHT_MINUTES = 25  # in-flight look-alikes start this close to the cutoff (grace is 30)
END_MARGIN = timedelta(minutes=3)  # last request this long before the end of the day
# the outage must end this long before the cutoff so late credits (+20 min), refunds (+15 min)
# and stuck legs (SLA 30 min) are all settled or overdue by then, and none is in flight
OUTAGE_CLEARANCE = timedelta(minutes=90)


@dataclass(frozen=True)
class GenerationSpec:
    """The caller's wishes for one generated day."""

    transfers: int
    seed: int
    business_date: date
    outage_start: time | datetime = time(11, 20)
    outage_minutes: int = 10
    fmt: str = "csv"
    encoding: str = "utf-8"
    parts: int = 1
    bad_rows: int = 0
    exact_duplicates: int = 0
    control_totals: bool = True
    timezone: str = "UTC"
    currency: str = "CNY"
    annual_rate: Decimal = Decimal("0.05")
    # local name the gateway writes for the currency (e.g. RMB), mapped by currency_aliases
    currency_alias: str | None = None
    # per source, our column name -> the extract's own name (mapped back in recon.toml)
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    # a source whose last file loses its last tenth of rows after its sidecar is written
    truncate: str | None = None
    # CSV amounts written as "1,234.50" (recon.toml names the separator)
    thousands_separator: str | None = None


@dataclass(frozen=True)
class SlotLayout:
    """Slot counts and times (milliseconds after the start of the day) for the SQL."""

    day_start: datetime
    day_ms: int
    pre_ms: int
    outage_ms: int
    post_end_ms: int
    inflight_from_ms: int
    a: int  # first outage slot
    b: int  # first slot after the outage
    cycles: int
    n_customers: int

    @property
    def cutoff(self) -> datetime:
        return self.day_start + timedelta(milliseconds=self.day_ms)


def check_spec(spec: GenerationSpec) -> ZoneInfo:
    """Reject wishes the generator cannot honour, saying which and why."""
    try:
        tz = ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(f"unknown timezone {spec.timezone!r}") from err
    if spec.fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {spec.fmt!r}")
    if spec.fmt != "csv" and spec.encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ConfigError(f"encoding {spec.encoding!r} applies to CSV only, not {spec.fmt}")
    try:
        "转账".encode(spec.encoding)
    except LookupError as err:
        raise ConfigError(f"unknown encoding {spec.encoding!r}") from err
    except UnicodeEncodeError as err:
        raise ConfigError(
            f"encoding {spec.encoding!r} cannot hold the Chinese remarks in the channel extract"
        ) from err
    for source, mapping in spec.columns.items():
        known = COLUMNS.get(source)
        if known is None:
            raise ConfigError(f"columns: unknown source {source!r} (known: {', '.join(COLUMNS)})")
        unknown = set(mapping) - set(known)
        if unknown:
            raise ConfigError(f"columns: {source} has no column(s) {sorted(unknown)}")
    if spec.truncate is not None and spec.truncate not in COLUMNS:
        raise ConfigError(f"truncate: unknown source {spec.truncate!r}")
    if spec.truncate is not None and not spec.control_totals:
        raise ConfigError("truncate needs control totals: the sidecar is what shows the cut")
    if spec.thousands_separator is not None:
        if spec.fmt != "csv":
            raise ConfigError("thousands_separator applies to CSV amounts only")
        if spec.thousands_separator not in (",", " ", "'", "_"):
            raise ConfigError(
                "thousands_separator must be one of , ' _ or a space, "
                f"got {spec.thousands_separator!r}"
            )
    for name in ("parts", "outage_minutes"):
        if getattr(spec, name) < 1:
            raise ConfigError(f"{name} must be at least 1, got {getattr(spec, name)}")
    for name in ("bad_rows", "exact_duplicates", "seed"):
        if getattr(spec, name) < 0:
            raise ConfigError(f"{name} must not be negative, got {getattr(spec, name)}")
    return tz


def plan_slots(spec: GenerationSpec, cycle_len: int) -> SlotLayout:
    """Where the outage falls among the slots; `cycle_len` is the slots of one outage cycle."""
    tz = check_spec(spec)
    day_start = datetime.combine(spec.business_date, time(0), tz)
    day_end = datetime.combine(spec.business_date + timedelta(days=1), time(0), tz)
    if isinstance(spec.outage_start, datetime):
        start = spec.outage_start
        start = start if start.tzinfo else start.replace(tzinfo=tz)
    else:
        start = datetime.combine(spec.business_date, spec.outage_start, tz)
    outage = timedelta(minutes=spec.outage_minutes)
    earliest = day_start + timedelta(minutes=10)
    latest = day_end - OUTAGE_CLEARANCE - outage
    if not earliest <= start <= latest:
        raise ConfigError(
            f"outage start {start.isoformat()} must lie between {earliest.isoformat()} and "
            f"{latest.isoformat()} so its breaks are overdue, not in flight, at the cutoff "
            f"{day_end.isoformat()}"
        )
    cycles = max(MIN_CYCLES, int((spec.transfers * OUTAGE_SHARE / cycle_len).to_integral_value()))
    n_out = cycles * cycle_len
    if spec.transfers < n_out + 2 * MIN_EDGE_SLOTS:
        raise ConfigError(
            f"transfers must be at least {n_out + 2 * MIN_EDGE_SLOTS} to hold one outage cycle "
            f"({cycle_len} transfers) and normal traffic around it, got {spec.transfers}"
        )
    day_ms = _ms(day_end - day_start)
    pre_ms = _ms(start - day_start)
    outage_ms = _ms(outage)
    post_end_ms = _ms(day_end - END_MARGIN - day_start)
    post_span = post_end_ms - pre_ms - outage_ms
    normal = spec.transfers - n_out
    a = round(normal * pre_ms / (pre_ms + post_span))
    a = min(max(a, MIN_EDGE_SLOTS), normal - MIN_EDGE_SLOTS)
    return SlotLayout(
        day_start=day_start,
        day_ms=day_ms,
        pre_ms=pre_ms,
        outage_ms=outage_ms,
        post_end_ms=post_end_ms,
        inflight_from_ms=day_ms - IN_FLIGHT_MINUTES * 60_000,
        a=a,
        b=a + n_out,
        cycles=cycles,
        n_customers=max(50, spec.transfers // 3),
    )


def rate_fraction(rate: Decimal) -> tuple[int, int]:
    """An annual rate as an exact fraction, for integer interest arithmetic in SQL."""
    num, den = Decimal(rate).as_integer_ratio()
    return num, den


def _ms(delta: timedelta) -> int:
    return int(delta / timedelta(milliseconds=1))
