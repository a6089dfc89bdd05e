"""The life cycle of an exception: its statuses, who may move it where, resolution codes.

Runs move exceptions between OPEN and SELF_HEALED; analysts assign, resolve and reopen.
RESOLVED is an analyst's decision, so no run ever changes it (CONTRACT.md section 5).
"""

from __future__ import annotations

OPEN = "OPEN"
ASSIGNED = "ASSIGNED"
RESOLVED = "RESOLVED"
SELF_HEALED = "SELF_HEALED"

STATUSES = (OPEN, ASSIGNED, RESOLVED, SELF_HEALED)
OPEN_STATUSES = (OPEN, ASSIGNED)  # on the analysts' queue, published in exceptions.csv
CLOSED_STATUSES = (RESOLVED, SELF_HEALED)

# What an analyst may do to an exception in each status.
ASSIGNABLE = OPEN_STATUSES  # reassigning an assigned one is allowed: hand-over
RESOLVABLE = OPEN_STATUSES
REOPENABLE = CLOSED_STATUSES

# Why an analyst closed an exception: a fixed set so reports can count them.
RESOLUTION_CODES: dict[str, str] = {
    "CORRECTED": "correcting entries were posted (credit posted or debit reversed)",
    "REFUNDED": "the customer's money was returned (refund, recall or reversal)",
    "CUSTOMER_NOTIFIED": "the customer was told the real outcome; nothing to move",
    "INVOICE_FIXED": "the invoice was issued, reissued or voided",
    "WRITTEN_OFF": "the difference was accepted and written off with approval",
    "FALSE_POSITIVE": "not a break: the books were right (explain in the note)",
    "DUPLICATE_OF_OTHER": "the same break is tracked under another exception id",
}
