"""Reading and validating the four extracts into the working tables (docs/ingest.md)."""

from recon.ingest.load import check_required_rows, load_extracts

__all__ = ["check_required_rows", "load_extracts"]
