"""Pull the day's extracts from the landing location into a run folder, with checksums.

The landing location is a folder template (`landing/{date}`, `/data/in/{date:%Y%m%d}`) or any
fsspec URL (`file:///...`, `memory://...`, `s3://bucket/{date}` with the right driver). The
flows copy the extracts into their own run folder first, so a run reads a fixed snapshot
that can be checked against the recorded checksums later, whatever lands afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fsspec

from recon.config import REQUIRED_SOURCES, SOURCES, check_landing_template
from recon.errors import ConfigError, ExtractNotReadyError

DATA_SUFFIXES = (".csv", ".parquet", ".jsonl")
SIDECAR_SUFFIX = ".control.json"
MANIFEST = "pulled.json"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class PulledFile:
    """One file copied from the landing location into the run folder."""

    source: str
    origin: str  # where it came from (path or URL)
    name: str  # its name in the run folder
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Landing:
    """One landing folder to pull from; `tag` (a date) is put into the names of its files."""

    location: str
    tag: str | None = None


def previous_business_date(now: datetime, timezone: str) -> date:
    """Yesterday in the configured time zone: the date the nightly run reconciles by default."""
    return now.astimezone(ZoneInfo(timezone)).date() - timedelta(days=1)


def end_of_date(day: date, timezone: str) -> datetime:
    """The nightly cutoff: midnight at the end of `day` in the configured time zone."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(timezone))


def dates_touched(start: datetime, end: datetime, timezone: str) -> list[date]:
    """Every business date (in the configured zone) that the span from `start` to `end` touches."""
    if end < start:
        raise ConfigError(f"window end {end.isoformat()} is before its start {start.isoformat()}")
    zone = ZoneInfo(timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def landing_location(template: str, day: date) -> str:
    """The landing folder of one business date: `{date}` is ISO (`2024-03-15`), or give a format.

    The template is checked as the config checks it (only `{date}` / `{date:%Y%m%d}`, no `..`).
    """
    check_landing_template(template)
    return template.format(date=day)


def shown_location(location: str) -> str:
    """Where a landing location really is: a local path made absolute, a URL as it is."""
    if "://" in location:
        return location
    return str(Path(location).absolute())


def source_of(name: str) -> str | None:
    """The source an extract file belongs to (`ledger_part2.csv` -> ledger), None otherwise."""
    lower = name.lower()
    base = lower.removesuffix(SIDECAR_SUFFIX)
    if not base.endswith(DATA_SUFFIXES):
        return None
    return next((source for source in SOURCES if lower.startswith(source)), None)


def run_file_name(name: str, source: str, tag: str | None) -> str:
    """The file's name in the run folder: the tag goes right after the source (`ledger_<tag>...`).

    Files of one source are read in name order, so tagged names keep date order first and the
    landing folder's own order within a date; a sidecar keeps following its data file's name.
    """
    if tag is None:
        return name
    return f"{name[: len(source)]}_{tag}{name[len(source) :]}"


def pull_extracts(landings: Sequence[Landing], data_dir: Path) -> tuple[PulledFile, ...]:
    """Copy every extract and sidecar from `landings` into `data_dir`; checksums in pulled.json.

    Raises ExtractNotReadyError (transient: the caller retries) naming each location (a local
    path made absolute) and the required sources it has no data file for; nothing is copied
    until every location is ready.
    """
    listings = {landing: _extract_files(landing.location) for landing in landings}
    missing = {
        shown_location(landing.location): [
            source
            for source in REQUIRED_SOURCES
            if not any(src == source and not path.endswith(SIDECAR_SUFFIX) for src, path in files)
        ]
        for landing, files in listings.items()
    }
    missing = {location: sources for location, sources in missing.items() if sources}
    if missing:
        raise ExtractNotReadyError(missing)
    data_dir.mkdir(parents=True, exist_ok=True)
    pulled = [
        _copy(
            landing.location,
            source,
            path,
            data_dir / run_file_name(_name(path), source, landing.tag),
        )
        for landing, files in listings.items()
        for source, path in files
    ]
    names = [file.name for file in pulled]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise ConfigError(
            f"landing locations {[landing.location for landing in landings]} deliver the same"
            f" file name(s) {clashes} into one run folder; give each date its own folder"
        )
    write_manifest(data_dir.parent / MANIFEST, pulled)
    return tuple(pulled)


def write_manifest(path: Path, files: Iterable[PulledFile]) -> None:
    """Record what was pulled (origin, name, size, sha256) beside the run's data folder."""
    rows = [asdict(file) for file in files]
    path.write_text(json.dumps({"files": rows}, indent=2) + "\n", encoding="utf-8")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a local file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _extract_files(location: str) -> list[tuple[str, str]]:
    """(source, path) of the extract files and sidecars directly in `location`, by name."""
    fs, root = _filesystem(location)
    try:
        entries = fs.ls(root, detail=True)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        if entry.get("type") != "file":
            continue
        source = source_of(_name(entry["name"]))
        if source is not None:
            found.append((source, entry["name"]))
    return sorted(found, key=lambda item: _name(item[1]))


def _copy(location: str, source: str, path: str, target: Path) -> PulledFile:
    fs, _root = _filesystem(location)
    digest = hashlib.sha256()
    size = 0
    with fs.open(path, "rb") as src, target.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    origin = fs.unstrip_protocol(path) if "://" in location else path
    return PulledFile(source, origin, target.name, size, digest.hexdigest())


def _filesystem(location: str) -> tuple[Any, str]:
    """The fsspec filesystem and path of a location; an unusable URL is a config error."""
    try:
        return fsspec.core.url_to_fs(location)
    except (ValueError, ImportError) as err:
        raise ConfigError(f"landing location {location!r} cannot be opened: {err}") from err


def _name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]
