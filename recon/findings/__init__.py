"""The contract's findings, computed in DuckDB from the working tables (see docs/findings.md)."""

from recon.findings.breaks import find_breaks

__all__ = ["find_breaks"]
