"""Results handed between the stages (read -> validate -> find -> store -> publish).

Stages pass a DuckDB connection (or the path of a working DuckDB file) holding the tables
named in docs/architecture.md, plus these small frozen records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

from recon.config import CompensationPolicy


@dataclass(frozen=True)
class SourceCounts:
    """Row accounting of one source: read = valid + quarantined + exact_duplicates."""

    read: int = 0
    valid: int = 0
    quarantined: int = 0
    exact_duplicates: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.valid + self.quarantined + self.exact_duplicates


@dataclass(frozen=True)
class InputFile:
    source: str
    path: str
    format: str  # csv | parquet | jsonl
    sha256: str
    rows: int  # data rows read from this file (bad and duplicate rows included)
    amount_sum: Decimal = Decimal("0")


@dataclass(frozen=True)
class IngestResult:
    counts: Mapping[str, SourceCounts] = field(default_factory=lambda: MappingProxyType({}))
    files: tuple[InputFile, ...] = ()
    latest_timestamp: datetime | None = None  # the default cutoff
    absent: tuple[str, ...] = ()  # optional sources with no file: their checks are not run


@dataclass(frozen=True)
class DetectionParams:
    """Everything the findings SQL binds as parameters."""

    cutoff: datetime
    grace_minutes: int = 30
    pending_sla_minutes: int = 30
    duplicate_window_minutes: int = 10
    clearing_accounts: tuple[str, ...] = ()
    policy: CompensationPolicy = field(default_factory=CompensationPolicy)
    # finding types whose checks are not run (INVOICE without an invoices extract)
    skipped_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunInfo:
    """One reconciliation run as the store records it."""

    run_id: str  # e.g. run-20240316T000512Z-3f9a1c
    started_at: datetime
    cutoff: datetime
    data_dir: str
    # who ran it: `--actor`, else the OS user; a flow run `prefect:deployment/<name>:flow-run/<id>`
    actor: str = "recon"
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    files: tuple[InputFile, ...] = ()
    counts: Mapping[str, SourceCounts] = field(default_factory=lambda: MappingProxyType({}))
    incident_id: str | None = None


@dataclass(frozen=True)
class AuditHead:
    """The last links of the store's audit chain after a run (docs/store.md, "Provable
    history"): the run's own link, which seals every event before it, and the last event."""

    run_no: int
    run_id: str
    run_hash: str
    event_no: int | None = None
    event_hash: str | None = None


@dataclass(frozen=True)
class StoreOutcome:
    """What one run changed in the exception store."""

    run_id: str
    new: tuple[str, ...] = ()  # exception ids seen for the first time
    reopened: tuple[str, ...] = ()  # had healed, appeared again
    healed: tuple[str, ...] = ()  # closed as SELF_HEALED by this run
    still_open: tuple[str, ...] = ()  # seen before and again, still open
    open_total: int = 0  # exceptions open after the run (table `exceptions`)
    audit_head: AuditHead | None = None  # the audit chain's head once the run is recorded


@dataclass(frozen=True)
class RunSummary:
    """What publish needs beyond the working tables to write summary.json and the report."""

    run: RunInfo
    finished_at: datetime
    outcome: StoreOutcome | None = None
    timings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    error: str | None = None  # set when the run could not reconcile (exit 2)
    # the working database's memory limit, threads and spill (recon/resources.py)
    resources: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
