"""service layer (see README, Architecture)."""
