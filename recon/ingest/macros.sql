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

-- Timestamp: ISO 8601 with 'T' or a space; with an offset or Z it is that instant, without
-- one it is a wall-clock time in the configured time zone `tz`. An impossible date is NULL.
CREATE OR REPLACE TEMP MACRO recon_timestamp(s, tz) AS (
    CASE WHEN tz = 'UTC' THEN try_cast(recon_trim(s) AS TIMESTAMPTZ)  -- the session zone is UTC
         WHEN regexp_matches(recon_trim(s), '[0-9]:[0-9]{2}(:[0-9]{2}(\.[0-9]*)?)?\s*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$')
         THEN try_cast(recon_trim(s) AS TIMESTAMPTZ)
         ELSE timezone(tz, try_cast(recon_trim(s) AS TIMESTAMP))
    END
);

-- Boolean: true/false, t/f, yes/no, 1/0 (any case).
CREATE OR REPLACE TEMP MACRO recon_boolean(s) AS try_cast(recon_text(s) AS BOOLEAN);
