-- The output-safety layer for DuckDB's COPY writers (recon.safety says the same in Python):
-- every text cell of every CSV goes through safe_cell, so millions of rows never pass
-- through Python. Numbers and money are never given to it: they stay numbers.
--
-- safe_bidi: a bidi control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) is shown
-- as its code point, e.g. <U+202E>, so it cannot reorder what a reader sees.
CREATE OR REPLACE TEMP MACRO safe_bidi(x) AS
    CASE
        WHEN NOT regexp_matches(x, '[\x{202A}-\x{202E}\x{2066}-\x{2069}\x{200E}\x{200F}\x{061C}]')
            THEN x
        ELSE
            replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            replace(replace(x,
                chr(8234), '<U+202A>'), chr(8235), '<U+202B>'), chr(8236), '<U+202C>'),
                chr(8237), '<U+202D>'), chr(8238), '<U+202E>'), chr(8294), '<U+2066>'),
                chr(8295), '<U+2067>'), chr(8296), '<U+2068>'), chr(8297), '<U+2069>'),
                chr(8206), '<U+200E>'), chr(8207), '<U+200F>'), chr(1564), '<U+061C>')
    END;
-- safe_formula: a text a spreadsheet would evaluate (leading =, +, @, tab, CR, or - when the
-- whole value is not a number) gets a leading single quote, the OWASP way.
CREATE OR REPLACE TEMP MACRO safe_formula(x) AS
    CASE
        WHEN regexp_matches(x, '^[=+@\t\r]')
            OR (starts_with(x, '-') AND NOT regexp_full_match(x, '-[0-9]+(\.[0-9]+)?'))
            THEN '''' || x
        ELSE x
    END;
-- safe_cell: one text cell of a CSV recon writes (NULL stays NULL: an empty field).
CREATE OR REPLACE TEMP MACRO safe_cell(x) AS safe_formula(safe_bidi(CAST(x AS VARCHAR)));
