"""The findings' SQL stages (one `.sql` file each, run in this order) and where each may run."""

from __future__ import annotations

# The stages in order. Those before and after the per-transfer ones look across transfers
# (a duplicate debit's original, a request whose debit names another transfer, a reversal);
# the per-transfer ones read one transfer's rows at a time, so a partitioned run makes them
# bucket by bucket (buckets.py, bucket_run.py) and gets the same findings.
BEFORE = (
    "key_time",  # the macro that writes a row's instant into a finding key
    "debits",  # _fb_reversed, _fb_booked
    "duplicates",  # _fb_dup, _fb_double
    "request_txn",  # _fb_request_txn: requests without txn_ref, placed through their legs
)
PER_TRANSFER = (
    "transfers",  # per-source facts -> _fb_txn, evaluated_txn_refs, _fb_found
    "half_completed",
    "amounts",
    "invoices",
)
AFTER = (
    "duplicate_findings",
    "channel_told",  # the half-completed checks of channel requests
    "findings",  # _fb_detail, _fb_complete, findings
    "healing",  # narrows evaluated_txn_refs to what the run can vouch for; unchecked_types
)
STAGES = BEFORE + PER_TRANSFER + AFTER
# the stage that raises the findings of one type, skipped when that type's checks are not run
TYPE_STAGES = {"INVOICE": "invoices"}
