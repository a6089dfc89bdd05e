"""Control-total sidecars (`<file>.control.json`): catch truncated or corrupt extracts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from recon.errors import ControlTotalMismatch, UnreadableFileError


@dataclass(frozen=True)
class ControlTotals:
    rows: int
    amount_sum: Decimal


def sidecar_of(path: Path) -> Path:
    """`<file>.control.json` beside `path`, its name matched regardless of case (as extracts
    are: `LEDGER.CSV.CONTROL.JSON` is ledger's too; an exact-case lookup passed it by)."""
    wanted = (path.name + ".control.json").lower()
    try:
        found = sorted(p for p in path.parent.iterdir() if p.name.lower() == wanted)
    except OSError:
        found = []
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise UnreadableFileError(path, f"has two control-total sidecars, {names}: keep one")
    return found[0] if found else path.with_name(path.name + ".control.json")


def read_control_totals(path: Path, separator: str | None) -> ControlTotals | None:
    """The sidecar of `path`, if there is one; `amount_sum` may use the thousands separator."""
    sidecar = sidecar_of(path)
    if not sidecar.exists():
        return None
    try:
        # a number is read as written: amount_sum 177961752644570.36 through a float is .38
        data = json.loads(sidecar.read_text(encoding="utf-8-sig"), parse_float=Decimal)
        rows = data["rows"]
        if isinstance(rows, bool) or not isinstance(rows, int | str):
            raise TypeError(f"rows must be a whole number, got {rows!r}")
        text = str(data["amount_sum"]).strip()
        if separator:
            text = text.replace(separator, "")
        return ControlTotals(rows=int(rows), amount_sum=Decimal(text))
    except (OSError, ValueError, KeyError, TypeError, InvalidOperation) as err:
        raise UnreadableFileError(
            sidecar, f'not a control-total file {{"rows": N, "amount_sum": "..."}}: {err!r}'
        ) from None


def check_control_totals(
    path: Path, expected: ControlTotals, rows: int, amount_sum: Decimal
) -> None:
    """Raise `ControlTotalMismatch` naming the file and both figures when they differ."""
    if expected.rows != rows:
        raise ControlTotalMismatch(path, "rows", str(expected.rows), str(rows))
    if expected.amount_sum != amount_sum:
        raise ControlTotalMismatch(path, "amount_sum", str(expected.amount_sum), str(amount_sum))
