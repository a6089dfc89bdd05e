"""`generic`: any delimited text or .xlsx sheet, described by the options alone.

For a provider without a format of its own: `skip_rows` or `header_starts` find the header,
`footer_starts` ends the rows, `columns` maps its names to ours, `strip_prefix`,
`null_values`, `status_map`, `constants` and `amount_unit` make its values canonical. It
checks no totals (a `.control.json` sidecar still can).
"""

from __future__ import annotations

from pathlib import Path

from recon.ingest.formats.extract import ProviderExtract
from recon.ingest.formats.options import FormatOptions
from recon.ingest.formats.spec import Format
from recon.ingest.formats.table import Layout, read_table


def read_generic(path: Path, options: FormatOptions) -> ProviderExtract:
    return read_table(path, options, Layout())


FORMAT = Format(
    name="generic",
    read=read_generic,
    suffixes=(".csv", ".tsv", ".txt", ".xlsx"),
    summary="any CSV/TSV/.xlsx bill described by the options (header, footer, columns ...)",
)
