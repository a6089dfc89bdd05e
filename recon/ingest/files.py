"""Which files in a data folder belong to which source, and in what order they are read."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from pathlib import Path

from recon.errors import IncompleteDeliveryError, MissingExtractError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl"}


def extract_files(
    data_dir: Path,
    source: str,
    *,
    required: bool,
    suffixes: tuple[str, ...] | None = None,
    pattern: str | None = None,
) -> list[Path]:
    """The files of `source` (`<source>*.csv|.parquet|.jsonl`) in name order.

    Name order is the contract's file order: it decides which of two conflicting rows with
    the same key is kept. Sidecars (`ledger.csv.control.json`) and other suffixes are not
    extracts. Matching ignores case, so `Ledger.CSV` is found too.

    A source in a provider's format (docs/formats.md) is read from that format's `suffixes`
    and named by `pattern` (a glob, default `<source>*`); provider file names carry dates
    (`tradebill_2021-01-28.csv`), so they are not taken for numbered parts.
    """
    if suffixes is None:
        found = sorted(
            (p for p in Path(data_dir).iterdir() if p.is_file() and belongs_to(p.name, source)),
            key=lambda p: p.name,
        )
        expected = [f"{source}*{ext}" for ext in FORMATS]
    else:
        glob = (pattern or f"{source}*").lower()
        found = sorted(
            (
                p
                for p in Path(data_dir).iterdir()
                if p.is_file()
                and fnmatch(p.name.lower(), glob)
                and p.suffix.lower() in suffixes
                and not p.name.lower().endswith(SIDECAR)
            ),
            key=lambda p: p.name,
        )
        expected = [f"{pattern or source + '*'} ({'|'.join(suffixes)})"]
    if required and not found:
        raise MissingExtractError(source, data_dir, expected)
    if suffixes is None:
        check_parts(found)
    return found


SIDECAR = ".control.json"
# a part number at the end of a file's stem: `ledger_part2`, `ledger-part-03`, `ledger.p4`,
# `ledger_2`; up to three digits, so a date (`ledger_20240315`) is never read as a part
_PART = re.compile(
    r"^(?P<series>.*?)[_.\- ]?(?:part|p)?[_.\- ]?(?P<number>(?<![0-9])[0-9]{1,3})$", re.I
)


def check_sidecars(data_dir: Path, sources: tuple[str, ...]) -> None:
    """A control-total sidecar whose extract is not there means a file did not arrive."""
    entries = sorted(Path(data_dir).iterdir(), key=lambda p: p.name)
    files = {p.name.lower() for p in entries if p.is_file()}  # matched regardless of case
    for sidecar in entries:
        if not sidecar.name.lower().endswith(SIDECAR):
            continue
        extract = sidecar.with_name(sidecar.name[: -len(SIDECAR)])
        if any(belongs_to(extract.name, s) for s in sources) and extract.name.lower() not in files:
            raise IncompleteDeliveryError(
                extract,
                f"missing: its control-total sidecar {sidecar.name} arrived but the file did not"
                " (a part of the extract was not delivered)",
            )


def check_parts(files: list[Path]) -> None:
    """Numbered parts of one extract must run without a gap: `ledger.csv` (part 1, when
    unnumbered), `ledger_part2.csv`, `ledger_part3.csv`. A missing part stops the run."""
    series: dict[tuple[str, str], set[int]] = {}
    stems = {(p.stem.lower(), p.suffix.lower()) for p in files}
    for path in files:
        match = _PART.match(path.stem)
        if match and match["series"]:
            key = (match["series"].lower(), path.suffix.lower())
            series.setdefault(key, set()).add(int(match["number"]))
    for (stem, suffix), numbers in series.items():
        if (stem, suffix) in stems:
            numbers = numbers | {1}  # `ledger.csv` beside `ledger_part2.csv` is part 1
        first = 0 if 0 in numbers else 1
        missing = sorted(set(range(first, max(numbers) + 1)) - numbers)
        if missing:
            example = next(p for p in files if p.stem.lower().startswith(stem))
            raise IncompleteDeliveryError(
                example.parent / f"{stem}*{suffix}",
                f"part {', '.join(map(str, missing))} of the numbered sequence"
                f" {sorted(numbers)} is missing: a part of the extract was not delivered",
            )


def belongs_to(name: str, source: str) -> bool:
    """Whether a file name is one of `source`'s extracts."""
    lower = name.lower()
    return lower.startswith(source) and file_format(lower) is not None


def file_format(name: str | Path) -> str | None:
    """csv, parquet or jsonl by the file's last suffix; None for anything else."""
    return FORMATS.get(Path(str(name).lower()).suffix)
