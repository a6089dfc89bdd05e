"""The mapping options of a provider format, as `[sources.<name>]` in the config gives them.

A format brings its own defaults (the WeChat backtick, its status words, its columns); the
config overlays its keys on them. Unknown keys and impossible values are refused when the
config is read, each error naming the source and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Literal

from recon.errors import ConfigError
from recon.ingest.formats.cells import check_offset

AmountUnit = Literal["yuan", "fen"]
AMOUNT_UNITS = ("yuan", "fen")
BalanceBasis = Literal["booking", "value"]
BALANCE_BASES = ("booking", "value")


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class FormatOptions:
    """How to turn one provider file into canonical records.

    delimiter: field separator (None: the most frequent of `,` tab `;` `|`).
    skip_rows: lines before the header (None: the header is the first line whose first cell
        starts with `header_starts`, or the first line).
    header_starts: the first header cell, when the intro block's length varies.
    footer_starts: the first line whose first cell starts with this, and all after it, are the
        summary (footer), not rows.
    footer_required: a file without its footer was cut short: stop.
    strip_prefix: characters removed from the start of every value (WeChat's backtick).
    null_values: values that mean "none" (the personal bills' `/`).
    status_map: provider status text -> contract status.
    columns: provider column name -> canonical column (the format's defaults overlaid).
    constants: canonical column -> value for every record that has none (a fixed currency).
    amount_unit: "yuan" (decimal units) or "fen" (integer hundredths).
    sheet: the worksheet of an .xlsx file (None: the first).
    encoding: the file's text encoding.
    utc_offset: written after provider times that carry none ("+08:00"; "" for none).
    balance_basis: how a statement's closing booked balance counts its entries: "booking"
        (every booked entry, ISO 20022's definition) or "value" (booked entries valued on or
        before the closing balance's date); None for a format whose files state no balances
        (the key is refused there).
    files: glob of the source's file names in the data folder (None: `<source>*`).
    source: the recon source the records feed (set from the config table's name).
    """

    delimiter: str | None = None
    skip_rows: int | None = None
    header_starts: str | None = None
    footer_starts: str | None = None
    footer_required: bool = False
    strip_prefix: str = ""
    null_values: tuple[str, ...] = ()
    status_map: Mapping[str, str] = field(default_factory=_empty)
    columns: Mapping[str, str] = field(default_factory=_empty)
    constants: Mapping[str, str] = field(default_factory=_empty)
    amount_unit: AmountUnit = "yuan"
    sheet: str | None = None
    encoding: str = "utf-8-sig"
    utc_offset: str = ""
    balance_basis: BalanceBasis | None = None
    files: str | None = None
    source: str = "gateway"


# config keys of a format source: every option but `source` (the table's own name)
OPTION_KEYS = tuple(f.name for f in fields(FormatOptions) if f.name != "source")


def resolve_options(
    defaults: FormatOptions, source: str, given: Mapping[str, Any]
) -> FormatOptions:
    """`defaults` with the config's `given` keys of `[sources.<source>]` overlaid, checked."""
    where = f"[sources.{source}]"
    unknown = sorted(set(given) - set(OPTION_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown option(s) {unknown} for a format source (known: "
            f"{', '.join(OPTION_KEYS)})"
        )
    values: dict[str, Any] = {"source": source}
    for key, value in given.items():
        values[key] = _option(defaults, where, key, value)
    if "columns" in values:
        ours = set(values["columns"].values())
        kept = {k: v for k, v in defaults.columns.items() if v not in ours}
        values["columns"] = MappingProxyType(kept | dict(values["columns"]))
    for key in ("status_map", "constants"):
        if key in values:
            values[key] = MappingProxyType(dict(getattr(defaults, key)) | dict(values[key]))
    options = replace(defaults, **values)
    _check_targets(options, where)
    return options


def _option(defaults: FormatOptions, where: str, key: str, value: Any) -> Any:
    name = f"{where} {key}"
    if key in ("skip_rows",):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{name} must be a whole number of lines (0 or more), got {value!r}")
        return value
    if key == "footer_required":
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false, got {value!r}")
        return value
    if key in ("status_map", "columns", "constants"):
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(f'{name} must be a table of texts, e.g. {{"REFUND" = "REFUNDED"}}')
        return {str(k): v for k, v in value.items()}
    if key == "null_values":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{name} must be a list of texts, e.g. ["/", "-"]')
        return tuple(value)
    if key == "balance_basis":
        if defaults.balance_basis is None:
            raise ConfigError(
                f"{name} applies only to a format whose files state balances (camt053)"
            )
        if value not in BALANCE_BASES:
            raise ConfigError(
                f"{name} must be one of {', '.join(repr(b) for b in BALANCE_BASES)}, got {value!r}"
            )
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a text, got {value!r}")
    if key == "delimiter" and (len(value) != 1 or value in ('"', "\r", "\n")):
        raise ConfigError(f"{name} must be one character other than a quote, got {value!r}")
    if key == "amount_unit" and value not in AMOUNT_UNITS:
        raise ConfigError(f"{name} must be one of {', '.join(AMOUNT_UNITS)}, got {value!r}")
    if key == "encoding":
        _check_encoding(name, value)
    if key == "utc_offset":
        try:
            check_offset(value)
        except ValueError as err:
            raise ConfigError(f"{where} {err}") from None
    return value


def _check_encoding(name: str, value: str) -> None:
    import codecs

    try:
        codecs.lookup(value)
    except LookupError:
        raise ConfigError(f"{name} {value!r} is not a known encoding") from None


def _check_targets(options: FormatOptions, where: str) -> None:
    """Columns and constants must name the source's own columns, a status map its statuses."""
    from recon.ingest.rules import source_rules

    rules = source_rules(options.source)
    known = set(rules.names)
    for key in ("columns", "constants"):
        targets = getattr(options, key).values() if key == "columns" else getattr(options, key)
        unknown = sorted(set(targets) - known)
        if unknown:
            raise ConfigError(
                f"{where} {key} names unknown {options.source} column(s) {unknown};"
                f" {options.source} has {', '.join(rules.names)}"
            )
    status = next((c for c in rules.columns if c.name == "status"), None)
    allowed = {a for check in status.checks for a in check.allowed} if status else set()
    wrong = sorted({v for v in options.status_map.values() if allowed and v not in allowed})
    if wrong:
        raise ConfigError(
            f"{where} status_map gives {wrong}, not {options.source} statuses"
            f" ({', '.join(sorted(allowed))})"
        )
