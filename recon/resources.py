"""How much of the machine a run's working database may use, and how much disk it spilled.

Without `memory_limit`, DuckDB would take 80% of the machine's memory: 11 GB for a 10M-transfer
day on a 24 GB machine, half the machine for one batch. recon instead gives the working
database 1 GB per DuckDB thread (at least 1 GB, at most a quarter of the memory it can see,
cgroup limits included); beyond that DuckDB spills to a temporary folder. Measured on a 2-core
machine: 10M transfers run in a 2 GB limit at a peak RSS of 2.4 GB (docs/benchmarks.md).
What was chosen, and why, is written into summary.json (`resources`).

Where the working tables live is chosen too. In memory they are fastest while they fit; a day
far beyond the limit would spill them uncompressed (7.5 GB of spill for a 10M-transfer day,
about 75 GB at 100M), so such a day gets a working database file in the spill folder instead,
which DuckDB keeps compressed (2.4 GB at 10M) and reads back as needed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from recon.sql import load_sql

GB = 1000**3  # DuckDB's "GB" (its "GiB" is 1024**3)
PER_THREAD = 1 * GB
FLOOR = 1 * GB
SHARE = 4  # at most 1/SHARE of the memory the process can see


@dataclass(frozen=True)
class WorkResources:
    """The limits a run's working database gets, and where each came from."""

    memory_limit: str
    threads: int
    chosen_by: str  # "recon.toml" or how the automatic limit was worked out

    def report(self) -> dict[str, object]:
        return {
            "memory_limit": self.memory_limit,
            "threads": self.threads,
            "chosen_by": self.chosen_by,
        }


def choose(memory_limit: str | None, threads: int | None) -> WorkResources:
    """The configured limits, or the automatic ones for this machine."""
    workers = threads or os.cpu_count() or 1
    if memory_limit:
        return WorkResources(memory_limit, workers, "memory_limit in the configuration")
    visible = visible_memory()
    limit = max(FLOOR, min(workers * PER_THREAD, visible // SHARE))
    mb = limit // 1000**2
    return WorkResources(
        f"{mb}MB",
        workers,
        f"automatic: 1 GB for each of {workers} DuckDB thread(s), at least 1 GB and at most"
        f" a quarter of the {visible / GB:.1f} GB this process can see; set memory_limit"
        " to change it",
    )


_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z%]*)\s*")
_UNITS = {
    "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
    "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4,
}  # fmt: skip


def limit_bytes(memory_limit: str) -> int:
    """`2000MB`, `1.5GB`, `1GiB` or `50%` (of the visible memory) in bytes, as DuckDB reads them."""
    match = _SIZE.fullmatch(memory_limit)
    unit = (match.group(2).upper() or "B") if match else ""
    if match and unit == "%":
        return int(float(match.group(1)) / 100 * visible_memory())
    if not match or unit not in _UNITS:
        raise ValueError(f"memory_limit {memory_limit!r} is not a size such as 2GB")
    return int(float(match.group(1)) * _UNITS[unit])


def share(chosen: WorkResources, workers: int) -> WorkResources:
    """One of `workers` processes' part of the run's limits, when they share this machine."""
    if workers <= 1:
        return chosen
    memory = max(FLOOR // 4, limit_bytes(chosen.memory_limit) // workers)
    return WorkResources(
        f"{memory // 1000**2}MB",
        max(1, chosen.threads // workers),
        f"{chosen.chosen_by}; shared by {workers} workers",
    )


def visible_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its cgroup's limit if lower."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text(encoding="ascii").strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


ROW_BYTES = 120  # a typed working-table row: 4.4 GB for the 37.8M rows of a 10M-transfer day
TEXT_BYTES = 1.5  # working-table bytes per byte of CSV or JSON Lines text (or any other file)
DISK_BEYOND = 2  # "auto" puts the working tables on disk past this many times memory_limit...
SPILL_ROOM = 4  # ...unless the temp folder has this many times the estimate free to spill to
# (a 10M day spilled 7.2 GB uncompressed, 1.6x its estimate, and ran 82.5 s in memory against
# 104.6 s on disk, where every table is compressed as it is written: docs/benchmarks.md)


@dataclass(frozen=True)
class WorkPlace:
    """Where a run's working tables live, and why."""

    where: str  # "memory" or "disk"
    chosen_by: str
    estimate_bytes: int | None = None  # the working set the automatic choice expected


def place(
    setting: str, data_dir: Path | None, memory_limit: str, free_bytes: int | None = None
) -> WorkPlace:
    """Memory or disk for the working tables: as configured (`working_db`), or by the size of
    the extracts in `data_dir` against `memory_limit` and the space free for spilling
    (`free_bytes`, default: the temporary folder's). Spilling from memory is faster than a
    compressed file but takes more disk, so the file is for days the disk could not spill."""
    if setting in ("memory", "disk"):
        return WorkPlace(setting, "working_db in the configuration")
    estimate = estimate_working_bytes(data_dir) if data_dir is not None else 0
    limit = limit_bytes(memory_limit)
    told = (
        f"automatic: the extracts make about {estimate / GB:.1f} GB of working tables against a"
        f" memory limit of {limit / GB:.1f} GB"
    )
    if estimate <= DISK_BEYOND * limit:
        return WorkPlace("memory", f"{told}; set working_db to change it", estimate)
    free = spill_free_bytes() if free_bytes is None else free_bytes
    where = "memory" if free >= SPILL_ROOM * estimate else "disk"
    return WorkPlace(
        where,
        f"{told} and {free / GB:.1f} GB free to spill to; on disk beyond {DISK_BEYOND} times the"
        f" limit when less than {SPILL_ROOM} times the working tables are free;"
        " set working_db to change it",
        estimate,
    )


def spill_free_bytes() -> int:
    """Free bytes where the run's temporary (spill) folder goes."""
    try:
        return shutil.disk_usage(tempfile.gettempdir()).free
    except OSError:
        return 0  # unknown: the compressed file is the safer choice


def estimate_working_bytes(data_dir: Path) -> int:
    """About how many bytes the working tables of the files in `data_dir` take in memory:
    Parquet by its row count (from the footer), any other file by its size. A rough figure
    for `place`, never a check: an unreadable footer counts by size and the reader decides."""
    import pyarrow.parquet as pq  # only when choosing automatically

    total = 0
    try:
        files = [p for p in Path(data_dir).iterdir() if p.is_file()]
    except OSError:
        return 0  # the reader reports a missing or unreadable folder
    for path in files:
        try:
            if path.suffix.lower() == ".parquet":
                total += pq.read_metadata(path).num_rows * ROW_BYTES
                continue
        except Exception:  # pyarrow raises several types for a damaged footer
            pass
        try:
            total += int(path.stat().st_size * TEXT_BYTES)
        except OSError:
            pass
    return total


class SpillMeter:
    """The most the working database had spilled to its temporary folder, sampled between
    steps (a spill that grows and shrinks within one step is seen only as it stood at its end)."""

    def __init__(self, place: WorkPlace | None = None) -> None:
        self.place = place  # as chosen for the run; None: told by the connection
        self.on_disk = False
        self.peak_bytes = 0
        self.file_peak_bytes = 0  # the working database file, when it is on disk
        self.disk_peak_bytes = 0  # spill and file together
        self.folder: str | None = None

    def sample(self, con: duckdb.DuckDBPyConnection) -> None:
        row = con.execute(load_sql("recon", "spilled")).fetchone()
        spilled = int(row[0]) if row else 0
        self.peak_bytes = max(self.peak_bytes, spilled)
        in_file = working_file_bytes(con)
        self.on_disk = self.on_disk or working_file(con) is not None
        self.file_peak_bytes = max(self.file_peak_bytes, in_file)
        self.disk_peak_bytes = max(self.disk_peak_bytes, spilled + in_file)
        if self.folder is None:
            folder = con.execute(load_sql("recon", "spill_folder")).fetchone()
            self.folder = str(folder[0]) if folder and folder[0] else None

    def report(self, chosen: WorkResources) -> dict[str, object]:
        """What summary.json says under `resources`."""
        where = self.place or WorkPlace(
            "disk" if self.on_disk else "memory", "the caller's working database"
        )
        return {
            **chosen.report(),
            "working_db": where.where,
            "working_db_chosen_by": where.chosen_by,
            "spill_folder": self.folder,
            "spill_peak_bytes": self.peak_bytes,
            "working_db_peak_bytes": self.file_peak_bytes,
            "disk_peak_bytes": self.disk_peak_bytes,
        }


def working_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The working database's file, None when it is in memory."""
    row = con.execute(load_sql("recon", "working_file")).fetchone()
    return Path(row[0]) if row and row[0] else None


def working_file_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """Bytes of the working database's file and its write-ahead log (0 in memory)."""
    file = working_file(con)
    if file is None:
        return 0
    total = 0
    for path in (file, Path(f"{file}.wal")):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total
