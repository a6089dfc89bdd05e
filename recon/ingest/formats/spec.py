"""A registered provider format: its reader, the files it reads, and its default options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from recon.ingest.formats.extract import ProviderExtract
from recon.ingest.formats.options import FormatOptions

Reader = Callable[[Path, FormatOptions], ProviderExtract]


@dataclass(frozen=True)
class Format:
    """One entry of `FORMATS`.

    suffixes: the file suffixes (lower case, with the dot) a source in this format is read
    from, e.g. (".csv", ".xlsx"); names still start with the source (`gateway*`).
    defaults: the format's own options; the config overlays its keys on them.
    """

    name: str
    read: Reader
    suffixes: tuple[str, ...]
    summary: str
    defaults: FormatOptions = field(default_factory=FormatOptions)
