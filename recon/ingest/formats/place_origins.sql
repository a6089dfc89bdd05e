-- Quarantined rows of one provider file read through its canonical copy: each copy line is
-- replaced by the provider file's own position (its line, or a member or element in `file`).
UPDATE quarantine AS q
SET file = m.file, line = m.line
FROM (
    SELECT unnest($copy_lines::BIGINT[]) AS copy_line, unnest($files::VARCHAR[]) AS file,
           unnest($lines::BIGINT[]) AS line
) AS m
WHERE q.source = $source AND q.file = $path AND q.line = m.copy_line
