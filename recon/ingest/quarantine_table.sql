-- Every input row that is neither valid nor an exact duplicate, with why.
CREATE OR REPLACE TABLE quarantine (
    source VARCHAR,
    file VARCHAR,
    line BIGINT,
    "column" VARCHAR,
    value VARCHAR,
    reason VARCHAR
)
