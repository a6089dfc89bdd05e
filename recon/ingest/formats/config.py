"""`[sources.<name>] format = "..."`: a source read from a provider's own files, checked."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from recon.config import SourceConfig
from recon.errors import ConfigError
from recon.ingest.formats.options import resolve_options


def format_source(source: str, spec: Mapping[str, Any]) -> SourceConfig:
    """The SourceConfig of a format source: its format's defaults with the table's options.

    An unknown format lists the known ones; an unknown option names the key.
    """
    from recon.ingest.formats import FORMATS

    name = spec["format"]
    if not isinstance(name, str) or name not in FORMATS:
        raise ConfigError(
            f"[sources.{source}] format {name!r} is not a known format (known:"
            f" {', '.join(FORMATS)}; `recon formats` describes them)"
        )
    given = {k: v for k, v in spec.items() if k != "format"}
    if "thousands_separator" in given:
        raise ConfigError(
            f"[sources.{source}] thousands_separator does not apply to format {name!r}:"
            " its reader removes thousands separators itself"
        )
    options = resolve_options(FORMATS[name].defaults, source, given)
    return SourceConfig(
        encoding=options.encoding,
        delimiter=options.delimiter,
        columns=MappingProxyType({}),  # the reader maps; ingest reads canonical columns
        format=name,
        format_options=options,
    )
