"""The text engine's name in evidence and the similarity it calls a copy.

Kept apart from ``text_index`` so that a command line can show the default threshold without loading numpy.
"""

# Chosen on the labelled set (data/titles_eval.jsonl): see bench/originality.py for the sweep.
DEFAULT_THRESHOLD = 0.75
# v2: synonym folding and space removal in normalisation, one-permutation signatures.
METHOD = "text-minhash-v2"
