-- This run's findings counted per type and subtype (summary.json `findings`).
SELECT type, subtype, count(*) AS n
FROM findings
GROUP BY type, subtype
ORDER BY type, subtype;
