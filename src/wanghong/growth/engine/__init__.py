"""Growth's pure core: the grading formula with hysteresis, concentration indices and causal effect estimation."""
