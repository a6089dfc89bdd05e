"""recon: reconcile core-ledger, channel, gateway and invoice extracts after an outage."""

__version__ = "0.1.0"
