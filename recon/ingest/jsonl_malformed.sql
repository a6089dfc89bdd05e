-- Lines of a JSON-lines file that are neither blank nor a JSON object with each key once, and
-- why. An object naming a key twice is ambiguous (DuckDB reads the first value, Python and
-- JavaScript the last: "amount" 100.00 then 200.00), so it is no row either.
SELECT _ordinal, j,
       CASE WHEN recon_json_object(j) THEN 'malformed row: a key appears twice in the object'
            ELSE 'malformed row: not a JSON object' END AS reason
FROM {lines}
WHERE nullif(trim(j), '') IS NOT NULL
  AND NOT coalesce(recon_json_row(j), false)
ORDER BY _ordinal
