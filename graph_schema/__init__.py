"""graph_schema layer (see README, Architecture)."""
