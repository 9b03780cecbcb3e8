"""Fraud's pure core: account scoring, viewbot detection and graph features for fake-order detection."""
