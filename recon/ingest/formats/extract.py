"""What a provider-format reader hands to ingest: the provider's file as canonical records.

A reader knows one provider's layout; ingest knows the contract's rules. The records carry
canonical column names and text values exactly as a canonical CSV would, so every rule,
duplicate check and quarantine of the canonical path applies unchanged, and each record keeps
its origin in the provider's own terms (a physical line, an XML element path) for quarantine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProviderRecord:
    """One payment (or refund, fee, statement entry) of the provider's file."""

    origin: str  # "line 7" or an XML element path like "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]"
    fields: Mapping[str, str]  # canonical column name -> text value, as our CSV reader sees it


@dataclass(frozen=True)
class ProviderReject:
    """A part of the provider's file that cannot become a record, and why (quarantined)."""

    origin: str
    reason: str  # e.g. "id mangled by a spreadsheet (scientific notation): 4.00934E+27"
    text: str = ""  # the line / element as the provider wrote it (quarantine's value)


@dataclass(frozen=True)
class ControlTotal:
    """A figure the file states about itself, beside what its records add up to."""

    name: str  # e.g. "footer total trades", "TxsSummry/TtlNtries/Sum"
    expected: Decimal  # what the file says
    actual: Decimal  # what the records sum/count to
    hint: str = ""  # when it disagrees: what would make it agree, if something provably would

    @property
    def agrees(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True)
class ProviderExtract:
    """A provider's file read in full: every physical line or element is accounted for."""

    source: str  # "gateway" | "ledger" | ...
    records: tuple[ProviderRecord, ...]
    rejects: tuple[ProviderReject, ...]
    controls: tuple[ControlTotal, ...]
    accounted: int  # lines / elements seen (records + rejects + structural: header, footer, ...)
