-- Ledger postings whose reversal_of names a posting of this extract that they do not mirror.
-- CONTRACT.md: reversal_of is the "entry_id that this posting reverses (opposite direction,
-- same amount)". A 50.00 credit naming a 200.00 debit, or a second debit naming the first, is
-- no reversal: taken as one it would settle the whole debit (or hide a debit) without a word.
-- Such a row breaks its schema and is quarantined like any bad value. The posting it names is
-- the row that keeps that entry_id (the first valid one in file order); a reversal_of naming
-- no posting of this extract (yesterday's, say) cannot be checked here and stands.
UPDATE {table} AS r
SET _rule = $rule, _value = r.reversal_of
FROM (
    SELECT entry_id,
           arg_min(struct_pack(direction, amount, currency), _row)
               AS kept
    FROM {table}
    WHERE _rule IS NULL
      AND entry_id IN (SELECT reversal_of FROM {table} WHERE reversal_of IS NOT NULL)
    GROUP BY entry_id
) AS t
WHERE r._rule IS NULL
  AND r.reversal_of = t.entry_id
  AND NOT (
      r.direction <> t.kept.direction
      AND r.amount = t.kept.amount
      AND r.currency = t.kept.currency
  )
