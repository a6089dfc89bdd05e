"""Remedies for open exceptions: proposed correcting entries and compensation per customer."""

from recon.remedies.compensation import compensation_by_customer
from recon.remedies.corrections import POSTING_ACTIONS, SUSPENSE_PREFIX, propose_corrections
from recon.remedies.policies import apply_policies

__all__ = [
    "POSTING_ACTIONS",
    "SUSPENSE_PREFIX",
    "apply_policies",
    "compensation_by_customer",
    "propose_corrections",
]
