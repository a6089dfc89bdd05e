"""The sample-data generator: a realistic business day with an outage, and its answer key."""

from recon.sample.generate import GenerationResult, generate

__all__ = ["GenerationResult", "generate"]
