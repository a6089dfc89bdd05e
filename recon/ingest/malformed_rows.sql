-- Rows that could not be split into fields, with the whole line as the value.
INSERT INTO quarantine
SELECT $source, $file, unnest($lines::BIGINT[]), NULL, unnest($texts::VARCHAR[]),
       unnest($reasons::VARCHAR[])
