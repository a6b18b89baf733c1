"""nlp layer (see README, Architecture)."""
