"""Checks on text columns shared by the schemas: what a text value may not be.

- `not_json_container`: a value that is a JSON array or object (after trimming spaces it
  begins with `[` and ends with `]`, or begins with `{` and ends with `}`) is a nested
  structure an exporter wrote into a flat field, not a value.
- `no_control_characters`: an identifier holding a control character cannot be matched,
  shown or exported reliably. A control character is any of Unicode's controls (general
  category Cc: C0 U+0000-U+001F, DEL U+007F and C1 U+0080-U+009F: NUL, tab, line breaks,
  NEL, escape sequences' CSI, ...) and, read by what they do rather than by their category,
  the characters that control how the text is laid out: the line and paragraph separators
  U+2028 and U+2029 (line breaks, like LF, CR and NEL) and the bidi controls U+202A-U+202E,
  U+2066-U+2069, U+200E, U+200F and U+061C (they change the order a reader sees: a key can
  pass for another, CVE-2021-42574; the same set recon.safety.BIDI_CONTROLS shows as
  `<U+202E>` in every output). Other invisible format characters (a zero-width space or
  joiner, a soft hyphen, a BOM inside a value) neither break a line nor change its order;
  they stay values (docs/ingest.md says why).

Each is attached to its columns with `@pa.check(..., name=...)`; ingest translates the check
by that name (`recon.ingest.schema_rules`) into the same test in DuckDB, so both reject the
same values.
"""

from __future__ import annotations

import polars as pl
from pandera.api.polars.types import PolarsData

NOT_JSON_CONTAINER = "not_json_container"
NO_CONTROL_CHARACTERS = "no_control_characters"


def not_json_container(data: PolarsData) -> pl.LazyFrame:
    """True where the value is not a JSON array or object (nulls pass)."""
    value = pl.col(data.key).str.strip_chars(" ")
    container = (value.str.starts_with("[") & value.str.ends_with("]")) | (
        value.str.starts_with("{") & value.str.ends_with("}")
    )
    return data.lazyframe.select(~container)


# the same pattern as recon_control_characters in recon/ingest/macros.sql
CONTROL_CHARACTERS = (
    r"[\x00-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{200e}\x{200f}\x{061c}]"
)


def no_control_characters(data: PolarsData) -> pl.LazyFrame:
    """True where the value holds no control character (nulls pass)."""
    return data.lazyframe.select(~pl.col(data.key).str.contains(CONTROL_CHARACTERS))
