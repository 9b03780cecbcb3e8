"""Assistant's tables."""
