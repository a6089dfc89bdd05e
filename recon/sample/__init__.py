"""The sample-data generator: a realistic business day with an outage, and its answer key
(`recon.sample.generate`); its command is `recon generate` (`recon.sample.cli`)."""
