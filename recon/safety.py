"""The output-safety layer: what every writer does to a text value before a person sees it.

recon's outputs travel: CSV and XLSX go to spreadsheets, report.html and the Prefect summary
are mailed and shown, the analyst commands print to a terminal. A value comes from a bank's
extract and can be hostile (a txn_ref `=HYPERLINK(...)`, a note `[bold]...`, an escape
sequence, a right-to-left override). One place decides what each kind of output does with it:

- spreadsheet cells (every CSV, the XLSX export): `spreadsheet_cell` neutralises a text a
  spreadsheet would evaluate, the OWASP way (a leading `=`, `+`, `@`, tab, CR, or `-` when the
  whole value is not a number gets a leading `'`), and shows bidi controls as `<U+202E>`. The
  DuckDB COPY writers use the same rules as SQL macros (`safety.sql`: `safe_cell`), installed
  by `install_sql_macros`. Numbers and money are never passed through it: they stay numbers.
- XLSX: `xlsx_cell` also cuts a value longer than Excel's 32,767 characters with a visible
  marker, and says so (the caller counts it).
- terminal: `terminal_text` shows control characters (C0 but newline, DEL, C1) as `\\x1b` and
  bidi controls as `<U+202E>`, and cuts very long values with a marker; the commands print it
  as rich `Text`, never as markup, so `[bold]` prints as typed.
- HTML: `html_text` escapes and shows bidi and control characters visibly.
- markdown: `markdown_text` does the same and backslash-escapes every markdown character, so a
  value cannot become a link, an emphasis or a table column.

docs/outputs.md "Safe to open" describes the guarantees.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import duckdb

from recon.sql import load_sql

# A spreadsheet evaluates a cell starting with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
# `-` starts a formula too, unless the whole value is a plain number (e.g. -12.50).
_NUMBER = re.compile(r"-[0-9]+(\.[0-9]+)?")

# Bidi controls that reorder how text is shown (Trojan Source, CVE-2021-42574).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# C0 controls but newline, DEL, and C1 controls (ESC is \x1b, CSI is \x9b).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")

XLSX_MAX_CHARS = 32_767  # Excel's limit for one cell
TERMINAL_MAX_CHARS = 4_096  # a terminal cell; `--format json` has the whole value
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:])")


def install_sql_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define `safe_cell` (and `safe_bidi`, `safe_formula`) on this connection (idempotent)."""
    con.execute(load_sql("recon", "safety"))


def show_bidi(text: str) -> str:
    """Every bidi control as its code point, e.g. `<U+202E>`."""
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def show_controls(text: str) -> str:
    """Every control character but newline as a visible escape, e.g. `\\x1b`."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def neutralise_formula(text: str) -> str:
    """`'=...`: a text a spreadsheet would evaluate, quoted so it is shown as typed."""
    if text.startswith(FORMULA_STARTS) or (text.startswith("-") and not _NUMBER.fullmatch(text)):
        return "'" + text
    return text


def spreadsheet_cell(value: Any) -> Any:
    """A CSV/XLSX cell: text made safe to open; anything else (numbers, None) unchanged."""
    if not isinstance(value, str):
        return value
    return neutralise_formula(show_bidi(value))


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to at most `limit` characters with a visible marker; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    marker = f"…[truncated, {len(text)} chars]"
    return text[: limit - len(marker)] + marker, True


def xlsx_cell(text: str) -> tuple[str, bool]:
    """A text cell for Excel: safe to open, at most 32,767 characters (and whether it was cut)."""
    return truncate(spreadsheet_cell(text), XLSX_MAX_CHARS)


def terminal_text(value: Any, limit: int = TERMINAL_MAX_CHARS) -> str:
    """Plain text for a terminal: controls and bidi visible, long values cut with a marker.

    Print it as `rich.text.Text` (or with markup off): it is not escaped for rich markup.
    """
    text = "" if value is None else str(value)
    return truncate(show_controls(show_bidi(text)), limit)[0]


def html_text(value: Any) -> str:
    """Escaped HTML text or attribute value; bidi and control characters shown visibly."""
    if value is None:
        return ""
    return escape(show_controls(show_bidi(str(value))), quote=True)


def markdown_text(value: Any) -> str:
    """Markdown text that stays text: specials backslash-escaped, one line, visible controls."""
    if value is None:
        return ""
    text = show_controls(show_bidi(str(value))).replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
