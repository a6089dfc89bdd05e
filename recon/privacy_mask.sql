-- mask_id(value, on): the masking rule of recon.privacy.mask_id in SQL (the same constants:
-- 8 characters or more keep the first 2 and last 4 around six stars, shorter ones are six
-- stars, NULL and '' stay as they are). `on` false gives the value unchanged. Lengths and
-- substrings count characters (code points), as Python does.
CREATE OR REPLACE TEMP MACRO mask_id(value, "on") AS
    CASE
        WHEN value IS NULL THEN NULL
        WHEN NOT "on" OR CAST(value AS VARCHAR) = '' THEN CAST(value AS VARCHAR)
        WHEN length(CAST(value AS VARCHAR)) < 8 THEN '******'
        ELSE substring(CAST(value AS VARCHAR), 1, 2) || '******'
            || substring(CAST(value AS VARCHAR), length(CAST(value AS VARCHAR)) - 3, 4)
    END;
