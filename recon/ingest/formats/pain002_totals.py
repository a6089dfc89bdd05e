"""The counts a pain.002 report states about the payments it answers, beside its items.

A scope (the original group, or one payment block) may state how many transactions the
original file had (`OrgnlNbOfTxs`, `OrgnlCtrlSum`) and how many are in each status
(`NbOfTxsPerSts`: `DtldSts`, `DtldNbOfTxs`, `DtldCtrlSum`). Checked: the per-status counts add
up to the original count (and sums to the control sum); and for every status the report
itemises, the itemised transactions match that status's count and sum. A status whose
transactions are not itemised (a report listing only its rejects) has nothing to count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element

from recon.ingest.formats.extract import ControlTotal
from recon.ingest.formats.iso20022 import amount, children, code, text

ZERO = Decimal("0")


@dataclass(frozen=True)
class Status:
    """One itemised transaction as the totals see it."""

    code: str  # TxSts, or the status it inherits
    amount: str  # the original amount's text, "" when absent


def status_controls(
    path: str, scope: Element | None, transactions: Sequence[Status]
) -> list[ControlTotal]:
    """Controls of one scope (`OrgnlGrpInfAndSts` or `OrgnlPmtInfAndSts`)."""
    if scope is None:
        return []
    per_status = list(children(scope, "NbOfTxsPerSts", path))
    found: list[ControlTotal] = []
    counts = [amount(text(d, "DtldNbOfTxs")) for _, d in per_status]
    sums = [amount(text(d, "DtldCtrlSum")) for _, d in per_status]
    stated_count = amount(text(scope, "OrgnlNbOfTxs"))
    stated_sum = amount(text(scope, "OrgnlCtrlSum"))
    if per_status and stated_count is not None and None not in counts:
        found.append(
            ControlTotal(
                name=f"{path}/OrgnlNbOfTxs (= sum of NbOfTxsPerSts/DtldNbOfTxs)",
                expected=stated_count,
                actual=sum((c for c in counts if c is not None), ZERO),
            )
        )
    if per_status and stated_sum is not None and None not in sums:
        found.append(
            ControlTotal(
                name=f"{path}/OrgnlCtrlSum (= sum of NbOfTxsPerSts/DtldCtrlSum)",
                expected=stated_sum,
                actual=sum((s for s in sums if s is not None), ZERO),
            )
        )
    for (detail_path, detail), count, total in zip(per_status, counts, sums, strict=True):
        status = code(detail, "DtldSts")
        items = [t for t in transactions if t.code == status]
        if not items:
            continue
        found.append(
            ControlTotal(
                name=f"{detail_path}/DtldNbOfTxs ({status})",
                expected=count if count is not None else Decimal(-1),
                actual=Decimal(len(items)),
            )
        )
        amounts = [amount(t.amount) for t in items]
        if total is not None and None not in amounts:
            found.append(
                ControlTotal(
                    name=f"{detail_path}/DtldCtrlSum ({status})",
                    expected=total,
                    actual=sum((a for a in amounts if a is not None), ZERO),
                )
            )
    return found
