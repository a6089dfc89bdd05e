"""Readers of providers' own files (WeChat Pay, Alipay, UnionPay, Adyen, ISO 20022).

`FORMATS` maps a format name (`[sources.gateway] format = "..."`) to its `Format`: a reader
`read(path, options) -> ProviderExtract`, the suffixes it reads and its default options.
Ingest writes the records as a canonical CSV and reads that through the ordinary path, so the
contract's rules apply unchanged. To add a format: a module defining `FORMAT = Format(...)`,
and one line in `_MODULES` below.
"""

from __future__ import annotations

from importlib import import_module
from types import MappingProxyType

from recon.ingest.formats.extract import (
    ControlTotal,
    ProviderExtract,
    ProviderRecord,
    ProviderReject,
)
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format, Reader

# one module per format, each defining FORMAT (or FORMATS, a tuple, for a family)
_MODULES: tuple[str, ...] = (
    "adyen",
    "camt",
    "cnbills",
    "generic",
    "pain002",
    "unionpay",
    "wechatpay",
)


def _registry() -> dict[str, Format]:
    found: dict[str, Format] = {}
    for name in _MODULES:
        module = import_module(f"recon.ingest.formats.{name}")
        for fmt in getattr(module, "FORMATS", None) or (module.FORMAT,):
            found[fmt.name] = fmt
    return dict(sorted(found.items()))


FORMATS: MappingProxyType[str, Format] = MappingProxyType(_registry())

__all__ = [
    "FORMATS",
    "ControlTotal",
    "Format",
    "FormatOptions",
    "ProviderExtract",
    "ProviderRecord",
    "ProviderReject",
    "Reader",
]
