"""Bounds a caller checks its input against before it loads the engine (faiss, numpy), e.g. the CLI's options."""

MAX_K = 1000  # the most creators one search returns
