"""Hypothesis profiles for the ledger's property tests: the default run stays quick; `-m slow` runs the full
counts the issue asks for. No example database: nothing is written into the working tree."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "settlement",
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "settlement-full",
    max_examples=10_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
