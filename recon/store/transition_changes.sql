-- Analysts' changes checked by actions.py and about to be written, one row each (n: their
-- order): the event to append and the exception's new state.
CREATE OR REPLACE TEMP TABLE _changes (
    n INTEGER,
    exception_id VARCHAR,
    changed_at TIMESTAMPTZ,
    actor VARCHAR,
    os_user VARCHAR,
    action VARCHAR,
    from_status VARCHAR,
    to_status VARCHAR,
    note VARCHAR,
    assignee VARCHAR,
    resolution_code VARCHAR,
    resolution_note VARCHAR,
    closed_at TIMESTAMPTZ
);
