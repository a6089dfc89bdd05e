"""Reading and validating the four extracts into the working tables (docs/ingest.md)."""

from recon.ingest.load import load_extracts

__all__ = ["load_extracts"]
