"""Write the filtered exception queue to a file for people outside recon (CSV or Excel).

polars and xlsxwriter are imported when an export runs, not when the `recon` command line is
built, so that other commands do not pay for them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from recon.config import SlaPolicy
from recon.errors import StoreError
from recon.store.lock import DEFAULT_WAIT_SECONDS

if TYPE_CHECKING:
    import polars as pl

    from recon.store.queries import ExceptionFilter

EXPORT_FORMATS = ("csv", "xlsx")


def export_exceptions(
    store_path: str | Path,
    output: str | Path,
    fmt: str,
    filters: ExceptionFilter | None = None,
    *,
    as_of: datetime | None = None,
    sla: SlaPolicy | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> int:
    """Write the exceptions `list` would show to `output`; returns how many were written.

    CSV keeps amounts as exact decimal text and times in ISO 8601 UTC. Excel holds no time
    zones, so its times are UTC wall-clock times (the column names say so).
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    from recon.store.queries import list_exceptions

    frame = list_exceptions(store_path, filters, as_of=as_of, sla=sla, wait_seconds=wait_seconds)
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.write_csv(path)
    else:
        _write_xlsx(frame, path)
    return frame.height


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    import polars as pl
    import xlsxwriter

    zoned = [n for n, t in frame.schema.items() if isinstance(t, pl.Datetime) and t.time_zone]
    naive = frame.with_columns(
        pl.col(n).dt.convert_time_zone("UTC").dt.replace_time_zone(None).alias(n) for n in zoned
    ).rename({n: f"{n}_utc" for n in zoned})
    with xlsxwriter.Workbook(str(path)) as workbook:
        naive.write_excel(
            workbook=workbook,
            worksheet="exceptions",
            autofit=True,
            dtype_formats={pl.Datetime: "yyyy-mm-dd hh:mm:ss"},
            float_precision=2,
        )
