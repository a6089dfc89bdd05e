-- The first row of a source quarantined as not valid UTF-8 (its file and physical line).
SELECT file, line
FROM quarantine
WHERE source = $source AND contains(reason, $label)
ORDER BY file, line
LIMIT 1
