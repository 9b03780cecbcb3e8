"""Fraud's tables."""
