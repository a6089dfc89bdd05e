-- Sources whose quarantined lines name no transfer (recon/findings/healing.sql): this run
-- healed nothing that depends on them.
SELECT source, lines
FROM unplaced_damage
WHERE lines > 0
ORDER BY source
