-- Open exceptions per type, subtype and currency: how many, money at stake, what to do.
SELECT
    type,
    subtype,
    currency,
    count(*) AS n,
    sum(amount) AS amount,
    sum(compensation) AS compensation,
    string_agg(DISTINCT proposed_action, ', ' ORDER BY proposed_action) AS actions
FROM publish_cases
GROUP BY type, subtype, currency
ORDER BY type, subtype, currency;
