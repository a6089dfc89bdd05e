"""Load SQL kept in `.sql` files beside the Python that runs it (package data)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load_sql(package: str, name: str) -> str:
    """Text of `<name>.sql` in `package` (e.g. `load_sql("recon.findings", "duplicates")`)."""
    return files(package).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB; identifiers only ever come from our own constants."""
    return '"' + name.replace('"', '""') + '"'
