-- Row accounting of the staged source, per file: rows, parsed amount sum, and fates.
SELECT _file_no,
       count(*) AS rows,
       sum(amount) AS amount_sum,
       count(*) FILTER (WHERE _dup) AS exact_duplicates,
       count(_rule) AS bad,
       count(*) FILTER (WHERE _conflict) AS conflicts
FROM recon_ingest_stage
GROUP BY _file_no
