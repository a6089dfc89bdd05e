"""What camt and pain readers share: the message type, element paths, text, amounts, dates.

ISO 20022 files come with many namespaces for one layout (ISO's own `urn:iso:...:camt.053.001.04`,
SIX's `pain.002.001.03.ch.02.xsd`, versions 02 to 09), so elements are found by their local
name and the message type is told by the root's business element, not by the namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element

from recon.errors import UnreadableFileError

# the document's business element -> the message it is
MESSAGES: dict[str, str] = {
    "BkToCstmrStmt": "camt.053",
    "BkToCstmrDbtCdtNtfctn": "camt.054",
    "BkToCstmrAcctRpt": "camt.052",
    "CstmrPmtStsRpt": "pain.002",
    "CstmrCdtTrfInitn": "pain.001",
    "CstmrDrctDbtInitn": "pain.008",
    "CstmrPmtCxlReq": "camt.055",
}
SUPPORTED = ("camt.053", "camt.054", "pain.002")
_WHY_NOT = {
    "camt.052": "an intraday account report: its entries are not final and come again in the"
    " day's camt.053 statement",
    "pain.001": "a payment instruction, not a payment result",
    "pain.008": "a direct-debit instruction, not a payment result",
    "camt.055": "a cancellation request, not a payment result",
}
_AMOUNT = re.compile(r"\d{1,18}(\.\d{1,5})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def local(tag: str) -> str:
    """`{urn:...}Ntry` -> `Ntry`."""
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str, path: str) -> Iterator[tuple[str, Element]]:
    """The children called `name`, each with its element path (`.../Ntry[3]`, 1-based)."""
    number = 0
    for child in element:
        if local(child.tag) == name:
            number += 1
            yield f"{path}/{name}[{number}]", child


def child(element: Element | None, *names: str) -> Element | None:
    """The first element down the chain of local names, or None."""
    for name in names:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def text(element: Element | None, *names: str) -> str:
    """The stripped text at the end of the chain of local names; "" when absent."""
    found = child(element, *names)
    return (found.text or "").strip() if found is not None else ""


def code(element: Element | None, *names: str) -> str:
    """A code that later versions wrap in `<Cd>` (camt v08+ `<Sts><Cd>BOOK</Cd></Sts>`)."""
    return text(element, *names) or text(element, *names, "Cd")


def amount(text_value: str) -> Decimal | None:
    """An ISO 20022 amount (non-negative, at most 5 decimals) or None when it is not one."""
    return Decimal(text_value) if _AMOUNT.fullmatch(text_value) else None


def date_time(element: Element | None, utc_offset: str = "") -> str:
    """A `<BookgDt>`-like choice as our timestamp text: `DtTm` as it is, a `Dt` alone as the
    start of that day. `utc_offset` is written after a time without one (without it, the
    source's configured time zone applies)."""
    stamp = text(element, "DtTm")
    if stamp:
        return with_offset(stamp, utc_offset)
    day = text(element, "Dt")
    return f"{day}T00:00:00{utc_offset}" if _DATE.fullmatch(day) else day


def day(element: Element | None) -> str:
    """The calendar day of a `<BookgDt>`/`<ValDt>`/`<Bal><Dt>`-like choice as the file writes
    it (`Dt`, else the date part of `DtTm`, without converting its offset); "" when it states
    none."""
    stamp = text(element, "Dt") or text(element, "DtTm")[:10]
    return stamp if _DATE.fullmatch(stamp) else ""


def with_offset(stamp: str, utc_offset: str) -> str:
    """An ISO date-time with `utc_offset` written after it when it has none of its own."""
    return stamp if not stamp or _HAS_OFFSET.search(stamp) else stamp + utc_offset


def message_type(root: Element) -> str:
    """ "camt.053", "pain.002", ... told by the business element under `<Document>`."""
    body = next(iter(root), None)
    name = local(body.tag) if body is not None else local(root.tag)
    return MESSAGES.get(name, name)


def require_message(path: Path, root: Element, wanted: str, fmt: str) -> Element:
    """The business element when the file is a `wanted` message; otherwise refuse the file in
    one line naming what it is and the messages recon reads."""
    found = message_type(root)
    if found != wanted:
        why = f" ({_WHY_NOT[found]})" if found in _WHY_NOT else ""
        raise UnreadableFileError(
            path,
            f"is a {found} message{why}; format {fmt} reads {wanted}"
            f" (ISO 20022 messages recon reads: {', '.join(SUPPORTED)})",
        )
    return next(iter(root))
