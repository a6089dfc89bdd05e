-- One row per quarantined row that went through the schema rules (malformed lines have
-- none): the txn_ref and request_id it names, NULL where unknown.
CREATE OR REPLACE TABLE quarantined_refs (
    source VARCHAR,
    txn_ref VARCHAR,
    request_id VARCHAR
)
