"""The run configuration (`recon.toml`, CONTRACT.md section 2): defaults, loading, overrides.

Every key is optional; command-line options win over the file. Unknown keys are an error, so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import codecs
import re
import string
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recon.compensation_rules import PolicyRule, parse_policies
from recon.errors import ConfigError

SOURCES = ("ledger", "channel", "gateway", "invoices")
REQUIRED_SOURCES = ("ledger", "channel", "gateway")


@dataclass(frozen=True)
class SourceConfig:
    """How to read one source: its encoding, amount format, and its own column names."""

    encoding: str = "utf-8"
    thousands_separator: str | None = None
    delimiter: str | None = None  # of a CSV file; None: taken from its header line
    # the extract's column name -> our column name
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # a provider's own file format (docs/formats.md) and its checked options (FormatOptions)
    format: str | None = None
    format_options: Any = None


@dataclass(frozen=True)
class CompensationPolicy:
    """Interest owed on money held by a break (CONTRACT.md section 4, default policy)."""

    annual_rate: Decimal = Decimal("0.05")
    day_basis: int = 365
    min_days: int = 1
    refund_gateway_fee: bool = True
    # `[[compensation.policies]]` (recon/compensation_rules.py); none: the default above
    policies: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True)
class SlaPolicy:
    """Severity of an open exception by amount, and hours allowed per severity."""

    high_amount: Decimal = Decimal("10000")
    medium_amount: Decimal = Decimal("1000")
    high_hours: int = 4
    medium_hours: int = 24
    low_hours: int = 72


@dataclass(frozen=True)
class PrivacyPolicy:
    """Which outputs show account and customer ids masked (`AC******0224`, recon.privacy).

    `mask`: the artefacts that are shared (report.html, the Prefect artifacts, the incident
    impact report). `mask_exports`: the analysts' files of a run (exceptions.csv/.parquet,
    corrections.csv, compensation.csv, quarantine.csv), full by default.
    """

    mask: bool = True
    mask_exports: bool = False


@dataclass(frozen=True)
class WebPolicy:
    """The web app (`recon serve`, docs/web.md): a login lasts at most `session_minutes` after
    signing in and no more than `idle_minutes` without a request; an attachment holds at most
    `max_attachment_bytes`."""

    session_minutes: int = 480
    idle_minutes: int = 30
    max_attachment_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class ApprovalPolicy:
    """Who may approve a proposed correction or compensation by its amount (docs/store.md,
    "Corrections and compensation"): above `admin_above` only an admin may; None: any
    approver. The amount is compared as is, whatever the currency (as `[sla]` does)."""

    admin_above: Decimal | None = None


@dataclass(frozen=True)
class Config:
    timezone: str = "UTC"
    encoding: str = "utf-8"
    thousands_separator: str | None = None
    delimiter: str | None = None
    clearing_accounts: tuple[str, ...] = ()
    cutoff: datetime | None = None
    grace_minutes: int = 30
    pending_sla_minutes: int = 30
    duplicate_window_minutes: int = 10
    max_bad_ratio: Decimal = Decimal("0.01")
    annual_rate: Decimal = Decimal("0.05")
    # the plausible window of a timestamp: from `min_date` (in `timezone`) to
    # `max_future_hours` after the cutoff (without one, after the run's start)
    max_future_hours: int = 72
    min_date: date = date(2000, 1, 1)
    currency_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sources: Mapping[str, SourceConfig] = field(default_factory=lambda: MappingProxyType({}))
    compensation: CompensationPolicy = field(default_factory=CompensationPolicy)
    sla: SlaPolicy = field(default_factory=SlaPolicy)
    privacy: PrivacyPolicy = field(default_factory=PrivacyPolicy)
    web: WebPolicy = field(default_factory=WebPolicy)
    approvals: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    # operations
    store: str = "recon.duckdb"
    # a PostgreSQL store's password, first line of this file (never in the URL): location.py
    password_file: str | None = None
    memory_limit: str | None = None
    threads: int | None = None
    # where the working tables live: "auto" (disk when the day is far beyond memory_limit),
    # "memory" or "disk" (recon/resources.py)
    working_db: str = "auto"
    # the per-transfer checks in this many buckets (None: as many as the memory needs)
    buckets: int | None = None
    # run the buckets on a Dask cluster: local, local:N or the scheduler's tcp:// address
    cluster: str | None = None
    # a folder every cluster worker sees, for the buckets' inputs and outputs
    cluster_storage: str | None = None
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
            delimiter=(own.delimiter if own and own.delimiter else self.delimiter),
            columns=own.columns if own else MappingProxyType({}),
            format=own.format if own else None,
            format_options=own.format_options if own else None,
        )

    @property
    def policy(self) -> CompensationPolicy:
        """The compensation policy with the top-level `annual_rate` applied."""
        return replace(self.compensation, annual_rate=self.annual_rate)


def parse_timestamp(
    text: str | datetime, timezone: str = "UTC", *, date_alone: bool = True
) -> datetime:
    """An ISO 8601 timestamp as an aware datetime; one without offset is in `timezone`.
    `date_alone=False` (the cutoff) refuses a date without a time, as CONTRACT.md does for
    every timestamp of the extracts; a query's `--since 2024-03-16` may mean its midnight."""
    if isinstance(text, datetime):
        value = text
    else:
        raw = str(text).strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError as err:
            raise ConfigError(f"not an ISO 8601 timestamp: {raw!r}") from err
        # CONTRACT.md: a date alone is not a timestamp (Python reads it as midnight)
        if not date_alone and not _HAS_TIME.match(raw):
            raise ConfigError(f"a date alone is not a timestamp (give a time too): {raw!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    offset = value.utcoffset()
    if offset is not None and abs(offset) > _MAX_OFFSET:
        raise ConfigError(f"an offset beyond ±14:00 is no time zone's: {str(text).strip()!r}")
    return value


_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", re.IGNORECASE)
_MAX_OFFSET = timedelta(hours=14)


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
    given = {k: v for k, v in overrides.items() if v is not None}
    data.update(given)
    # an error names where its value came from: the flag, not the file it overrode
    flags = {key: option_flag(key) for key in given}
    return config_from_mapping(data, origin=str(path) if path else "options", flags=flags)


def option_flag(key: str) -> str:
    """The command-line option that overrides config key `key` (`cutoff` -> `--cutoff`)."""
    return "--" + key.replace("_", "-")


_TABLES = {"sources", "compensation", "sla", "privacy", "web", "approvals"}
WORKING_DB_PLACES = ("auto", "memory", "disk")
_SIMPLE = {f.name for f in fields(Config)} - _TABLES


def config_from_mapping(
    data: Mapping[str, Any], origin: str = "config", flags: Mapping[str, str] | None = None
) -> Config:
    """Build and check a Config from a parsed TOML mapping.

    Every error names where the value came from: `origin: key` (`recon.toml: timezone`), or
    the flag in `flags` (key -> `--cutoff`) for a value given on the command line.
    """
    unknown = set(data) - _SIMPLE - _TABLES
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {sorted(unknown)}")
    blame = _Blame(origin, flags or {})
    kw: dict[str, Any] = {}
    try:
        for key in (
            "timezone",
            "encoding",
            "store",
            "landing",
            "memory_limit",
            "password_file",
            "cluster",
            "cluster_storage",
            "working_db",
        ):
            if key in data:
                kw[key] = str(data[key]).strip() if key == "memory_limit" else str(data[key])
        if "thousands_separator" in data:
            with blame("thousands_separator"):
                kw["thousands_separator"] = _separator(data["thousands_separator"])
        if "delimiter" in data:
            with blame("delimiter"):
                kw["delimiter"] = _delimiter(data["delimiter"])
        if "clearing_accounts" in data:
            kw["clearing_accounts"] = tuple(str(a) for a in data["clearing_accounts"])
        for key in (
            "grace_minutes",
            "pending_sla_minutes",
            "duplicate_window_minutes",
            "pull_deadline_minutes",
            "pull_retry_seconds",
            "threads",
            "buckets",
            "max_future_hours",
        ):
            if key in data:
                with blame(key):
                    kw[key] = _non_negative_int(key, data[key])
        for key in ("max_bad_ratio", "annual_rate"):
            if key in data:
                with blame(key):
                    kw[key] = _decimal(key, data[key])
        if "min_date" in data:
            with blame("min_date"):
                kw["min_date"] = _date("min_date", data["min_date"])
        if "currency_aliases" in data:
            kw["currency_aliases"] = MappingProxyType(
                {str(k).upper(): str(v).upper() for k, v in dict(data["currency_aliases"]).items()}
            )
        if "sources" in data:
            kw["sources"] = MappingProxyType(
                {name: _source(name, spec) for name, spec in dict(data["sources"]).items()}
            )
        if "compensation" in data:
            kw["compensation"] = _compensation(data["compensation"])
        if "sla" in data:
            kw["sla"] = _table(SlaPolicy, "sla", data["sla"])
        if "privacy" in data:
            kw["privacy"] = _table(PrivacyPolicy, "privacy", data["privacy"])
        if "web" in data:
            kw["web"] = _table(WebPolicy, "web", data["web"])
        if "approvals" in data:
            kw["approvals"] = _approvals(data["approvals"])
        config = Config(**kw)
        with blame("timezone"):
            _check_timezone(config.timezone)
        with blame("encoding"):
            _check_encoding(config.encoding)
        for name, own in config.sources.items():
            if own.encoding:
                key = f"[sources.{name}] encoding"
                with blame(key, flag=False):
                    _check_encoding(own.encoding, key)
        with blame("landing"):
            check_landing_template(config.landing)
        from recon.store.location import looks_like_url, pg_location, remember_password_file

        if looks_like_url(config.store):  # (imported here: the store imports config)
            with blame("store"):
                pg_location(config.store, origin="store")
            remember_password_file(config.store, config.password_file)
        if config.memory_limit is not None:
            with blame("memory_limit"):
                _check_memory_limit(config.memory_limit)
        if config.working_db not in WORKING_DB_PLACES:
            with blame("working_db"):
                raise ConfigError(
                    f"working_db {config.working_db!r} must be one of"
                    f" {', '.join(WORKING_DB_PLACES)}"
                )
        for key in ("session_minutes", "idle_minutes", "max_attachment_bytes"):
            if getattr(config.web, key) < 1:
                raise ConfigError(f"[web] {key} must be at least 1, got {getattr(config.web, key)}")
        if config.cluster is not None:
            with blame("cluster"):
                check_cluster(config.cluster)
        if config.threads is not None and config.threads < 1:
            with blame("threads"):
                raise ConfigError(f"threads must be at least 1, got {config.threads}")
        if "cutoff" in data and data["cutoff"] not in (None, ""):
            with blame("cutoff"):
                config = replace(
                    config,
                    cutoff=parse_timestamp(data["cutoff"], config.timezone, date_alone=False),
                )
        if not Decimal(0) <= config.max_bad_ratio <= Decimal(1):
            with blame("max_bad_ratio"):
                raise ConfigError(
                    f"max_bad_ratio must be between 0 and 1, got {config.max_bad_ratio}"
                )
    except _Blamed:
        raise
    except ConfigError as err:
        raise ConfigError(f"{origin}: {err}") from None
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{origin}: {err}") from None
    return config


def _source(name: str, spec: Any) -> SourceConfig:
    if name not in SOURCES:
        raise ConfigError(f"[sources.{name}]: unknown source (known: {', '.join(SOURCES)})")
    spec = dict(spec)
    if "format" in spec:
        from recon.ingest.formats.config import format_source  # formats import config's errors

        return format_source(name, spec)
    unknown = set(spec) - {"encoding", "thousands_separator", "delimiter", "columns"}
    if unknown:
        raise ConfigError(
            f"[sources.{name}]: unknown key(s) {sorted(unknown)} (provider-file options such as"
            ' skip_rows need `format`, e.g. format = "generic"; see `recon formats`)'
        )
    columns = {str(k): str(v) for k, v in dict(spec.get("columns", {})).items()}
    return SourceConfig(
        encoding=str(spec["encoding"]) if "encoding" in spec else "",
        thousands_separator=(
            _separator(spec["thousands_separator"]) if "thousands_separator" in spec else None
        ),
        delimiter=_delimiter(spec["delimiter"]) if "delimiter" in spec else None,
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
            if not isinstance(value, bool):  # bool("false") is True: take only true / false
                raise ConfigError(f"[{name}] {key} must be true or false, got {value!r}")
            values[key] = value
        elif isinstance(default, Decimal):
            values[key] = _decimal(f"{name}.{key}", value)
        else:
            values[key] = _non_negative_int(f"{name}.{key}", value)
    return cls(**values)


def _compensation(spec: Any) -> CompensationPolicy:
    """`[compensation]`: the default policy's keys, and `[[compensation.policies]]`."""
    spec = dict(spec)
    policies = parse_policies(spec.pop("policies")) if "policies" in spec else ()
    return replace(_table(CompensationPolicy, "compensation", spec), policies=policies)


_MONEY_MAX = Decimal("9999999999999999.99")  # DECIMAL(18, 2), the store's money


def _approvals(spec: Any) -> ApprovalPolicy:
    """`[approvals]`: `admin_above` an amount of money (a string such as "50000.00", or a
    number), at least 0 with at most two decimals."""
    spec = dict(spec)
    unknown = set(spec) - {"admin_above"}
    if unknown:
        raise ConfigError(f"[approvals]: unknown key(s) {sorted(unknown)}")
    if "admin_above" not in spec:
        return ApprovalPolicy()
    value = spec["admin_above"]
    try:
        amount = None if isinstance(value, bool) else Decimal(str(value).strip())
        money = (
            amount is not None
            and amount.is_finite()
            and Decimal(0) <= amount <= _MONEY_MAX
            and amount == amount.quantize(Decimal("0.01"))
        )
    except InvalidOperation:
        money = False
    if not money:
        raise ConfigError(
            f'[approvals] admin_above must be an amount of money such as "50000.00"'
            f" (at least 0, at most two decimals), got {value!r}"
        )
    return ApprovalPolicy(admin_above=amount)


def _separator(value: Any) -> str | None:
    text = "" if value is None else str(value)
    if len(text) > 1:
        raise ConfigError(f"thousands_separator must be one character, got {text!r}")
    return text or None


def _delimiter(value: Any) -> str | None:
    """A CSV delimiter: one character, not a quote or line end; empty means from the header."""
    text = "" if value is None else str(value)
    if len(text) > 1 or text in ('"', "\r", "\n"):
        raise ConfigError(f"delimiter must be one character other than a quote, got {text!r}")
    return text or None


def _decimal(key: str, value: Any) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except InvalidOperation as err:
        raise ConfigError(f"{key} must be a decimal number, got {value!r}") from err


def _date(key: str, value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as err:
        raise ConfigError(f"{key} must be a date YYYY-MM-DD, got {value!r}") from err


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


class _Blamed(ConfigError):
    """A config error that already names where its value came from."""


class _Blame:
    """`with blame("cutoff"):` turns an error about one key into one naming where it came from.

    Messages start with the key (`grace_minutes must not be negative`); the key is shown as the
    file and key (`recon.toml: grace_minutes must ...`) or as the flag that gave the value
    (`--grace-minutes must ...`).
    """

    def __init__(self, origin: str, flags: Mapping[str, str]) -> None:
        self.origin, self.flags = origin, flags

    @contextmanager
    def __call__(self, key: str, *, flag: bool = True) -> Iterator[None]:
        try:
            yield
        except (ConfigError, TypeError, ValueError) as err:
            message = str(err)
            named = message.startswith(f"{key} ")
            if flag and key in self.flags:
                where = self.flags[key]
                text = where + message[len(key) :] if named else f"{where}: {message}"
            else:
                text = f"{self.origin}: {message}" if named else f"{self.origin}: {key}: {message}"
            raise _Blamed(text) from None


def _check_timezone(name: str) -> None:
    """A zone both Python and DuckDB know: DuckDB turns local times into instants in SQL."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ConfigError(
            f"timezone {name!r} is not a known time zone (an IANA name such as 'Asia/Shanghai')"
        ) from err
    if name not in _duckdb_zones():
        raise ConfigError(
            f"timezone {name!r} is not a time zone DuckDB knows (use an IANA name such as"
            " 'Asia/Shanghai' or 'UTC')"
        )


@cache
def _duckdb_zones() -> frozenset[str]:
    import duckdb

    with duckdb.connect(":memory:", config={"autoinstall_known_extensions": False}) as con:
        rows = con.sql("SELECT name FROM pg_timezone_names()").fetchall()
    return frozenset(row[0] for row in rows)


# Python text codecs that do not describe how characters are stored in a file
_NOT_FILE_ENCODINGS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}


def _check_encoding(name: str, key: str = "encoding") -> None:
    """A character encoding a text extract can be in (UTF-16/32 are transcoded to UTF-8)."""
    try:
        info = codecs.lookup(name)
    except LookupError as err:
        raise ConfigError(f"{key} {name!r} is not a known encoding") from err
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(
            f"{key} {name!r} is a {info.name} codec, not a text encoding (e.g. 'utf-8', 'gb18030')"
        )
    if info.name in _NOT_FILE_ENCODINGS:
        raise ConfigError(f"{key} {name!r} is not a character encoding of files")


_STRFTIME_CODES = set("aAbBcdfGHIjmMpSuUVwWxXyYzZ%")
_PLACEHOLDER = "only {date} (ISO, 2024-03-15) or {date:FORMAT} with strftime codes (%Y%m%d)"


def check_landing_template(template: str) -> None:
    """The landing template names the business date only: `{date}` or `{date:%Y%m%d}`.

    No other field, attribute or index access (`{date.__class__}`), conversion (`{date!r}`)
    or `..` path segment: the template must not reach anything but a date's folder.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ConfigError(f"landing {template!r}: {err}; {_PLACEHOLDER} may be used") from err
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name != "date" or conversion is not None:
            shown = name + (f"!{conversion}" if conversion else "")
            raise ConfigError(f"landing {template!r}: {{{shown}}} is not allowed; {_PLACEHOLDER}")
        _check_strftime(template, spec or "")
    location = template.format(date=date(2024, 3, 15))
    if ".." in re.split(r"[/\\]", location.split("://", 1)[-1]):
        raise ConfigError(f"landing {template!r}: '..' path segments are not allowed")


def _check_strftime(template: str, spec: str) -> None:
    if "{" in spec or "}" in spec:
        raise ConfigError(f"landing {template!r}: nested fields are not allowed; {_PLACEHOLDER}")
    codes = spec.split("%")[1:]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == "" and index + 1 < len(codes):  # %% is a literal percent sign
            index += 2
            continue
        if not code or code[0] not in _STRFTIME_CODES:
            raise ConfigError(
                f"landing {template!r}: %{code[:1]} is not a strftime code; {_PLACEHOLDER}"
            )
        index += 1


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)", re.IGNORECASE)
_UNITS = {"kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4}
_UNITS.update({"kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4})
MIN_MEMORY_BYTES = 64 * 1000**2


_CLUSTER = re.compile(r"local(:[1-9][0-9]*)?|(tcp|tls)://[^\s/]+:[0-9]+")


def check_cluster(value: str) -> None:
    """`local`, `local:N` (a LocalCluster of N workers here) or a scheduler's address."""
    if not _CLUSTER.fullmatch(value.strip()):
        raise ConfigError(
            f"cluster {value!r} is not local, local:N or a scheduler address such as"
            " tcp://scheduler:8786"
        )


def _check_memory_limit(value: str) -> None:
    """A DuckDB memory limit: a number with a unit (2GB, 512MiB) of at least 64MB, or a share."""
    match = _SIZE.fullmatch(value.strip())
    if match is None:
        raise ConfigError(
            f"memory_limit {value!r} is not a size such as '2GB', '512MiB' or '50%'"
            " (units: KB, MB, GB, TB, KiB, MiB, GiB, TiB, or % of the memory)"
        )
    number, unit = Decimal(match[1]), match[2].lower()
    if unit == "%":
        if not Decimal(0) < number <= Decimal(100):
            raise ConfigError(f"memory_limit {value!r} must be more than 0% and at most 100%")
    elif number * _UNITS[unit] < MIN_MEMORY_BYTES:
        raise ConfigError(f"memory_limit {value!r} is below the minimum of 64MB")
