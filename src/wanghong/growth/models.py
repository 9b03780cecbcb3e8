"""Growth's tables."""
