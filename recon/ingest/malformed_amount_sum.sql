-- The sum of the amount fields that parse among a file's malformed rows (control totals).
SELECT sum(recon_decimal(a, $sep)) FROM (SELECT unnest($amounts::VARCHAR[]) AS a)
