"""Load and run SQL kept in `.sql` files beside the Python that runs it (package data)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files

import duckdb


@cache
def load_sql(package: str, name: str) -> str:
    """Text of `<name>.sql` in `package` (e.g. `load_sql("recon.findings", "duplicates")`)."""
    return files(package).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB; identifiers only ever come from our own constants."""
    return '"' + name.replace('"', '""') + '"'


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def split_statements(sql: str) -> list[str]:
    """Statements of a script, split at `;` that ends a line; `--` comment lines dropped.

    Our `.sql` files end every statement with `;` at the end of a line and never put `;`
    at a line end inside a string, so this simple split is exact for them.
    """
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    text = "\n".join(lines)
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", text) if s.strip()]


def run_statements(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, object] | None = None
) -> None:
    """Execute each statement of `sql`, binding the `$name` parameters it uses.

    DuckDB rejects parameters a statement does not use, so each gets just its own.
    """
    params = params or {}
    for statement in split_statements(sql):
        names = set(_PARAM.findall(statement))
        missing = names - set(params)
        if missing:
            raise KeyError(f"SQL parameter(s) {sorted(missing)} not given for: {statement[:80]}")
        con.execute(statement, {name: params[name] for name in names})
