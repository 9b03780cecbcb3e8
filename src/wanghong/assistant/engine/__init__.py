"""Assistant's pure core: hybrid retrieval, grounded answer composition, script templates and AI labels."""
