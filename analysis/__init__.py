"""analysis layer (see README, Architecture)."""
