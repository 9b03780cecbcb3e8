"""Governance's pure core: the RFC 9162 Merkle tree (hashes, inclusion and consistency proofs), USCC check
characters (GB 32100-2015) and the credit-score rules."""
