-- Columns of one table or view of the working database, in their declared order.
SELECT column_name, data_type
FROM information_schema.columns
WHERE table_name = $table
ORDER BY ordinal_position;
