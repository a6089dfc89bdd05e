-- Open exceptions per channel and type.
SELECT coalesce(channel, '') AS channel, type, count(*) AS n
FROM publish_cases
GROUP BY ALL
ORDER BY channel, type;
