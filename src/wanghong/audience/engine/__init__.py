"""Audience's pure core: segment rules, behaviour embeddings, lookalike scoring, k-anonymity and DP counts."""
