"""The column rules of a source, as read off its Pandera schema (`schemas/`).

The rules are derived from the schema objects by `recon.ingest.schema_rules`, and kept
compiled in `compiled_rules.json` together with a fingerprint of the files they came from.
A run uses the compiled rules while that fingerprint still matches and derives them afresh
from the schemas when it does not (an edited schema is never ignored), so that the common
case does not pay for importing Pandera. `tests/ingest/test_rules.py` checks that the
compiled file is current and that the derived SQL and Pandera agree on the same rows.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from recon.config import SOURCES

Kind = Literal["text", "decimal", "timestamp", "boolean"]

DUCKDB_TYPES: dict[Kind, str] = {
    "text": "VARCHAR",
    "decimal": "DECIMAL(18,2)",
    "timestamp": "TIMESTAMPTZ",
    "boolean": "BOOLEAN",
}
COMPILED = Path(__file__).with_name("compiled_rules.json")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValueCheck:
    """One schema check on a parsed value: allowed values, a bound on a number, or a shape a
    text value may not have (schemas/text.py)."""

    op: Literal["isin", "gt", "ge", "not_json_container", "no_control_characters"]
    allowed: tuple[str, ...] = ()
    bound: Decimal = Decimal(0)


@dataclass(frozen=True)
class ColumnRule:
    name: str
    kind: Kind
    nullable: bool
    unique: bool
    checks: tuple[ValueCheck, ...]
    is_currency: bool = False  # upper-cased and mapped through `currency_aliases` first

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.kind]


@dataclass(frozen=True)
class SourceRules:
    source: str
    columns: tuple[ColumnRule, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def key(self) -> ColumnRule:
        """The source's unique key (every schema has exactly one unique column)."""
        (key,) = [c for c in self.columns if c.unique]
        return key

    @property
    def timestamps(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "timestamp")

    def column(self, name: str) -> ColumnRule:
        return next(c for c in self.columns if c.name == name)


@cache
def source_rules(source: str) -> SourceRules:
    """The rules of `source` ("ledger", "channel", "gateway", "invoices") from its schema."""
    compiled = _compiled_rules()
    if compiled is not None:
        return compiled[source]
    from recon.ingest.schema_rules import derive_rules

    return derive_rules(source)


def schema_fingerprint() -> str:
    """A hash of the schema modules and of the code that derives rules from them."""
    spec = importlib.util.find_spec("schemas")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the `schemas` package (Pandera models) is not installed")
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.py"))
    files.append(Path(__file__).with_name("schema_rules.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def rules_to_json(rules: dict[str, SourceRules], fingerprint: str) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    body = {"fingerprint": fingerprint, "sources": {s: plain(asdict(r)) for s, r in rules.items()}}
    return json.dumps(body, indent=1, sort_keys=True) + "\n"


def rules_from_json(text: str) -> tuple[str, dict[str, SourceRules]]:
    """The fingerprint and the rules of a compiled file."""
    body = json.loads(text)
    sources = {
        source: SourceRules(
            source=source,
            columns=tuple(
                ColumnRule(
                    name=c["name"],
                    kind=c["kind"],
                    nullable=c["nullable"],
                    unique=c["unique"],
                    is_currency=c["is_currency"],
                    checks=tuple(
                        ValueCheck(k["op"], tuple(k["allowed"]), Decimal(k["bound"]))
                        for k in c["checks"]
                    ),
                )
                for c in rules["columns"]
            ),
        )
        for source, rules in body["sources"].items()
    }
    return body["fingerprint"], sources


@cache
def _compiled_rules() -> dict[str, SourceRules] | None:
    if not COMPILED.exists():
        return None
    fingerprint, rules = rules_from_json(COMPILED.read_text(encoding="utf-8"))
    if fingerprint != schema_fingerprint() or set(rules) != set(SOURCES):
        log.info("schemas changed since %s was written; deriving the rules afresh", COMPILED.name)
        return None
    return rules
