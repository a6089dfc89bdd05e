"""Incident reruns: keep one outage window's findings, and report its impact."""
