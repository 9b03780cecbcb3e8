"""Data shipped with the originality engine (see README.md here)."""
