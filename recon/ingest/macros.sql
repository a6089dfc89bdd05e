-- Parsing of one raw text field into its typed value; NULL where the text does not parse.
-- Used by insert_rows.sql for every column, so every source and format parses the same way.

-- Surrounding spaces are not content. trim() is costly on millions of values, so only text
-- that holds a space pays for it.
CREATE OR REPLACE TEMP MACRO recon_trim(s) AS (
    CASE WHEN contains(s, ' ') THEN trim(s) ELSE s END
);

-- Text: an empty (or all-space) field is a missing value.
CREATE OR REPLACE TEMP MACRO recon_text(s) AS nullif(recon_trim(s), '');

-- Currency: codes compared upper-case, local names (RMB) mapped through the aliases first.
CREATE OR REPLACE TEMP MACRO recon_currency(s, alias_from, alias_to) AS (
    coalesce(alias_to[list_position(alias_from, upper(recon_text(s)))], upper(recon_text(s)))
);

-- Amount: a plain decimal string ("1234.50", "-3", with `sep` as thousands separator
-- "1,234.50"); at most two significant decimals and 16 integer digits, so DECIMAL(18,2) never
-- rounds or overflows silently. Exponents, currency signs and words do not parse.
CREATE OR REPLACE TEMP MACRO recon_decimal(s, sep) AS (
    CASE WHEN regexp_full_match(replace(recon_trim(s), coalesce(sep, ''), ''),
                                '[+-]?[0-9]{1,16}(\.[0-9]{0,2}0*)?')
         THEN CAST(replace(recon_trim(s), coalesce(sep, ''), '') AS DECIMAL(18, 2))
    END
);

-- Timestamp: an ISO 8601 date-time only: date, 'T' or a space, hh:mm[:ss[.fraction]], then
-- optionally 'Z' or a numeric offset (+hh:mm, +hhmm, +hh) within +-14:00. With an offset it is
-- that instant, without one a wall-clock time in the configured time zone `tz`. The pattern
-- is checked before the cast, which on its own also takes 'infinity', 'epoch', zone names,
-- a date alone, years before 1 and offsets like +99:00. An impossible date is NULL.
CREATE OR REPLACE TEMP MACRO recon_iso_timestamp(t, tz) AS (
    CASE WHEN NOT regexp_full_match(
                  t,
                  '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?'
                  '(Z|[+-](0[0-9]|1[0-3])(:?[0-5][0-9])?|[+-]14(:?00)?)?')
         THEN NULL
         -- the session zone is UTC; past the pattern, an offset is a Z, + or - after hh:mm
         WHEN tz = 'UTC' OR ends_with(t, 'Z') OR contains(t[17:], '+') OR contains(t[17:], '-')
         THEN try_cast(t AS TIMESTAMPTZ)
         ELSE timezone(tz, try_cast(t AS TIMESTAMP))
    END
);
CREATE OR REPLACE TEMP MACRO recon_timestamp(s, tz) AS recon_iso_timestamp(recon_trim(s), tz);

-- Text checks of schemas/text.py on a parsed (trimmed) text value `t`; they run on every
-- identifier of millions of rows, so each is a cheap test first and the exact one only where
-- that test passes (CASE evaluates THEN only for those rows; AND/OR here would not skip it).
-- A JSON array or object begins with [ and ends with ], or begins with { and ends with }:
-- the cheap test compares the first byte as a string range ('[' .. before '\', '{' .. '|').
CREATE OR REPLACE TEMP MACRO recon_json_container(t) AS (
    CASE WHEN (t >= '[' AND t < '\') OR (t >= '{' AND t < '|')
         THEN (starts_with(t, '[') AND ends_with(t, ']'))
              OR (starts_with(t, '{') AND ends_with(t, '}'))
         ELSE false
    END
);

-- A control character (schemas/text.py, CONTROL_CHARACTERS): a Unicode control, C0
-- U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F (NUL, tab, line breaks, NEL, CSI, ...); the
-- line and paragraph separators U+2028, U+2029; the bidi controls U+202A-U+202E,
-- U+2066-U+2069, U+200E, U+200F, U+061C. All but DEL are either escaped by JSON (C0, and " and
-- \) or not ASCII, so only a value whose JSON text is not one byte per character plus its
-- two quotes is looked at with the pattern; DEL, plain ASCII that JSON leaves alone, is
-- searched for. (Plain ASCII identifiers, the usual case, never pay for the pattern: about
-- 2.5x cheaper than the pattern on every value.)
CREATE OR REPLACE TEMP MACRO recon_control_characters(t) AS (
    CASE WHEN strlen(to_json(t)) <> length(t) + 2
         THEN regexp_matches(
                  t,
                  '[\x00-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{200e}\x{200f}\x{061c}]'
              )
         ELSE contains(t, chr(127))
    END
);

-- Boolean: true/false, t/f, yes/no, 1/0 (any case).
CREATE OR REPLACE TEMP MACRO recon_boolean(s) AS try_cast(recon_text(s) AS BOOLEAN);

-- JSON lines: a line that is a JSON object, and one whose top-level keys are each given once
-- (a row). CASE, not AND: json_type and json_keys fail on text that is not JSON.
CREATE OR REPLACE TEMP MACRO recon_json_object(j) AS (
    CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END
);
CREATE OR REPLACE TEMP MACRO recon_json_row(j) AS (
    CASE WHEN NOT json_valid(j) THEN false
         WHEN json_type(j) <> 'OBJECT' THEN false
         ELSE len(json_keys(j)) = len(list_distinct(json_keys(j)))
    END
);

-- A JSON field's text, exactly as the line writes it. json_extract_string reads a number with
-- a fraction or an exponent through a double (88980876322235.18 comes back ...235.19, 1e2 as
-- 100.0, an id 1.10 as 1.1), so such a number's text is taken from the line instead: the
-- number tokens written after the key (`key_pattern`: the key as JSON writes it, regex-escaped)
-- whose value is that double; a nested object with the same key cannot pass for it. Strings,
-- integers (exact already) and the rest are json_extract_string's. Only a number that looks
-- fractional pays for the type check and the search.
CREATE OR REPLACE TEMP MACRO recon_json_exact(j, v, path, key_pattern) AS (
    CASE WHEN regexp_matches(v, '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$')
              AND regexp_matches(v, '[.eE]')
              AND json_type(j, path) = 'DOUBLE'
         THEN coalesce(
                  list_filter(
                      regexp_extract_all(
                          j,
                          key_pattern || '\s*:\s*(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?'
                              || '(?:[eE][-+]?[0-9]+)?)\s*[,}]',
                          1
                      ),
                      lambda t: TRY_CAST(t AS DOUBLE) = TRY_CAST(v AS DOUBLE)
                  )[1],
                  v
              )
         ELSE v
    END
);
