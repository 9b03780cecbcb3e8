"""原创保护 originality protection: text near-duplicates, attribution, evidence log."""
