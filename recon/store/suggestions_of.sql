-- What the runs suggested for one exception, with every revision of its figures.
SELECT s.suggestion_id, s.exception_id, s.kind, s.alternative, s.amount, s.currency,
       s.customer_id, s.detail, s.revision, s.first_run, s.updated_run, s.last_run,
       (SELECT list({'revision': h.revision, 'run_id': h.run_id, 'recorded_at': h.recorded_at,
                     'amount': h.amount, 'customer_id': h.customer_id, 'detail': h.detail}
                    ORDER BY h.revision)
        FROM recon_store.suggestion_history AS h
        WHERE h.suggestion_id = s.suggestion_id) AS history
FROM recon_store.suggestions AS s
WHERE s.exception_id = $exception_id
  AND ($kind IS NULL OR s.kind = $kind)
  AND ($suggestion_id IS NULL OR s.suggestion_id = $suggestion_id)
ORDER BY s.kind DESC, s.suggestion_id;
