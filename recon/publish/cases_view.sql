-- publish_cases: the exceptions open after this run with every column publish writes, typed.
-- The columns, source and findings join are chosen by recon.publish.cases from its own
-- constants (which optional columns exist), never from input values.
CREATE OR REPLACE TEMP VIEW publish_cases AS
SELECT
    {columns}
FROM {source} AS e
{findings_join};
