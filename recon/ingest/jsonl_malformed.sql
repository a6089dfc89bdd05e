-- Lines of a JSON-lines file that are neither blank nor a JSON object.
SELECT _ordinal, j
FROM {lines}
WHERE nullif(trim(j), '') IS NOT NULL
  AND NOT CASE WHEN json_valid(j) THEN json_type(j) = 'OBJECT' ELSE false END
ORDER BY _ordinal
