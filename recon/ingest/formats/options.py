"""The mapping options of a provider format, as `[sources.<name>]` in the config gives them.

A format fills in its own defaults (the WeChat backtick, its status words); the config may
override any of them. Unknown keys and impossible values are refused when the config is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

AmountUnit = Literal["yuan", "fen"]


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class FormatOptions:
    """How to turn one provider file into canonical records.

    delimiter: field separator (None: the format's own, or sniffed from the header line).
    skip_rows: lines before the header (None: find the header by `header_starts`).
    header_starts: the first header cell, when the intro block's length varies.
    footer_starts: a line whose first cell starts with this ends the data rows (a summary).
    strip_prefix: characters removed from the start of every value (WeChat's backtick).
    status_map: provider status text -> contract status.
    columns: provider column name -> canonical column (the format's defaults overlaid).
    constants: canonical column -> fixed value for every record (a currency the file omits).
    amount_unit: "yuan" (decimal units) or "fen" (integer hundredths, UnionPay).
    sheet: the worksheet of an .xlsx file (None: the first).
    encoding: the file's text encoding (None: UTF-8, with the format's own fallback).
    source: the recon source the records feed ("gateway" unless the config says otherwise).
    """

    delimiter: str | None = None
    skip_rows: int | None = None
    header_starts: str | None = None
    footer_starts: str | None = None
    strip_prefix: str = ""
    status_map: Mapping[str, str] = field(default_factory=_empty)
    columns: Mapping[str, str] = field(default_factory=_empty)
    constants: Mapping[str, str] = field(default_factory=_empty)
    amount_unit: AmountUnit = "yuan"
    sheet: str | None = None
    encoding: str | None = None
    source: str = "gateway"
