-- What each customer is owed across their open exceptions, per currency; customers owed
-- nothing are left out. Exception ids are listed in id order so the line is reproducible.
CREATE OR REPLACE TEMP TABLE compensation AS
SELECT coalesce(customer_id, '') AS customer_id,
       currency,
       sum(compensation)::DECIMAL(38, 2) AS compensation,  -- a sum: may pass 16 digits
       string_agg(exception_id, ';' ORDER BY exception_id) AS exception_ids
FROM exceptions
WHERE compensation > 0
GROUP BY coalesce(customer_id, ''), currency
ORDER BY customer_id, currency;
