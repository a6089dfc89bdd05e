-- The last link of each chain and the chains' lengths.
SELECT
    (SELECT count(*) FROM recon_store.events) AS events,
    (SELECT max(event_no) FROM recon_store.events) AS event_no,
    (SELECT hash FROM recon_store.events ORDER BY event_no DESC LIMIT 1) AS event_hash,
    (SELECT count(*) FROM recon_store.runs) AS runs,
    (SELECT max(run_no) FROM recon_store.runs) AS run_no,
    (SELECT run_id FROM recon_store.runs ORDER BY run_no DESC NULLS LAST LIMIT 1) AS run_id,
    (SELECT hash FROM recon_store.runs ORDER BY run_no DESC NULLS LAST LIMIT 1) AS run_hash;
