"""Provider values as the contract writes them: money, timestamps, and ids a spreadsheet broke.

Providers write `¥28.16`, `0.00006` (a fee in a hundred-thousandth of a yuan), amounts in fen,
`2016/5/4 2:18`; recon's canonical text is `28.16`, `2016-05-04T02:18:00+08:00`. A value that
cannot be turned is handed on unchanged, so ingest quarantines it with its own reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# what providers put around an amount: currency signs and the yuan character
_MONEY_MARKS = str.maketrans("", "", "¥￥元 \u3000")
# an id a spreadsheet turned into a number: 4.00934E+27, 1.00148E+35, 4E+27
_SCIENTIFIC = re.compile(r"^[+-]?\d(?:\.\d+)?[eE][+-]?\d+$")
# the timestamp layouts of the supported providers (a date alone is not a timestamp)
_TIMESTAMPS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y%m%d%H%M%S",
)
_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


def money_text(text: str) -> str:
    """`¥1,234.50` -> `1234.50`: currency marks and thousands commas go; anything that is
    still not a plain decimal is returned as it was given (ingest says why it is bad)."""
    cleaned = text.translate(_MONEY_MARKS).replace(",", "")
    return cleaned if _decimal(cleaned) is not None else text


def fen_to_yuan(text: str) -> str:
    """An amount in fen (integer hundredths, optionally signed) as yuan text: `476800` ->
    `4768.00`. Anything but an integer is returned as it was (and quarantined)."""
    cleaned = text.strip()
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        return text
    return str((Decimal(cleaned) / 100).quantize(CENT))


def rounded_fee(text: str) -> str:
    """A fee with more than two decimals rounded half up to the cent (`0.00006` -> `0.00`,
    `0.605` -> `0.61`): providers settle fees per payment in whole cents, rounding half up
    (WeChat Pay's 四舍五入), while their bills print the unrounded figure."""
    value = _decimal(money_text(text))
    if value is None:
        return text
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return str(value)


def decimal_or_none(text: str | None) -> Decimal | None:
    """The exact decimal of a provider amount (`¥28.16`, `0.00000`); None when not one."""
    return None if text is None else _decimal(money_text(text))


def iso_timestamp(text: str, utc_offset: str | None) -> str:
    """A provider timestamp as ISO 8601 (`2016/5/4 2:18` -> `2016-05-04T02:18:00+08:00`).

    `utc_offset` (`+08:00`) is written after a time that has none: Chinese providers print
    Beijing time. Text in no known layout is returned unchanged (ingest quarantines it).
    """
    raw = text.strip()
    for layout in _TIMESTAMPS:
        try:
            value = datetime.strptime(raw, layout)  # noqa: DTZ007 - the offset is added below
        except ValueError:
            continue
        return value.isoformat() + (utc_offset or "")
    return text


def check_offset(text: str) -> str:
    """A UTC offset option: `+08:00`, `-05:00`, or empty for none."""
    if text and not _OFFSET.match(text):
        raise ValueError(f"utc_offset must look like '+08:00' (or be empty), got {text!r}")
    return text


def mangled_id(text: str) -> bool:
    """Whether an id reads like a number a spreadsheet reformatted (`4.00934E+27`): the digits
    it stood for are lost, so the row cannot be matched and is quarantined."""
    return bool(_SCIENTIFIC.match(text.strip()))


def _decimal(text: str) -> Decimal | None:
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
