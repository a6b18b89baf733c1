"""ingest layer (see README, Architecture)."""
