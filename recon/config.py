"""The run configuration (`recon.toml`, CONTRACT.md section 2): defaults, loading, overrides.

Every key is optional; command-line options win over the file. Unknown keys are an error, so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recon.errors import ConfigError

SOURCES = ("ledger", "channel", "gateway", "invoices")
REQUIRED_SOURCES = ("ledger", "channel", "gateway")


@dataclass(frozen=True)
class SourceConfig:
    """How to read one source: its encoding, amount format, and its own column names."""

    encoding: str = "utf-8"
    thousands_separator: str | None = None
    # the extract's column name -> our column name
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class CompensationPolicy:
    """Interest owed on money held by a break (CONTRACT.md section 4, default policy)."""

    annual_rate: Decimal = Decimal("0.05")
    day_basis: int = 365
    min_days: int = 1
    refund_gateway_fee: bool = True


@dataclass(frozen=True)
class SlaPolicy:
    """Severity of an open exception by amount, and hours allowed per severity."""

    high_amount: Decimal = Decimal("10000")
    medium_amount: Decimal = Decimal("1000")
    high_hours: int = 4
    medium_hours: int = 24
    low_hours: int = 72


@dataclass(frozen=True)
class Config:
    timezone: str = "UTC"
    encoding: str = "utf-8"
    thousands_separator: str | None = None
    clearing_accounts: tuple[str, ...] = ()
    cutoff: datetime | None = None
    grace_minutes: int = 30
    pending_sla_minutes: int = 30
    duplicate_window_minutes: int = 10
    max_bad_ratio: Decimal = Decimal("0.01")
    annual_rate: Decimal = Decimal("0.05")
    currency_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, SourceConfig] = field(default_factory=lambda: MappingProxyType({}))
    compensation: CompensationPolicy = field(default_factory=CompensationPolicy)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    # operations
    store: str = "recon.duckdb"
    memory_limit: str | None = None
    threads: int | None = None
    landing: str = "landing/{date}"
    pull_deadline_minutes: int = 240
    pull_retry_seconds: int = 300

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def source(self, name: str) -> SourceConfig:
        """The effective settings of one source: its own table over the top-level defaults."""
        own = self.sources.get(name)
        return SourceConfig(
            encoding=(own.encoding if own and own.encoding else self.encoding),
            thousands_separator=(
                own.thousands_separator
                if own and own.thousands_separator is not None
                else self.thousands_separator
            ),
            columns=own.columns if own else MappingProxyType({}),
        )

    @property
    def policy(self) -> CompensationPolicy:
        """The compensation policy with the top-level `annual_rate` applied."""
        return replace(self.compensation, annual_rate=self.annual_rate)


def parse_timestamp(text: str | datetime, timezone: str = "UTC") -> datetime:
    """An ISO 8601 timestamp as an aware datetime; one without offset is in `timezone`."""
    if isinstance(text, datetime):
        value = text
    else:
        raw = str(text).strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError as err:
            raise ConfigError(f"not an ISO 8601 timestamp: {raw!r}") from err
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """The config from `path` (if any) with non-None `overrides` (command-line options) on top."""
    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise ConfigError(f"config file not found: {p}") from err
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{p}: not valid TOML: {err}") from err
    data.update({k: v for k, v in overrides.items() if v is not None})
    return config_from_mapping(data, origin=str(path) if path else "options")


_SIMPLE = {f.name for f in fields(Config)} - {"sources", "compensation", "sla"}


def config_from_mapping(data: Mapping[str, Any], origin: str = "config") -> Config:
    """Build and check a Config from a parsed TOML mapping."""
    unknown = set(data) - _SIMPLE - {"sources", "compensation", "sla"}
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {sorted(unknown)}")
    kw: dict[str, Any] = {}
    try:
        for key in ("timezone", "encoding", "store", "landing", "memory_limit"):
            if key in data:
                kw[key] = str(data[key])
        if "thousands_separator" in data:
            kw["thousands_separator"] = _separator(data["thousands_separator"])
        if "clearing_accounts" in data:
            kw["clearing_accounts"] = tuple(str(a) for a in data["clearing_accounts"])
        for key in (
            "grace_minutes",
            "pending_sla_minutes",
            "duplicate_window_minutes",
            "pull_deadline_minutes",
            "pull_retry_seconds",
            "threads",
        ):
            if key in data:
                kw[key] = _non_negative_int(key, data[key])
        for key in ("max_bad_ratio", "annual_rate"):
            if key in data:
                kw[key] = _decimal(key, data[key])
        if "currency_aliases" in data:
            kw["currency_aliases"] = MappingProxyType(
                {str(k).upper(): str(v).upper() for k, v in dict(data["currency_aliases"]).items()}
            )
        if "sources" in data:
            kw["sources"] = MappingProxyType(
                {name: _source(name, spec) for name, spec in dict(data["sources"]).items()}
            )
        if "compensation" in data:
            kw["compensation"] = _table(CompensationPolicy, "compensation", data["compensation"])
        if "sla" in data:
            kw["sla"] = _table(SlaPolicy, "sla", data["sla"])
        config = Config(**kw)
        try:
            ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ConfigError(f"unknown timezone {config.timezone!r}") from err
        for name in SOURCES:
            _check_encoding(config.source(name).encoding)
        if "cutoff" in data and data["cutoff"] not in (None, ""):
            config = replace(config, cutoff=parse_timestamp(data["cutoff"], config.timezone))
        if not Decimal(0) <= config.max_bad_ratio <= Decimal(1):
            raise ConfigError("max_bad_ratio must be between 0 and 1")
    except ConfigError as err:
        raise ConfigError(f"{origin}: {err}") from None
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{origin}: {err}") from None
    return config


def _source(name: str, spec: Any) -> SourceConfig:
    if name not in SOURCES:
        raise ConfigError(f"[sources.{name}]: unknown source (known: {', '.join(SOURCES)})")
    spec = dict(spec)
    unknown = set(spec) - {"encoding", "thousands_separator", "columns"}
    if unknown:
        raise ConfigError(f"[sources.{name}]: unknown key(s) {sorted(unknown)}")
    columns = {str(k): str(v) for k, v in dict(spec.get("columns", {})).items()}
    return SourceConfig(
        encoding=str(spec["encoding"]) if "encoding" in spec else "",
        thousands_separator=(
            _separator(spec["thousands_separator"]) if "thousands_separator" in spec else None
        ),
        columns=MappingProxyType(columns),
    )


def _table(cls: type, name: str, spec: Any) -> Any:
    spec = dict(spec)
    known = {f.name: f for f in fields(cls)}
    unknown = set(spec) - set(known)
    if unknown:
        raise ConfigError(f"[{name}]: unknown key(s) {sorted(unknown)}")
    values: dict[str, Any] = {}
    defaults = cls()
    for key, value in spec.items():
        default = getattr(defaults, key)
        if isinstance(default, bool):
            values[key] = bool(value)
        elif isinstance(default, Decimal):
            values[key] = _decimal(f"{name}.{key}", value)
        else:
            values[key] = _non_negative_int(f"{name}.{key}", value)
    return cls(**values)


def _separator(value: Any) -> str | None:
    text = "" if value is None else str(value)
    if len(text) > 1:
        raise ConfigError(f"thousands_separator must be one character, got {text!r}")
    return text or None


def _decimal(key: str, value: Any) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except InvalidOperation as err:
        raise ConfigError(f"{key} must be a decimal number, got {value!r}") from err


def _non_negative_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(f"{key} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError as err:
        raise ConfigError(f"{key} must be a whole number, got {value!r}") from err
    if number < 0:
        raise ConfigError(f"{key} must not be negative, got {number}")
    return number


def _check_encoding(name: str) -> None:
    try:
        codecs.lookup(name)
    except LookupError as err:
        raise ConfigError(f"unknown encoding {name!r}") from err
