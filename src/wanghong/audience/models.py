"""Audience's tables."""
