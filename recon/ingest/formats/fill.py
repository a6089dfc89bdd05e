"""The `constants` option applied to a reader's record: a value for every record that has none."""

from __future__ import annotations

from collections.abc import Mapping


def with_constants(fields: Mapping[str, str], constants: Mapping[str, str]) -> dict[str, str]:
    """`fields` with each constant's column filled where the file left it empty."""
    filled = dict(fields)
    for column, value in constants.items():
        if not filled.get(column):
            filled[column] = value
    return filled
