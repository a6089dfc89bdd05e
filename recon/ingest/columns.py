"""Which of a file's columns holds which of our columns (`[sources.X.columns]` mapping)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from recon.errors import ConfigError, UnreadableFileError
from recon.ingest.rules import SourceRules


def check_mapping(rules: SourceRules, mapping: Mapping[str, str]) -> None:
    """A mapping may only name our columns: a typo must not silently drop a column."""
    unknown = sorted(set(mapping.values()) - set(rules.names))
    if unknown:
        raise ConfigError(
            f"[sources.{rules.source}.columns] maps to unknown column(s) {unknown};"
            f" {rules.source} has {', '.join(rules.names)}"
        )


def column_positions(
    header: Sequence[str], rules: SourceRules, mapping: Mapping[str, str], file: Path
) -> dict[str, int]:
    """Our column name -> 0-based position in `header`.

    A header name is taken through the mapping when it has one, else it is ours when it
    equals one of our names (ignoring case and surrounding blanks); anything else is an
    extra column and ignored. A required column with no match stops the run.
    """
    ours_by_lower = {name.lower(): name for name in rules.names}
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().removeprefix("\ufeff").strip()
        ours = mapping.get(name) or mapping.get(raw) or ours_by_lower.get(name.lower())
        if ours is None:
            continue
        if ours in positions:
            raise UnreadableFileError(
                file,
                f"columns {header[positions[ours]]!r} and {raw!r} both give {rules.source}"
                f" column {ours!r}",
            )
        positions[ours] = index
    missing = [c.name for c in rules.columns if not c.nullable and c.name not in positions]
    if missing:
        raise UnreadableFileError(
            file,
            f"no column for required {rules.source} column(s) {', '.join(missing)}"
            f" (the file has: {', '.join(header)}); map the file's own names with"
            f" [sources.{rules.source}.columns]",
        )
    return positions


def json_keys(rules: SourceRules, mapping: Mapping[str, str]) -> dict[str, list[str]]:
    """Our column -> the JSON keys that may carry it, the mapped names first."""
    keys: dict[str, list[str]] = {name: [] for name in rules.names}
    for theirs, ours in mapping.items():
        keys[ours].append(theirs)
    for name in rules.names:
        keys[name].append(name)
    return keys
