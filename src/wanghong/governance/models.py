"""Governance's tables."""
