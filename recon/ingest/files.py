"""Which files in a data folder belong to which source, and in what order they are read."""

from __future__ import annotations

from pathlib import Path

from recon.errors import MissingExtractError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl"}


def extract_files(data_dir: Path, source: str, *, required: bool) -> list[Path]:
    """The files of `source` (`<source>*.csv|.parquet|.jsonl`) in name order.

    Name order is the contract's file order: it decides which of two conflicting rows with
    the same key is kept. Sidecars (`ledger.csv.control.json`) and other suffixes are not
    extracts. Matching ignores case, so `Ledger.CSV` is found too.
    """
    found = sorted(
        (p for p in Path(data_dir).iterdir() if p.is_file() and belongs_to(p.name, source)),
        key=lambda p: p.name,
    )
    if required and not found:
        raise MissingExtractError(source, data_dir, [f"{source}*{ext}" for ext in FORMATS])
    return found


def belongs_to(name: str, source: str) -> bool:
    """Whether a file name is one of `source`'s extracts."""
    lower = name.lower()
    return lower.startswith(source) and file_format(lower) is not None


def file_format(name: str | Path) -> str | None:
    """csv, parquet or jsonl by the file's last suffix; None for anything else."""
    return FORMATS.get(Path(str(name).lower()).suffix)
