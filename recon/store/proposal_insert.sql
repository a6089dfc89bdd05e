-- A new proposal (its PROPOSED event is already appended), numbered after the last one.
INSERT INTO recon_store.proposals BY NAME
SELECT
    $proposal_id AS proposal_id,
    $proposal_no AS proposal_no,
    $exception_id AS exception_id,
    $kind AS kind,
    'PROPOSED' AS state,
    $suggestion_id AS suggestion_id,
    $suggestion_revision AS suggestion_revision,
    $amount::DECIMAL(18, 2) AS amount,
    $currency AS currency,
    $detail::JSON AS detail,
    $actor AS proposed_by,
    $now::TIMESTAMPTZ AS proposed_at,
    1 AS version;
